/**
 * Every error message a user can get, collected from the code, so that docs/troubleshooting.md
 * can be checked against it (test/unit/docs/troubleshooting.test.ts): a new message without an
 * entry, or an entry whose message is gone, fails that test.
 *
 * The messages are those the user reads: the one-line errors the CLI prints (the error classes
 * server/cli/main.ts lets through as their own message), the LLM stage's errors a review reports,
 * the editor's notifications (extension/*.ts) and the team service's HTTP answers. Each is taken
 * as its template, read with the TypeScript compiler from the expression that builds it: the
 * static text as written, a `${…}` part as a placeholder named after what it holds
 * (`unknown base ref: ‹ref›`), a part that appears only sometimes in square brackets. The key, the
 * template with the placeholders' names dropped, is what an entry is matched by, so renaming a
 * variable or moving a throw does not orphan its entry. A site that only passes another error's
 * message on (`new UsageError(error.message)`) has no template: FORWARDS says where each one's
 * messages are collected, so a new one cannot hide messages from the page.
 *
 * Run `npx tsx scripts/docs/errorMessages.ts` to list them (`--missing` lists those without an
 * entry, in the page's form, ready to be written up).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';

/** The troubleshooting page's groups, in its order. */
export const AREAS = ['usage', 'git', 'store', 'github', 'llm', 'impact', 'service', 'editor'] as const;
export type Area = (typeof AREAS)[number];

/** Each group's `##` heading on docs/troubleshooting.md: an entry belongs under its message's. */
export const AREA_TITLES: Record<Area, string> = {
  usage: 'Usage: the command line and .diffwise/config.json',
  git: 'Git: the repository',
  store: 'Store: the database, votes and ignored findings',
  github: 'GitHub: pull requests and the App',
  llm: 'LLM: the model review',
  impact: 'Index and impact',
  service: 'Team service',
  editor: 'Editor: VS Code notifications',
};

export interface ErrorSite {
  /** Relative to the repository root, with forward slashes. */
  file: string;
  line: number;
}

export interface ErrorMessage {
  /** The template with its placeholders' names dropped: what a page entry is matched by. */
  key: string;
  /** The message as the user sees it, `‹name›` where a value goes, `[…]` around an optional part. */
  template: string;
  area: Area;
  /** Every place that builds it (a message can be thrown from several). */
  sites: ErrorSite[];
}

export interface ForwardedSite extends ErrorSite {
  /** The expression passed on, as written (`(error as Error).message`): with the file, what FORWARDS is keyed by. */
  expression: string;
}

export interface CollectedMessages {
  messages: ErrorMessage[];
  /** Sites that pass another error's message on unchanged: that message has its own entry. */
  forwarded: ForwardedSite[];
}

/**
 * Every site that passes a message on without text of its own, by file and expression, with where
 * the message it passes comes from. A new one fails the test until it is listed here: either its
 * messages are collected elsewhere (say so), or the collector must learn to read them.
 */
export const FORWARDS: Record<string, string> = {
  'extension/commands.ts: (error as Error).message': 'a command\'s failure: the daemon\'s error, collected where it is thrown',
  'extension/extension.ts: (error as Error).message': 'checkNode\'s NodeMissingError (extension/daemon.ts)',
  'server/cli/args.ts: message': 'parseService\'s usageError(…) calls (server/cli/serviceArgs.ts)',
  'server/cli/args.ts: (error as Error).message': 'logSettingsOf\'s LogSettingsError (server/observability/logSettings.ts)',
  'server/github/appAuth.ts: this.common(status, said)': 'the App\'s 401 line, read from `common` (MESSAGE_BUILDERS)',
  'server/github/appAuth.ts: known(status, said)': 'the callbacks handed to `describe` (MESSAGE_BUILDERS)',
  'server/github/client.ts: error.message': 'octokit\'s FinalRequestError: the transport\'s GitHubError lines (server/github/transport.ts)',
  'server/github/client.ts: cause.message': 'octokit\'s FinalRequestError: the transport\'s GitHubError lines (server/github/transport.ts)',
  'server/github/pullRequests.ts: error.message': 'NotGitHubRemoteError (server/github/remote.ts)',
  'server/service/http/app.ts: error.message': 'a 4xx error fastify raised (a body too large, a rate limit): its own words',
  'server/service/http/webhookRoute.ts: plan.reason': 'githubEvents.ts: the payload\'s first schema issue (`pull_request …`), GitHub\'s own shape',
  'server/workspace.ts: (error as Error).message': 'readLearnedFile\'s errors (server/learning/learned.ts, PLAIN_ERROR_FILES)',
};

/** The key of a forwarded site in FORWARDS. */
export function forwardKey(site: ForwardedSite): string {
  return `${site.file}: ${site.expression}`;
}

/** The error classes whose message is the line the CLI prints (server/cli/main.ts KNOWN_ERRORS), and LlmError, by the argument holding the message. */
const ERROR_CLASSES: Record<string, { area: Area; argument: number }> = {
  UsageError: { area: 'usage', argument: 0 },
  GitError: { area: 'git', argument: 0 },
  StoreError: { area: 'store', argument: 0 },
  FeedbackError: { area: 'store', argument: 0 },
  GitHubError: { area: 'github', argument: 0 },
  ImpactError: { area: 'impact', argument: 0 },
  ServiceError: { area: 'service', argument: 0 },
  LlmError: { area: 'llm', argument: 1 },
  // Passed on as a UsageError's message (args.ts logOptions).
  LogSettingsError: { area: 'usage', argument: 0 },
  // The editor shows it as is when the daemon cannot start (extension.ts).
  NodeMissingError: { area: 'editor', argument: 0 },
  // Passed on as a GitHubError's message (pullRequests.ts).
  NotGitHubRemoteError: { area: 'github', argument: 0 },
};

/** Functions handed around to build one of those errors (serviceArgs.ts gets UsageError's as `usageError`). */
const ERROR_FACTORIES: Record<string, Area> = { usageError: 'usage' };

/**
 * Files whose plain `new Error(…)` reaches the user as is: `.diffwise/config.json`'s (failing the
 * stage that read it), the LLM's settings and instructions file (the review's llm error), and the
 * team's learned file (passed on as a FeedbackError).
 */
const PLAIN_ERROR_FILES: Record<string, Area> = {
  'server/configFile.ts': 'usage',
  'server/llm/config.ts': 'llm',
  'server/llm/instructions.ts': 'llm',
  'server/learning/learned.ts': 'store',
};

/**
 * Functions whose returned text becomes an error's message elsewhere: the GitHub App's lines for
 * a signed request's documented statuses (appAuth.ts: `common`, and the callback each request
 * hands to `describe`).
 */
const MESSAGE_BUILDERS: Record<string, { area: Area; returnsOf: string[]; callbacksOf: string[] }> = {
  'server/github/appAuth.ts': { area: 'github', returnsOf: ['common'], callbacksOf: ['describe'] },
};

/** The alerts (each an object with an `id` and a `message`), which the editor shows as `Diffwise: ‹message›. ‹action›.` */
const ALERTS_FILE = 'server/observability/alerts.ts';

const SOURCE_FOLDERS = ['server', 'shared', 'extension'];
const HTTP_FOLDER = 'server/service/http/';

/** Collects every message under `root` (the repository). */
export function collectErrorMessages(root: string = path.resolve(__dirname, '..', '..')): CollectedMessages {
  const byKey = new Map<string, ErrorMessage>();
  const forwarded: ForwardedSite[] = [];
  for (const file of sourceFiles(root)) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const record = (expression: ts.Expression, area: Area, at: ts.Node) => {
      const site = { file: relative, line: source.getLineAndCharacterOfPosition(at.getStart(source)).line + 1 };
      for (const { text: template, from } of templatesOf(expression, source)) {
        if (!/[A-Za-z]/.test(template.replace(/‹[^›]*›/g, ''))) {
          const passed = { ...site, expression: from.getText(source).replace(/\s+/g, ' ') };
          if (!forwarded.some((s) => forwardKey(s) === forwardKey(passed))) forwarded.push(passed);
          continue;
        }
        const key = messageKey(template);
        const known = byKey.get(key);
        if (known) {
          if (!known.sites.some((s) => s.file === site.file && s.line === site.line)) known.sites.push(site);
        } else byKey.set(key, { key, template, area, sites: [site] });
      }
    };
    const builder = Object.hasOwn(MESSAGE_BUILDERS, relative) ? MESSAGE_BUILDERS[relative] : undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
        const name = node.expression.text;
        const known = Object.hasOwn(ERROR_CLASSES, name) ? ERROR_CLASSES[name] : undefined;
        const plain = name === 'Error' && Object.hasOwn(PLAIN_ERROR_FILES, relative) ? PLAIN_ERROR_FILES[relative] : undefined;
        const argument = known ? node.arguments?.[known.argument] : plain ? node.arguments?.[0] : undefined;
        if (argument) record(argument, known?.area ?? plain!, node);
      } else if (builder && (ts.isMethodDeclaration(node) || ts.isFunctionDeclaration(node)) && node.name && builder.returnsOf.includes(node.name.getText(source)) && node.body) {
        for (const value of returnedValues(node.body)) record(value, builder.area, value);
      }
      if (ts.isCallExpression(node)) {
        const callee = calleeName(node.expression);
        if (builder && callee && builder.callbacksOf.includes(callee)) {
          for (const argument of node.arguments) {
            if (ts.isArrowFunction(argument)) for (const value of ts.isBlock(argument.body) ? returnedValues(argument.body) : [argument.body]) record(value, builder.area, value);
          }
        }
        if (callee && Object.hasOwn(ERROR_FACTORIES, callee) && node.arguments[0]) record(node.arguments[0], ERROR_FACTORIES[callee]!, node);
        if (relative.startsWith('extension/') && node.arguments[0] && isNotification(node.expression, source)) record(node.arguments[0], 'editor', node);
        if (relative.startsWith(HTTP_FOLDER) && (callee === 'send' || callee === 'answer')) {
          for (const argument of node.arguments) if (ts.isObjectLiteralExpression(argument)) recordMessageProperty(argument, 'service');
        }
      }
      if (relative === ALERTS_FILE && ts.isObjectLiteralExpression(node) && node.properties.some((p) => p.name?.getText(source) === 'id')) recordMessageProperty(node, 'editor');
      ts.forEachChild(node, visit);
    };
    const recordMessageProperty = (object: ts.ObjectLiteralExpression, area: Area) => {
      for (const property of object.properties) {
        if (ts.isPropertyAssignment(property) && property.name.getText(source) === 'message') record(property.initializer, area, property);
      }
    };
    visit(source);
  }
  const messages = [...byKey.values()].sort((a, b) => AREAS.indexOf(a.area) - AREAS.indexOf(b.area) || a.key.localeCompare(b.key));
  return { messages, forwarded };
}

/** The key an entry is matched by: the template with placeholders unnamed and spaces collapsed. */
export function messageKey(template: string): string {
  return template.replace(/‹[^›]*›/g, '‹›').replace(/\s+/g, ' ').trim();
}

function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (/\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) files.push(full);
    }
  };
  for (const folder of SOURCE_FOLDERS) if (fs.existsSync(path.join(root, folder))) walk(path.join(root, folder));
  return files.sort();
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

/**
 * `vscode.window.showErrorMessage(…)`/`showWarningMessage(…)`, or a local chosen between them
 * (`const show = failed ? vscode.window.showErrorMessage : vscode.window.showWarningMessage`).
 */
function isNotification(expression: ts.Expression, source: ts.SourceFile): boolean {
  const name = calleeName(expression);
  if (name === 'showErrorMessage' || name === 'showWarningMessage') return true;
  if (!name || !ts.isIdentifier(expression)) return false;
  const declaration = constInitializer(name, expression);
  return declaration !== undefined && /\bshow(?:Error|Warning)Message\b/.test(declaration.getText(source));
}

/**
 * The templates `expression` can produce, each with the expression it comes from: one per branch
 * of a conditional whose branches are both text (at its top or inside it), one per assignment of
 * a `let` it names.
 */
function templatesOf(expression: ts.Expression, source: ts.SourceFile, depth = 0): Array<{ text: string; from: ts.Expression }> {
  const inner = unwrap(expression);
  if (depth > 4) return [{ text: placeholder(inner, source), from: inner }];
  if (ts.isConditionalExpression(inner)) return [...templatesOf(inner.whenTrue, source, depth + 1), ...templatesOf(inner.whenFalse, source, depth + 1)];
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) return [...templatesOf(inner.left, source, depth + 1), ...templatesOf(inner.right, source, depth + 1)];
  if (ts.isIdentifier(inner) && inner.text === 'undefined') return [];
  if (ts.isIdentifier(inner)) {
    const initializer = constInitializer(inner.text, inner);
    if (initializer) return templatesOf(initializer, source, depth + 1);
    const assigned = letAssignments(inner.text, inner);
    if (assigned.length) return assigned.flatMap((value) => templatesOf(value, source, depth + 1));
  }
  return render(inner, source, depth).map((text) => ({ text, from: inner }));
}

/** The texts `expression` renders to, `‹name›` for each part only known at run time. */
function render(expression: ts.Expression, source: ts.SourceFile, depth: number): string[] {
  const inner = unwrap(expression);
  if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) return [inner.text];
  if (ts.isTemplateExpression(inner)) {
    let texts = [inner.head.text];
    for (const span of inner.templateSpans) texts = product(texts, part(span.expression, source, depth).map((text) => text + span.literal.text));
    return texts;
  }
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken) return product(render(inner.left, source, depth), render(inner.right, source, depth));
  return part(inner, source, depth);
}

/** A `${…}` part: a constant's text, an optional part in brackets, both texts of a choice, or a placeholder. */
function part(expression: ts.Expression, source: ts.SourceFile, depth: number): string[] {
  const inner = unwrap(expression);
  if (isTextual(inner)) return render(inner, source, depth);
  if (ts.isIdentifier(inner) && depth < 4) {
    const initializer = constInitializer(inner.text, inner);
    if (initializer && isTextual(unwrap(initializer))) return render(initializer, source, depth + 1);
  }
  if (ts.isConditionalExpression(inner)) {
    const [yes, no] = [unwrap(inner.whenTrue), unwrap(inner.whenFalse)];
    if (isEmptyString(no) && isTextual(yes)) return render(yes, source, depth).map((text) => `[${text}]`);
    if (isEmptyString(yes) && isTextual(no)) return render(no, source, depth).map((text) => `[${text}]`);
    if (isTextual(yes) && isTextual(no)) return [...render(yes, source, depth), ...render(no, source, depth)];
  }
  return [placeholder(inner, source)];
}

/** The values a function body returns (not those of functions nested in it). */
function returnedValues(body: ts.Node): ts.Expression[] {
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression) values.push(node.expression);
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return values;
}

function product(lefts: string[], rights: string[]): string[] {
  return lefts.flatMap((left) => rights.map((right) => left + right));
}

function placeholder(expression: ts.Expression, source: ts.SourceFile): string {
  return `‹${nameOf(expression, source) ?? '…'}›`;
}

/** What a run-time part holds, from the expression's last meaningful name (`error.message` → message, `refs.join(', ')` → refs). */
function nameOf(expression: ts.Expression, source: ts.SourceFile): string | undefined {
  const inner = unwrap(expression);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
  if (ts.isElementAccessExpression(inner)) return nameOf(inner.expression, source);
  if (ts.isCallExpression(inner)) {
    const callee = inner.expression;
    if (ts.isPropertyAccessExpression(callee) && !['JSON', 'Math', 'Object'].includes(callee.expression.getText(source))) return nameOf(callee.expression, source);
    if (inner.arguments[0]) return nameOf(inner.arguments[0], source);
    return calleeName(callee);
  }
  if (ts.isBinaryExpression(inner)) return nameOf(inner.left, source);
  if (ts.isConditionalExpression(inner)) return nameOf(inner.whenTrue, source);
  return undefined;
}

function unwrap(expression: ts.Expression): ts.Expression {
  let inner = expression;
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isNonNullExpression(inner) || ts.isTypeAssertionExpression(inner)) inner = inner.expression;
  return inner;
}

function isEmptyString(expression: ts.Expression): boolean {
  return (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) && expression.text === '';
}

function isTextual(expression: ts.Expression): boolean {
  return ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression) || ts.isTemplateExpression(expression);
}

/** The initializer of the `const name` in scope at `from` (the nearest enclosing one, then the module's). */
function constInitializer(name: string, from: ts.Node): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = from.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) return declaration.initializer;
      }
    }
  }
  return undefined;
}

/** The values assigned to the `let name` of the function around `from` (storeErrorOf's `message = …` branches). */
function letAssignments(name: string, from: ts.Node): ts.Expression[] {
  let scope: ts.Node | undefined = from.parent;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!scope) return [];
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === name) values.push(node.right);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) values.push(node.initializer);
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return values;
}

/** The page's form of one entry, for `--missing`: the heading is the message, as the test reads it. */
export function entrySkeleton(message: ErrorMessage): string {
  const fence = message.template.includes('`') ? '``' : '`';
  const pad = fence.length > 1 ? ' ' : '';
  return `### ${fence}${pad}${message.template}${pad}${fence}\n\n<!-- ${message.sites.map((s) => `${s.file}:${s.line}`).join(', ')} -->\n**Cause.** \n\n**Fix.** \n`;
}

/** An entry of docs/troubleshooting.md: its heading's message, where it is, and what it says. */
export interface DocumentedMessage {
  key: string;
  template: string;
  line: number;
  /** The `##` group it is under. */
  section: string;
  /** Its text up to the next heading. */
  body: string;
}

/** The page's entries: every `###` heading whose text is one code span holds one message. */
export function documentedMessages(page: string): DocumentedMessage[] {
  const entries: DocumentedMessage[] = [];
  let section = '';
  let current: DocumentedMessage | undefined;
  page.split('\n').forEach((text, index) => {
    if (/^#{1,6}\s/.test(text)) current = undefined;
    const group = /^##\s+(.*)$/.exec(text);
    if (group) section = group[1]!.trim();
    const heading = /^###\s+(`+)\s?(.*?)\s?\1\s*$/.exec(text);
    if (heading) {
      current = { key: messageKey(heading[2]!), template: heading[2]!, line: index + 1, section, body: '' };
      entries.push(current);
    } else if (current) current.body += `${text}\n`;
  });
  return entries;
}

export const TROUBLESHOOTING_PAGE = 'docs/troubleshooting.md';

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..');
  const { messages, forwarded } = collectErrorMessages(root);
  if (process.argv.includes('--missing')) {
    const page = fs.existsSync(path.join(root, TROUBLESHOOTING_PAGE)) ? fs.readFileSync(path.join(root, TROUBLESHOOTING_PAGE), 'utf8') : '';
    const documented = new Set(documentedMessages(page).map((entry) => entry.key));
    for (const message of messages.filter((m) => !documented.has(m.key))) process.stdout.write(`<!-- ${message.area} -->\n${entrySkeleton(message)}\n`);
  } else {
    for (const area of AREAS) {
      const here = messages.filter((m) => m.area === area);
      if (!here.length) continue;
      process.stdout.write(`\n## ${area} (${here.length})\n`);
      for (const message of here) process.stdout.write(`${message.template}\n    ${message.sites.map((s) => `${s.file}:${s.line}`).join(', ')}\n`);
    }
    process.stdout.write(`\n${messages.length} messages; ${forwarded.length} sites pass another error's message on: ${forwarded.map((s) => `${s.file}:${s.line}`).join(', ')}\n`);
  }
}

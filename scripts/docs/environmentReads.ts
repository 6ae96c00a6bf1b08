/**
 * Every environment variable the code reads, found with the TypeScript compiler (syntax only:
 * fast enough for a unit test), for the configuration reference. A read is `env.NAME`,
 * `process.env.NAME`, `env['NAME']`, `env[CONSTANT]`, `env[name]` over a list of constants
 * (`for … of`, `.map`, `.filter`), or a helper's parameter (`secretFrom(env, 'DATABASE_URL')`
 * reads `DATABASE_URL` and `DATABASE_URL_FILE`). Writes and deletes are not reads. A read this
 * cannot name is an error naming its line: better than a variable the page silently leaves out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';

export interface EnvironmentRead {
  name: string;
  /** Repository-relative, with forward slashes. */
  file: string;
  line: number;
}

interface Source { file: string; tree: ts.SourceFile }
/** A function that reads `env[param]` (plus suffixes such as `_FILE`), by the parameter's position. */
interface EnvHelper { index: number; suffixes: Set<string> }

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

export function collectEnvironmentReads(root: string, folders: string[]): EnvironmentRead[] {
  const sources = folders.flatMap((folder) => typeScriptFiles(path.join(root, folder))).map((file): Source => ({
    file: path.relative(root, file).split(path.sep).join('/'),
    tree: ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
  }));
  const constants = stringConstants(sources);
  const helpers = new Map<string, EnvHelper>();
  const reads: EnvironmentRead[] = [];
  const unresolved: string[] = [];

  for (const { file, tree } of sources) {
    const at = (node: ts.Node) => tree.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && isEnv(node.expression) && ENV_NAME.test(node.name.text) && !isWrite(node)) {
        reads.push({ name: node.name.text, file, line: at(node) });
      } else if (ts.isElementAccessExpression(node) && isEnv(node.expression) && !isWrite(node)) {
        const key = node.argumentExpression;
        const helper = helperOf(key);
        if (helper) {
          const entry = helpers.get(helper.name) ?? { index: helper.index, suffixes: new Set<string>() };
          entry.suffixes.add(helper.suffix);
          helpers.set(helper.name, entry);
        } else {
          const names = resolveNames(key, constants);
          if (names) for (const name of names) reads.push({ name, file, line: at(node) });
          else unresolved.push(`${file}:${at(node)} env[${key.getText()}]`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }

  // The helpers' callers name the variables.
  for (const { file, tree } of sources) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && helpers.has(node.expression.text)) {
        const helper = helpers.get(node.expression.text)!;
        const argument = node.arguments[helper.index];
        const names = argument ? resolveNames(argument, constants) : undefined;
        const line = tree.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        if (!names) unresolved.push(`${file}:${line} ${node.getText().slice(0, 60)}`);
        else for (const name of names) for (const suffix of helper.suffixes) reads.push({ name: `${name}${suffix}`, file, line });
      }
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }
  if (unresolved.length) throw new Error(`cannot tell which environment variable these read: ${unresolved.join('; ')}`);
  return reads;
}

function typeScriptFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typeScriptFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `env`, `process.env`, `options.env`: anything called env. */
function isEnv(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return node.text === 'env';
  return ts.isPropertyAccessExpression(node) && node.name.text === 'env';
}

function isWrite(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isDeleteExpression(parent)) return true;
  return ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment
    && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

/** Module constants holding a variable's name, or a list of them, by identifier. */
function stringConstants(sources: Source[]): Map<string, string[]> {
  const declarations = new Map<string, ts.Expression>();
  for (const { tree } of sources) {
    for (const statement of tree.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) declarations.set(declaration.name.text, declaration.initializer);
      }
    }
  }
  const resolved = new Map<string, string[]>();
  const valueOf = (expression: ts.Expression, seen: Set<string>): string[] | undefined => {
    const bare = ts.isAsExpression(expression) ? expression.expression : expression;
    if (ts.isStringLiteralLike(bare)) return [bare.text];
    if (ts.isIdentifier(bare)) {
      const target = declarations.get(bare.text);
      return target && !seen.has(bare.text) ? valueOf(target, new Set(seen).add(bare.text)) : undefined;
    }
    if (ts.isArrayLiteralExpression(bare)) {
      const names: string[] = [];
      for (const element of bare.elements) {
        const values = valueOf(ts.isSpreadElement(element) ? element.expression : element, seen);
        if (!values) return undefined;
        names.push(...values);
      }
      return names;
    }
    return undefined;
  };
  for (const [name, initializer] of declarations) {
    const values = valueOf(initializer, new Set([name]));
    if (values) resolved.set(name, values);
  }
  return resolved;
}

/** The names an expression stands for: a literal, a constant, or the loop variable over a list of them. */
function resolveNames(expression: ts.Expression, constants: Map<string, string[]>): string[] | undefined {
  if (ts.isStringLiteralLike(expression)) return [expression.text];
  if (ts.isArrayLiteralExpression(expression)) {
    const names = expression.elements.map((element) => resolveNames(ts.isSpreadElement(element) ? element.expression : element, constants));
    return names.every((list) => list !== undefined) ? names.flat() as string[] : undefined;
  }
  if (!ts.isIdentifier(expression)) return undefined;
  const constant = constants.get(expression.text);
  if (constant) return constant;
  const list = iteratedList(expression);
  return list ? resolveNames(list, constants) : undefined;
}

/** For `name` bound by `for (const name of LIST)` or `LIST.map((name) => …)`: LIST. */
function iteratedList(identifier: ts.Identifier): ts.Expression | undefined {
  for (let node: ts.Node | undefined = identifier.parent; node; node = node.parent) {
    if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer)
      && node.initializer.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === identifier.text)) return node.expression;
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.parameters[0]
      && ts.isIdentifier(node.parameters[0].name) && node.parameters[0].name.text === identifier.text) {
      const call = node.parent;
      if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression)
        && ['map', 'filter', 'forEach', 'some', 'every', 'find', 'flatMap'].includes(call.expression.name.text)) return call.expression.expression;
      return undefined;
    }
  }
  return undefined;
}

/** `env[name]` or env[`${name}_FILE`] where `name` is a parameter of a named function: that function is a helper. */
function helperOf(key: ts.Expression): { name: string; index: number; suffix: string } | undefined {
  let parameter: string | undefined;
  let suffix = '';
  if (ts.isIdentifier(key)) parameter = key.text;
  else if (ts.isTemplateExpression(key) && key.head.text === '' && key.templateSpans.length === 1 && ts.isIdentifier(key.templateSpans[0]!.expression)) {
    parameter = key.templateSpans[0]!.expression.text;
    suffix = key.templateSpans[0]!.literal.text;
  }
  if (parameter === undefined) return undefined;
  for (let node: ts.Node | undefined = key.parent; node; node = node.parent) {
    if (!ts.isFunctionLike(node)) continue;
    const index = node.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === parameter);
    if (index < 0) return undefined;
    // A callback's parameter (`.map((name) => env[name])`) is the list's element, not a helper's.
    if (ts.isCallExpression(node.parent) && node.parent.arguments.includes(node as unknown as ts.Expression)) return undefined;
    const name = ts.isFunctionDeclaration(node) ? node.name?.text
      : ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : undefined;
    return name ? { name, index, suffix } : undefined;
  }
  return undefined;
}

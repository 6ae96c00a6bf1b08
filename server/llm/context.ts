/**
 * What the model is shown about one hunk, within a token budget. Reviewers of a
 * change look up a handful of things: the lines themselves with their numbers,
 * the function they sit in, what the new code calls, and who uses an export
 * that changed. Each becomes a section; the hunk is always sent, the others are
 * added by priority while they fit, and whatever did not fit is named so the
 * run can say what the model did not see.
 */
import { createHash } from 'node:crypto';
import { ts } from 'ts-morph';
import type { Finding, RelatedLocation } from '../../shared/review';
import type { DiffHunk } from '../git/diffModel';
import type { StoredImport, StoredSymbol } from '../store/indexStore';
import type { ChangedFile } from '../review/rule';
import { adapterFor } from '../languages/registry';
import { languageSections } from './languageContext';
import { relatedChangeSections } from './relatedContext';

/** A rough token count (about four characters per token for code and English). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The longest hunk sent whole; longer ones are cut and the cut is reported. */
export const MAX_HUNK_LINES = 400;
/** Instructions are cut at this many tokens so that they never crowd out the code. */
const MAX_INSTRUCTION_TOKENS = 1_500;
/** Enclosing declarations longer than this are shown as their head plus the lines around the hunk. */
const MAX_ENCLOSING_LINES = 120;
const MAX_CALLEES = 15;
const MAX_USES_PER_EXPORT = 30;
export const CALLEES = 'Declarations of what the changed lines call';
export const DEPENDENTS = 'Where the changed exports are used';
export { MAX_CALLEES, MAX_USES_PER_EXPORT };

/** What the index and the team's files can tell about the workspace. */
export interface ContextSources {
  importsIn(path: string): StoredImport[];
  symbolsIn(path: string): StoredSymbol[];
  usagesOf(file: string, symbol: string): Promise<RelatedLocation[]>;
  isExcluded(path: string): boolean;
  instructionsFor(path: string): string;
  /** Findings the team accepted or rejected near this file, rendered (learning/examples.ts); empty for none. */
  preferencesFor(path: string): string;
}

/**
 * What one hunk brings to a prompt. A prompt may hold several hunks (see
 * grouping.ts): the file's sections are shown once per file, the hunk's own
 * part (its lines and its own context) under the label the prompt gives it.
 */
export interface HunkPrompt {
  path: string;
  status: string;
  /**
   * The file's sections that fitted: the same for every hunk of a file, since
   * they are weighed first, before the hunk's own context.
   */
  instructions: string;
  preferences: string;
  /** The hunk's own part, with new-file line numbers, under the heading of `label` (H1, H2…). */
  render: (label: string) => string;
  /** Estimated tokens of `render`'s text and of the file's sections. */
  tokens: { own: number; instructions: number; preferences: number };
  /**
   * A hash of everything the answer depends on, with this file's line numbers
   * taken relative to the hunk: a hunk that only moved hits the cache. It does
   * not depend on the other hunks a prompt holds.
   */
  contextHash: string;
  /** What did not fit the budget, for the run's `contextOmitted`. */
  omitted: string[];
  /** New-file lines a finding may point at. */
  range: { first: number; last: number };
}

export interface Section {
  /** The heading it is listed under; sections of one group share it. */
  group: string;
  /** `line` maps a line of this file to its label: absolute for the prompt, relative for the key. */
  render: (line: (n: number) => string) => string;
  /** Named in `omitted` when the section does not fit. */
  what: string;
  /** Shown once per file rather than with each hunk. */
  perFile?: 'instructions' | 'preferences';
}

/** The heading of the team's instructions, wherever a prompt shows them. */
export const INSTRUCTIONS_HEADING = 'Team instructions';
/** The heading of the team's preference examples. */
export const PREFERENCES_HEADING = "The team's preferences (votes on earlier findings)";

/**
 * Builds what `hunk` in `file` brings to a prompt. `parsed` is the file's new
 * text parsed (TS/JS only); `staticFindings` are the file's findings from the rules;
 * `change` is every file of the change, for the other side of a definition and its callers.
 */
export async function buildHunkPrompt(
  file: ChangedFile,
  hunk: DiffHunk,
  parsed: ts.SourceFile | undefined,
  staticFindings: readonly Finding[],
  sources: ContextSources,
  maxContextTokens: number,
  change: readonly ChangedFile[] = [],
): Promise<HunkPrompt> {
  const first = hunk.newStart;
  const last = hunk.newStart + Math.max(hunk.newLines, 1) - 1;
  const addedNumbers = hunk.lines.flatMap((line) => (line.kind === 'add' && line.newLine !== null ? [line.newLine] : []));
  const added = { first: Math.min(...addedNumbers), last: Math.max(...addedNumbers) };
  const omitted: string[] = [];

  const hunkSection = renderHunk(hunk, omitted);
  const optional: Section[] = [];

  const instructions = sources.instructionsFor(file.path);
  if (instructions) {
    const text = estimateTokens(instructions) > MAX_INSTRUCTION_TOKENS ? `${instructions.slice(0, MAX_INSTRUCTION_TOKENS * 4)}\n…` : instructions;
    optional.push({ group: INSTRUCTIONS_HEADING, render: () => text, what: 'team instructions', perFile: 'instructions' });
  }
  const preferences = sources.preferencesFor(file.path);
  if (preferences) {
    optional.push({ group: PREFERENCES_HEADING, render: () => preferences, what: 'the team\'s preference examples', perFile: 'preferences' });
  }
  const mine = staticFindings.filter((finding) => finding.file === file.path && finding.endLine >= first && finding.line <= last);
  if (mine.length) {
    optional.push({
      group: 'Already reported by static analysis (do not repeat these)',
      render: (line) => mine.map((finding) => `- line ${line(finding.line)} [${finding.ruleId}] ${finding.message}`).join('\n'),
      what: `${mine.length} static finding(s)`,
    });
  }
  // Before the index's lookups: the change's other side is what a reviewer of both files would read first.
  const related = relatedChangeSections(file, hunk, change, sources);
  if (parsed) {
    const enclosing = enclosingDeclaration(parsed, added.first, added.last);
    if (enclosing) optional.push(enclosing);
    optional.push(...related);
    optional.push(...calleeSections(file.path, parsed, added.first, added.last, sources));
    optional.push(...(await dependentSections(file.path, parsed, added.first, added.last, sources)));
  } else if (file.newText !== null && adapterFor(file.path)) {
    optional.push(...related);
    optional.push(...(await languageSections(file.path, file.newText, added, sources)));
  } else {
    optional.push(...related);
  }

  const included: Section[] = [];
  let used = 0;
  for (const section of optional) {
    const tokens = estimateTokens(section.render(String));
    if (used + tokens > maxContextTokens) {
      omitted.push(section.what);
      continue;
    }
    used += tokens;
    included.push(section);
  }
  const perFile = (kind: 'instructions' | 'preferences') => included.find((section) => section.perFile === kind)?.render(String) ?? '';
  const own = included.filter((section) => !section.perFile);

  const compose = (label: string, line: (n: number) => string) => {
    const groups = new Map<string, string[]>();
    for (const section of own) groups.set(section.group, [...(groups.get(section.group) ?? []), section.render(line)]);
    return [
      `## Hunk ${label} (new-file line numbers; "+" added, "-" deleted, " " unchanged)\n${hunkSection(line)}`,
      ...[...groups].map(([group, texts]) => `### ${group}\n${texts.join('\n')}`),
      `Report problems only on lines ${line(first)}–${line(last)} of ${file.path}, as hunk ${label}.`,
    ].join('\n\n');
  };
  const render = (label: string) => compose(label, String);
  const relative = compose('H', (n) => `@${n - first}`);
  const contextHash = createHash('sha256')
    .update([file.path, file.diff.status, perFile('instructions'), perFile('preferences'), relative].join('\u0000'))
    .digest('hex');
  return {
    path: file.path,
    status: file.diff.status,
    instructions: perFile('instructions'),
    preferences: perFile('preferences'),
    render,
    tokens: { own: estimateTokens(render('H00')), instructions: estimateTokens(perFile('instructions')), preferences: estimateTokens(perFile('preferences')) },
    contextHash,
    omitted,
    range: { first, last },
  };
}

function renderHunk(hunk: DiffHunk, omitted: string[]): (line: (n: number) => string) => string {
  const lines = hunk.lines.slice(0, MAX_HUNK_LINES);
  if (hunk.lines.length > lines.length) omitted.push(`the hunk's last ${hunk.lines.length - lines.length} lines`);
  return (line) => {
    const width = Math.max(...lines.map((l) => (l.newLine === null ? 0 : line(l.newLine).length)), 1);
    const body = lines.map((l) => {
      const mark = l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' ';
      const number = l.newLine === null ? '' : line(l.newLine);
      return `${mark} ${number.padStart(width)} | ${l.text}`;
    });
    if (hunk.lines.length > lines.length) body.push('… (cut)');
    return body.join('\n');
  };
}

const lineOf = (sourceFile: ts.SourceFile, pos: number) => sourceFile.getLineAndCharacterOfPosition(pos).line + 1;

function isDeclarationLike(node: ts.Node): boolean {
  return ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessor(node)
    || ts.isSetAccessor(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isClassDeclaration(node)
    || ts.isClassExpression(node) || ts.isInterfaceDeclaration(node) || ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node);
}

/** The innermost function, method or class around lines `from..to`, numbered. */
function enclosingDeclaration(sourceFile: ts.SourceFile, from: number, to: number): Section | undefined {
  let best: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    const start = lineOf(sourceFile, node.getStart(sourceFile));
    const end = lineOf(sourceFile, node.end);
    if (start > from || end < to) return;
    if (isDeclarationLike(node)) best = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  if (!best) return undefined;
  const start = lineOf(sourceFile, best.getStart(sourceFile));
  const end = lineOf(sourceFile, best.end);
  return enclosingSection(sourceFile.text, { start, end, name: declarationName(best) }, from, to);
}

/** The section showing lines `start..end` of `text` (a long declaration: its head and the lines around `from..to`). */
export function enclosingSection(fileText: string, declaration: { start: number; end: number; name: string | undefined }, from: number, to: number): Section {
  const { start, end, name } = declaration;
  const text = fileText.split('\n');
  let shown: number[] = [];
  for (let n = start; n <= end; n++) shown.push(n);
  if (shown.length > MAX_ENCLOSING_LINES) {
    const window = new Set<number>([start, start + 1, start + 2, end]);
    for (let n = Math.max(start, from - 15); n <= Math.min(end, to + 15); n++) window.add(n);
    shown = [...window].sort((a, b) => a - b);
  }
  return {
    group: `Enclosing declaration${name ? ` \`${name}\`` : ''}`,
    render: (line) => {
      const out: string[] = [];
      shown.forEach((n, i) => {
        if (i > 0 && n !== shown[i - 1] + 1) out.push('   …');
        out.push(`${line(n)} | ${text[n - 1] ?? ''}`);
      });
      return out.join('\n');
    },
    what: `the enclosing declaration${name ? ` ${name}` : ''}`,
  };
}

function declarationName(node: ts.Node): string | undefined {
  const name = (node as { name?: ts.Node }).name;
  if (name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name))) return name.text;
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) {
    return node.parent.name.text;
  }
  return undefined;
}

/** A declaration's head: its text up to the body, whitespace collapsed. */
function headOf(node: ts.Node, sourceFile: ts.SourceFile): string {
  const body = (node as { body?: ts.Node }).body ?? (ts.isVariableDeclaration(node) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer)) ? node.initializer.body : undefined);
  const start = node.getStart(sourceFile);
  let end = body ? body.getStart(sourceFile) : node.end;
  if (ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node)) {
    const brace = sourceFile.text.indexOf('{', start);
    if (brace >= 0 && brace < node.end) end = brace;
  }
  const head = sourceFile.text.slice(start, end).replace(/\s+/g, ' ').trim();
  return head.length > 300 ? `${head.slice(0, 300)}…` : head;
}

interface CallTarget {
  name: string;
  member?: string;
  viaThis?: boolean;
}

/** Names called (or constructed) on lines `from..to`. */
function callTargets(sourceFile: ts.SourceFile, from: number, to: number): CallTarget[] {
  const seen = new Map<string, CallTarget>();
  const visit = (node: ts.Node): void => {
    if (lineOf(sourceFile, node.end) < from || lineOf(sourceFile, node.getStart(sourceFile)) > to) return;
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && lineOf(sourceFile, node.getStart(sourceFile)) >= from) {
      const callee = node.expression;
      let target: CallTarget | undefined;
      if (ts.isIdentifier(callee)) target = { name: callee.text };
      else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name)) {
        if (callee.expression.kind === ts.SyntaxKind.ThisKeyword) target = { name: callee.name.text, viaThis: true };
        else if (ts.isIdentifier(callee.expression)) target = { name: callee.expression.text, member: callee.name.text };
      }
      if (target) seen.set(`${target.viaThis ? 'this.' : ''}${target.name}.${target.member ?? ''}`, target);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return [...seen.values()];
}

/** The same file's top-level declarations by name, and each class's members. */
function localDeclarations(sourceFile: ts.SourceFile): { top: Map<string, ts.Node>; members: Map<string, ts.Node> } {
  const top = new Map<string, ts.Node>();
  const members = new Map<string, ts.Node>();
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) top.set(declaration.name.text, declaration);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      // Overloads: the implementation (the one with a body) is the last; keep the first, which callers see.
      if (!top.has(statement.name.text)) top.set(statement.name.text, statement);
      if (ts.isClassDeclaration(statement)) {
        for (const member of statement.members) {
          if (member.name && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name)) && !members.has(member.name.text)) members.set(member.name.text, member);
        }
      }
    }
  }
  return { top, members };
}

function calleeSections(path: string, sourceFile: ts.SourceFile, from: number, to: number, sources: ContextSources): Section[] {
  const local = localDeclarations(sourceFile);
  const imports = sources.importsIn(path);
  const sections: Section[] = [];
  for (const target of callTargets(sourceFile, from, to)) {
    if (sections.length >= MAX_CALLEES) break;
    const label = target.viaThis ? `this.${target.name}` : target.member ? `${target.name}.${target.member}` : target.name;
    const localNode = target.viaThis ? local.members.get(target.name) : target.member ? undefined : local.top.get(target.name);
    if (localNode) {
      const line = lineOf(sourceFile, localNode.getStart(sourceFile));
      // Declared inside the hunk: the model already sees it.
      if (line >= from && line <= to) continue;
      const head = headOf(localNode, sourceFile);
      sections.push({ group: CALLEES, render: (l) => `- \`${label}\`: ${path}:${l(line)}: ${head}`, what: `the declaration of ${label}` });
      continue;
    }
    const resolved = resolveImported(target, imports, sources);
    if (resolved && !sources.isExcluded(resolved.file)) {
      sections.push({ group: CALLEES, render: () => `- \`${label}\`: ${resolved.file}:${resolved.startLine}: ${resolved.signature}`, what: `the declaration of ${label}` });
    }
  }
  return sections;
}

function resolveImported(target: CallTarget, imports: readonly StoredImport[], sources: ContextSources): StoredSymbol | undefined {
  if (target.viaThis) return undefined;
  for (const entry of imports) {
    if (!entry.resolvedPath) continue;
    let imported: string | undefined;
    if (target.member && entry.namespace === target.name) imported = target.member;
    else if (!target.member && entry.defaultName === target.name) imported = 'default';
    else if (!target.member) imported = entry.bindings.find((binding) => binding.local === target.name)?.imported;
    if (imported === undefined) continue;
    const symbols = sources.symbolsIn(entry.resolvedPath);
    return symbols.find((symbol) => (imported === 'default' ? symbol.isDefault : symbol.name === imported && symbol.exported));
  }
  return undefined;
}

/** Exports declared on lines `from..to`, each with the places that use it. */
async function dependentSections(path: string, sourceFile: ts.SourceFile, from: number, to: number, sources: ContextSources): Promise<Section[]> {
  const names: string[] = [];
  for (const statement of sourceFile.statements) {
    const start = lineOf(sourceFile, statement.getStart(sourceFile));
    const end = lineOf(sourceFile, statement.end);
    if (end < from || start > to) continue;
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : [];
    if (!modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) {
      if (ts.isExportAssignment(statement)) names.push('default');
      continue;
    }
    if (modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword)) names.push('default');
    else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
    } else {
      const name = declarationName(statement);
      if (name) names.push(name);
    }
  }
  const sections: Section[] = [];
  for (const name of names) {
    const uses = (await sources.usagesOf(path, name)).filter((use) => !sources.isExcluded(use.file));
    if (!uses.length) continue;
    const shown = uses.slice(0, MAX_USES_PER_EXPORT);
    const more = uses.length - shown.length;
    sections.push({
      group: DEPENDENTS,
      render: () => [`- \`${name}\` is used in ${uses.length} place(s):`, ...shown.map((use) => `  - ${use.file}:${use.line}`), ...(more > 0 ? [`  - … and ${more} more`] : [])].join('\n'),
      what: `the ${uses.length} use(s) of ${name}`,
    });
  }
  return sections;
}

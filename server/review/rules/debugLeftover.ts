/**
 * The `debug-leftover` rule: debugging aids added by the change to TypeScript or
 * JavaScript files (`console.log`, `debugger`) and focused tests (`it.only`,
 * `fdescribe`) that make the rest of a suite silently skip.
 *
 * It works on the syntax tree rather than on the text, so a `console.log` inside a
 * string, a comment or a template never matches.
 */
import { ts } from 'ts-morph';
import { scriptKindOf } from '../../index/languages';
import type { Severity } from '../../../shared/review';
import type { ChangedFile, RuleContext, RuleFinding, StaticRule } from '../rule';
import { syntaxErrorOf, syntaxTreeOf } from '../syntaxTrees';
import { ColumnLocator, type TextRange } from '../columns';
import { hasSyntaxError, type LanguageAdapter } from '../../languages/model';
import { adapterFor, loadParsersFor, withParsedFile } from '../../languages/registry';

/** `console.error` and `console.warn` are left alone: reporting errors is legitimate output. */
const CONSOLE_METHODS = new Set(['log', 'debug', 'trace']);

/** The test functions of mocha (bdd and tdd), jest, vitest, jasmine and node:test that have an `.only`. */
const TEST_FUNCTIONS = new Set(['describe', 'it', 'test', 'context', 'suite', 'test.describe']);

/** Jasmine's and jest's focused forms, and what they are focused versions of. */
const FOCUSED_FUNCTIONS: Record<string, string> = { fdescribe: 'describe', fit: 'it' };

const TEST_PATH = /(?:^|\/)(?:__tests__|tests?)\/|\.(?:test|spec)\./;

/**
 * Command-line programs, examples and benchmarks print on purpose, so
 * `console.*` is not reported in files under these folders, nor in files that
 * start with a shebang; a `debugger` statement still is.
 */
const CLI_PATH = /(?:^|\/)(?:bin|scripts?|examples|bench|benchmarks?)\//;

/** Statement containers from which a whole statement can be deleted without changing what else runs. */
const DELETABLE_PARENTS = new Set([ts.SyntaxKind.Block, ts.SyntaxKind.SourceFile, ts.SyntaxKind.ModuleBlock, ts.SyntaxKind.CaseClause, ts.SyntaxKind.DefaultClause]);

interface Leftover {
  /** What was found, also the first half of the fingerprint: `console.log`, `debugger`, `it.only`, `fit`. */
  kind: string;
  severity: Severity;
  message: string;
  /** Offsets of the node, for the reported lines (the statement, when the fix deletes it). */
  start: number;
  end: number;
  /** Where the code itself ends (the call without its `;`), for the reported columns; `end` when absent. */
  codeEnd?: number;
  suggestion: string | null;
}

/** Maps offsets to 1-based lines, counting `\n` only, as git does (the compiler also breaks at lone CRs). */
class Lines {
  readonly texts: string[];
  private readonly starts: number[] = [0];

  constructor(text: string) {
    this.texts = text.split('\n').map((line) => line.replace(/\r$/, ''));
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  columnOf(offset: number): number {
    return offset - this.starts[this.lineOf(offset) - 1];
  }

  text(line: number): string {
    return this.texts[line - 1] ?? '';
  }
}

/** `console.log`, `console['log']`, `globalThis.console.log`: the method name when it is one we report. */
function consoleMethod(callee: ts.Expression): string | undefined {
  let receiver: ts.Expression;
  let method: string;
  if (ts.isPropertyAccessExpression(callee)) {
    [receiver, method] = [callee.expression, callee.name.text];
  } else if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) {
    [receiver, method] = [callee.expression, callee.argumentExpression.text];
  } else {
    return undefined;
  }
  if (!CONSOLE_METHODS.has(method)) return undefined;
  const isConsole =
    (ts.isIdentifier(receiver) && receiver.text === 'console') ||
    (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'console' && ts.isIdentifier(receiver.expression) && ['globalThis', 'window', 'global'].includes(receiver.expression.text));
  return isConsole ? method : undefined;
}

/** `describe`, `test.describe`: the dotted name of an identifier chain, or undefined for anything else. */
function dottedName(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) {
    const head = dottedName(node.expression);
    return head === undefined ? undefined : `${head}.${node.name.text}`;
  }
  return undefined;
}

/**
 * The suggestion for a leftover statement: delete its lines, when they hold
 * nothing else and when removing it cannot change which statement an `if` or a
 * loop without braces governs.
 */
function deletion(statement: ts.Statement, sourceFile: ts.SourceFile, lines: Lines): { endLine: number; suggestion: string } | null {
  if (!DELETABLE_PARENTS.has(statement.parent.kind)) return null;
  const start = statement.getStart(sourceFile);
  const end = statement.getEnd();
  const firstLine = lines.lineOf(start);
  const lastLine = lines.lineOf(end);
  const before = lines.text(firstLine).slice(0, lines.columnOf(start));
  const after = lines.text(lastLine).slice(lines.columnOf(end));
  return before.trim() === '' && after.trim() === '' ? { endLine: lastLine, suggestion: '' } : null;
}

/** The line with `[from, to)` removed (or replaced), when that range is on the line. */
function lineEdit(lines: Lines, from: number, to: number, replacement = ''): string | null {
  const line = lines.lineOf(from);
  if (lines.lineOf(to) !== line) return null;
  const text = lines.text(line);
  return text.slice(0, lines.columnOf(from)) + replacement + text.slice(lines.columnOf(to));
}

function findLeftovers(file: ChangedFile, text: string): { leftovers: Leftover[]; lines: Lines; syntaxError: string | null } {
  const sourceFile = syntaxTreeOf(file, 'new')!;
  const syntaxError = syntaxErrorOf(sourceFile);
  const lines = new Lines(text);
  // What the parser made of broken code is a guess: no finding (nor fix) is built on it.
  if (syntaxError) return { leftovers: [], lines, syntaxError };
  const reportConsole = !text.startsWith('#!') && !CLI_PATH.test(file.path);
  const isTestFile = TEST_PATH.test(file.path);
  const leftovers: Leftover[] = [];

  const visit = (node: ts.Node): void => {
    if (ts.isDebuggerStatement(node)) {
      const edit = deletion(node, sourceFile, lines);
      leftovers.push({
        kind: 'debugger',
        severity: 'warning',
        message: '`debugger` statement added: it stops execution whenever developer tools are attached. Remove it.',
        start: node.getStart(sourceFile),
        end: node.getEnd(),
        suggestion: edit?.suggestion ?? null,
      });
    } else if (ts.isCallExpression(node)) {
      const method = reportConsole ? consoleMethod(node.expression) : undefined;
      if (method !== undefined) {
        const statement = ts.isExpressionStatement(node.parent) && node.parent.expression === node ? node.parent : undefined;
        const edit = statement && deletion(statement, sourceFile, lines);
        leftovers.push({
          kind: `console.${method}`,
          severity: 'warning',
          message: `\`console.${method}\` call added: debug output left in the change. Remove it, or use the project's logger if the output is meant to stay.`,
          start: node.getStart(sourceFile),
          end: edit ? statement.getEnd() : node.getEnd(),
          codeEnd: node.getEnd(),
          suggestion: edit?.suggestion ?? null,
        });
      }
      if (isTestFile) {
        const focused = focusedTest(node.expression, sourceFile, lines);
        if (focused) leftovers.push(focused);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return { leftovers, lines, syntaxError: null };
}

/** `it.only(`, `describe.only.each(`… and `fit(`, `fdescribe(`. */
function focusedTest(callee: ts.Expression, sourceFile: ts.SourceFile, lines: Lines): Leftover | null {
  // jest's `describe.only.each(table)(…)` calls `.each` on the focused function.
  const access = ts.isPropertyAccessExpression(callee) && callee.name.text === 'each' ? callee.expression : callee;
  if (ts.isPropertyAccessExpression(access) && access.name.text === 'only') {
    const name = dottedName(access.expression);
    if (name === undefined || !TEST_FUNCTIONS.has(name)) return null;
    return {
      kind: `${name}.only`,
      severity: 'error',
      message: `\`${name}.only\` added: it runs only this test and silently skips the rest of the suite.`,
      start: access.name.getStart(sourceFile),
      end: access.name.getEnd(),
      suggestion: lineEdit(lines, access.expression.getEnd(), access.name.getEnd()),
    };
  }
  if (ts.isIdentifier(access) && Object.hasOwn(FOCUSED_FUNCTIONS, access.text)) {
    const unfocused = FOCUSED_FUNCTIONS[access.text];
    return {
      kind: access.text,
      severity: 'error',
      message: `\`${access.text}\` added: it focuses this test and silently skips the rest of the suite; use \`${unfocused}\`.`,
      start: access.getStart(sourceFile),
      end: access.getEnd(),
      suggestion: lineEdit(lines, access.getStart(sourceFile), access.getEnd(), unfocused),
    };
  }
  return null;
}

function checkFile(file: ChangedFile, skip: RuleContext['skip']): RuleFinding[] {
  if (scriptKindOf(file.path) === undefined || file.newText === null || file.added.size === 0) return [];
  if (file.tooLargeToParse) {
    skip?.(file.path, 'too-large', 'not checked for debugging leftovers: it is over the size limit of the rules that parse');
    return [];
  }
  const { leftovers, lines, syntaxError } = findLeftovers(file, file.newText);
  if (syntaxError) skip?.(file.path, 'does-not-parse', `not checked for debugging leftovers: it does not parse (${syntaxError})`);
  const findings: RuleFinding[] = [];
  const locator = new ColumnLocator(file.newText);
  for (const leftover of leftovers) {
    const line = lines.lineOf(leftover.start);
    if (!file.added.has(line)) continue;
    // Identical lines (`console.log('here')` twice) still need distinct ids.
    const base = `${leftover.kind}:${lines.text(line).trim()}`;
    const endLine = Math.max(line, lines.lineOf(leftover.end));
    findings.push({
      ruleId: 'debug-leftover',
      severity: leftover.severity,
      file: file.path,
      line,
      endLine,
      ...columnsOn(locator.rangeOf(leftover.start, leftover.codeEnd ?? leftover.end), line, endLine),
      message: leftover.message,
      suggestion: leftover.suggestion,
      // Identical findings in one file are told apart by rank in assignIds.
      fingerprint: base,
    });
  }
  return findings;
}

/**
 * The columns of the code's range, when it starts and ends on the finding's
 * first and last lines (a `;` alone on the next line is in the lines the fix
 * deletes, not in the code): otherwise the finding stays whole-line.
 */
function columnsOn(range: TextRange, line: number, endLine: number): { column?: number; endColumn?: number } {
  return range.line === line && range.endLine === endLine ? { column: range.column, endColumn: range.endColumn } : {};
}

/**
 * Python, Go and Java: their adapters find the leftovers (print, breakpoint(),
 * fmt.Println, System.out.println, printStackTrace…), on the tree-sitter tree.
 */
function checkLanguageFile(file: ChangedFile, adapter: LanguageAdapter, skip: RuleContext['skip']): RuleFinding[] {
  if (file.newText === null || file.added.size === 0) return [];
  if (file.tooLargeToParse) {
    skip?.(file.path, 'too-large', 'not checked for debugging leftovers: it is over the size limit of the rules that parse');
    return [];
  }
  if (adapter.isGenerated(file.newText)) return [];
  const lines = file.newText.split('\n');
  const locator = new ColumnLocator(file.newText);
  const found = withParsedFile(adapter, file.path, file.newText, (parsed) => ({ leftovers: adapter.debugLeftovers(parsed), broken: hasSyntaxError(parsed.tree) }));
  if (!found) return [];
  return found.leftovers.filter((leftover) => file.added.has(leftover.startLine)).map((leftover) => ({
    ruleId: 'debug-leftover',
    severity: 'warning',
    file: file.path,
    line: leftover.startLine,
    endLine: Math.max(leftover.startLine, leftover.endLine),
    ...columnsOn(locator.rangeOf(leftover.start, leftover.end), leftover.startLine, Math.max(leftover.startLine, leftover.endLine)),
    message: leftover.message,
    // Deleting the lines is offered only where the parse is sure of the statement's extent.
    suggestion: leftover.removable && !found.broken ? '' : null,
    fingerprint: `${leftover.kind}:${(lines[leftover.startLine - 1] ?? '').trim()}`,
  }));
}

/** Reports `console.log`/`debug`/`trace`, `debugger` and focused tests on the lines the change adds (and their kin in Python, Go and Java). */
export const debugLeftoverRule: StaticRule = {
  id: 'debug-leftover',
  description: 'Debugging aids added by the change: console.log/debug/trace calls, debugger statements, and focused tests (it.only, fdescribe) that skip the rest of a suite; print()/breakpoint()/pdb in Python, fmt.Print*/println in Go, System.out/err.print*/printStackTrace() in Java.',
  async run(context: RuleContext): Promise<RuleFinding[]> {
    await loadParsersFor(context.files.filter((file) => file.newText !== null).map((file) => file.path));
    return context.files.flatMap((file) => {
      const adapter = adapterFor(file.path);
      return adapter ? checkLanguageFile(file, adapter, context.skip) : checkFile(file, context.skip);
    });
  },
};

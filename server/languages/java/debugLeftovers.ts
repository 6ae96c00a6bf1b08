/**
 * Java debug leftovers: `System.out.print*`, `System.err.print*` and
 * `x.printStackTrace()`. Tests (under `src/test/`) print as they like; a class
 * with a `main` method prints its output on purpose, so System.out/err there is
 * not reported, but a swallowed stack trace still is.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { type DebugLeftover, type ParsedFile, endLineOf, startLineOf } from '../model';
import { isTypeNode } from './declarations';

/** Statement containers in which deleting one statement leaves the others as they were (not an `if` without braces). */
const BLOCKS = new Set(['block', 'constructor_body', 'switch_block_statement_group', 'class_body', 'program']);

function isTestPath(path: string): boolean {
  return /(^|\/)src\/test\//.test(path);
}

function hasMain(type: Node): boolean {
  const body = type.childForFieldName('body');
  return (body?.namedChildren ?? []).some((m) => {
    if (m?.type !== 'method_declaration' || m.childForFieldName('name')?.text !== 'main') return false;
    const modifiers = m.children.find((c) => c?.type === 'modifiers')?.text ?? '';
    return /\bstatic\b/.test(modifiers) && /\bpublic\b/.test(modifiers) && m.childForFieldName('type')?.text === 'void';
  });
}

export function javaDebugLeftovers(file: ParsedFile): DebugLeftover[] {
  if (isTestPath(file.path)) return [];
  const lines = file.text.split('\n');
  const result: DebugLeftover[] = [];
  const visit = (node: Node, inMain: boolean) => {
    const main = inMain || (isTypeNode(node) && hasMain(node));
    if (node.type === 'method_invocation') {
      const kind = leftoverKind(node);
      if (kind && !(main && kind.startsWith('System.'))) {
        const statement = node.parent?.type === 'expression_statement' ? node.parent : null;
        const target = statement ?? node;
        result.push({
          kind,
          message: kind === 'printStackTrace'
            ? '`printStackTrace()` left in: the trace goes to stderr, not to the log'
            : `\`${kind}\` left in: debugging output goes to the console, not to the log`,
          startLine: startLineOf(target),
          endLine: endLineOf(target),
          start: node.startIndex,
          end: node.endIndex,
          removable: statement !== null && BLOCKS.has(statement.parent?.type ?? '') && standsAlone(statement, lines),
        });
      }
    }
    for (const child of node.namedChildren) if (child) visit(child, main);
  };
  visit(file.tree.rootNode, false);
  return result;
}

function leftoverKind(call: Node): string | null {
  const name = call.childForFieldName('name')?.text ?? '';
  const object = call.childForFieldName('object');
  const args = call.childForFieldName('arguments');
  if (name === 'printStackTrace' && object && args && args.namedChildCount === 0) return 'printStackTrace';
  const receiver = object?.text.replace(/\s+/g, '');
  if (/^print/.test(name) && (receiver === 'System.out' || receiver === 'System.err')) return `${receiver}.${name}`;
  return null;
}

/** Nothing but whitespace before the statement on its first line and after it on its last. */
function standsAlone(statement: Node, lines: readonly string[]): boolean {
  const start = statement.startPosition;
  const end = statement.endPosition;
  const before = (lines[start.row] ?? '').slice(0, start.column);
  const after = (lines[end.row] ?? '').slice(end.column);
  return before.trim() === '' && after.trim() === '';
}

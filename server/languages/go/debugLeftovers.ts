/**
 * Debug leftovers in Go: `fmt.Print`, `fmt.Printf`, `fmt.Println`, the builtins
 * `print` and `println`, and any `spew` call. A `package main` prints its output
 * and a test may print what it likes, so prints are reported only elsewhere; spew
 * is a debugging aid everywhere. `log.Print*` is logging, not a leftover, and
 * `fmt.Fprint*` writes where it was told to.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { endLineOf, startLineOf, type DebugLeftover, type ParsedFile } from '../model';
import { extract } from './extract';
import { isTestFile } from './package';

const FMT_PRINTS = new Set(['Print', 'Printf', 'Println']);
const BUILTIN_PRINTS = new Set(['print', 'println']);
const SPEW = 'github.com/davecgh/go-spew/spew';

/** The statement a call is the whole of (`fmt.Println(x)`, `defer spew.Dump(x)`), else null. */
function wholeStatement(call: Node): Node | null {
  const parent = call.parent;
  if (!parent) return null;
  if (parent.type === 'expression_statement' || parent.type === 'defer_statement' || parent.type === 'go_statement') return parent;
  return null;
}

/** Nothing else runs on the statement's lines: no other statement, no brace of its block (`if x { print(x) }`). */
function standsAlone(statement: Node): boolean {
  const start = startLineOf(statement);
  const end = endLineOf(statement);
  const list = statement.parent;
  if (!list) return false;
  const siblings = list.namedChildren.filter((s): s is Node => s !== null && !s.equals(statement) && s.type !== 'comment');
  if (siblings.some((s) => startLineOf(s) <= end && endLineOf(s) >= start)) return false;
  const block = list.type === 'statement_list' ? list.parent : list;
  if (!block || (block.type !== 'block' && block.type !== 'communication_case' && block.type !== 'expression_case' && block.type !== 'default_case' && block.type !== 'type_case')) return false;
  if (block.type === 'block') return startLineOf(block) < start && endLineOf(block) > end;
  return startLineOf(block) < start;
}

export function debugLeftovers(file: ParsedFile): DebugLeftover[] {
  // Most files print nothing: a text check spares them the walk over every call (it cost ~0.4 of a parse).
  const mayPrint = /\.Print(?:ln|f)?\s*\(|\bprint(?:ln)?\s*\(/.test(file.text);
  if (!mayPrint && !file.text.includes('spew')) return [];
  const root = file.tree.rootNode;
  const packageName = root.namedChildren.find((c) => c?.type === 'package_clause')?.namedChildren[0]?.text;
  const printsAllowed = packageName === 'main' || isTestFile(file.path);
  if ((printsAllowed || !mayPrint) && !file.text.includes('spew')) return [];
  const imports = extract(file).imports;
  const fmt = new Set(imports.filter((i) => i.specifier === 'fmt' && i.namespace).map((i) => i.namespace));
  const spew = new Set(imports.filter((i) => i.specifier === SPEW && i.namespace).map((i) => i.namespace));
  const out: DebugLeftover[] = [];
  for (const call of root.descendantsOfType('call_expression')) {
    const callee = call?.childForFieldName('function');
    if (!call || !callee) continue;
    let kind: string | null = null;
    if (callee.type === 'selector_expression') {
      const operand = callee.childForFieldName('operand')?.text ?? '';
      const field = callee.childForFieldName('field')?.text ?? '';
      if (spew.has(operand)) kind = `spew.${field}`;
      else if (!printsAllowed && fmt.has(operand) && FMT_PRINTS.has(field)) kind = `fmt.${field}`;
    } else if (callee.type === 'identifier' && BUILTIN_PRINTS.has(callee.text) && !printsAllowed) {
      kind = callee.text;
    }
    if (!kind) continue;
    const statement = wholeStatement(call);
    const span = statement ?? call;
    out.push({
      kind,
      message: kind.startsWith('spew.')
        ? `\`${kind}\` is left in: a debugging dump.`
        : `\`${kind}\` is left in outside a \`main\` package: debug output, or should it go through a logger?`,
      startLine: startLineOf(span),
      endLine: endLineOf(span),
      start: call.startIndex,
      end: call.endIndex,
      removable: statement !== null && standsAlone(statement),
    });
  }
  return out;
}

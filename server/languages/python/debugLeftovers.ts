/**
 * Debug leftovers in Python: `print(…)`, `breakpoint()`, `pdb`/`ipdb`/`pudb`
 * `set_trace()` and the `import pdb` that comes with it. A print is a program's
 * output, not a leftover, where the file is meant to be run (a `__main__.py`, a
 * file with a shebang, scripts/, bin/, examples/) and inside
 * `if __name__ == "__main__":`; a breakpoint stops the program wherever it is.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { endLineOf, startLineOf, type DebugLeftover, type ParsedFile } from '../model';
import { isMainGuard } from './module';

const DEBUGGERS = new Set(['pdb', 'ipdb', 'pudb', 'pydevd']);
const TRACE_CALLS = new Set(['set_trace', 'post_mortem', 'pm']);

/** A file meant to be run, whose prints are its output. */
function isProgram(file: ParsedFile): boolean {
  return file.text.startsWith('#!') || /(^|\/)__main__\.py$/.test(file.path) || /(^|\/)(scripts|bin|examples)\//.test(file.path);
}

function underMainGuard(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (isMainGuard(current)) return true;
  return false;
}

/** The simple statements that share a line with `node`'s statement (`import pdb; pdb.set_trace()`). */
function statementOf(node: Node): Node | null {
  let current: Node | null = node;
  while (current && current.parent && current.parent.type !== 'block' && current.parent.type !== 'module') current = current.parent;
  return current?.parent ? current : null;
}

export function debugLeftovers(file: ParsedFile): DebugLeftover[] {
  const root = file.tree.rootNode;
  const found: Array<{ kind: string; message: string; node: Node; statement: Node | null; whole: boolean }> = [];
  const program = isProgram(file);
  // Most files have none: the text says so without walking every call of the tree.
  const calls = /\b(?:print|breakpoint|set_trace|post_mortem|pm)\s*\(/.test(file.text) ? root.descendantsOfType('call') : [];
  for (const call of calls) {
    if (!call) continue;
    const callee = call.childForFieldName('function');
    if (!callee) continue;
    let kind: string | null = null;
    let message = '';
    if (callee.type === 'identifier' && callee.text === 'print') {
      if (program || underMainGuard(call)) continue;
      kind = 'print';
      message = 'A `print(…)` call is left in: debug output, or should it go through `logging`?';
    } else if (callee.type === 'identifier' && callee.text === 'breakpoint') {
      kind = 'breakpoint';
      message = '`breakpoint()` is left in: the program stops in the debugger here.';
    } else if (callee.type === 'attribute' && DEBUGGERS.has(callee.childForFieldName('object')?.text ?? '') && TRACE_CALLS.has(callee.childForFieldName('attribute')?.text ?? '')) {
      kind = callee.text.replace(/\s+/g, '');
      message = `\`${kind}()\` is left in: the program stops in the debugger here.`;
    }
    if (!kind) continue;
    const statement = statementOf(call);
    // Removable only when the call is the whole statement (`x = print()` is not).
    const whole = statement?.type === 'expression_statement' && statement.namedChildren.length === 1 && statement.namedChildren[0]?.equals(call) === true;
    found.push({ kind, message, node: call, statement, whole });
  }
  const imports = /\bimport\s+(?:[\w.]+\s*,\s*)*(?:pdb|ipdb|pudb|pydevd)\b/.test(file.text) ? root.descendantsOfType('import_statement') : [];
  for (const statement of imports) {
    if (!statement) continue;
    const names = statement.childrenForFieldName('name').map((n) => n?.text ?? '');
    const debuggers = names.filter((n) => DEBUGGERS.has(n));
    if (debuggers.length === 0) continue;
    found.push({ kind: `import ${debuggers[0]}`, message: `\`import ${debuggers[0]}\` is left in: a debugger import.`, node: statement, statement, whole: debuggers.length === names.length });
  }

  const debugStatements = new Set(found.filter((f) => f.whole && f.statement).map((f) => f.statement?.id));
  return found
    .sort((a, b) => a.node.startIndex - b.node.startIndex)
    .map(({ kind, message, node, statement, whole }) => {
      let removable = false;
      const parent = statement?.parent;
      if (whole && statement && parent) {
        const start = startLineOf(statement);
        const end = endLineOf(statement);
        const siblings = parent.namedChildren.filter((s): s is Node => s !== null);
        // Its lines hold nothing but leftovers (`import pdb; pdb.set_trace()` goes as one line; a trailing comment stays)…
        const alone = siblings.filter((s) => startLineOf(s) <= end && endLineOf(s) >= start).every((s) => debugStatements.has(s.id));
        // …its block keeps a statement (an empty block does not parse)…
        const blockKeepsOne = parent.type === 'module' || siblings.some((s) => s.type !== 'comment' && !debugStatements.has(s.id));
        // …and no `if x: print(x)` header shares its line.
        const headerOnLine = parent.type === 'block' && parent.parent !== null && startLineOf(parent.parent) === start;
        removable = alone && blockKeepsOne && !headerOnLine;
      }
      const span = statement && whole ? statement : node;
      return { kind, message, startLine: startLineOf(span), endLine: endLineOf(span), start: node.startIndex, end: node.endIndex, removable };
    });
}

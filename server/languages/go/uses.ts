/**
 * Where a dependent uses what broke, read from its tree (code, never strings or
 * comments). A name is reached as `pkg.Name` through the namespace an import binds
 * (an expression's selector or a type's qualifier), or bare: from another file of
 * the same package (no import row) or through a dot import.
 *
 * Members are approximate, as types are beyond syntax: in a file that uses the
 * type, every `.Member` selector and every `Member:` key of a composite literal
 * counts. Implementers are approximate too: the methods declared with the broken
 * method's name (they implement the old contract) and the lines naming the type (a
 * conversion or assignment to an interface is where an implementer stops compiling:
 * `var _ pkg.I = (*T)(nil)`, a call passing a value as `pkg.I`).
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import type { StoredImport } from '../../store/indexStore';
import { startLineOf, type ApiBreak, type ParsedFile } from '../model';

function isInsideImport(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (current.type === 'import_declaration') return true;
  return false;
}

/** The lines naming `name` through `namespaces`, or bare when `bare`. */
function nameLines(root: Node, namespaces: Set<string>, bare: boolean, name: string): Set<number> {
  const lines = new Set<number>();
  if (namespaces.size > 0) {
    for (const node of root.descendantsOfType(['selector_expression', 'qualified_type'])) {
      if (!node) continue;
      const [qualifier, field] = node.type === 'selector_expression'
        ? [node.childForFieldName('operand'), node.childForFieldName('field')]
        : [node.childForFieldName('package'), node.childForFieldName('name')];
      if (qualifier && field?.text === name && namespaces.has(qualifier.text)) lines.add(startLineOf(node));
    }
  }
  if (bare) {
    for (const node of root.descendantsOfType(['identifier', 'type_identifier'])) {
      if (node && node.text === name && !isInsideImport(node)) lines.add(startLineOf(node));
    }
  }
  return lines;
}

/** The lines selecting `.member` or keying `member:` in a composite literal. */
function memberLines(root: Node, member: string): Set<number> {
  const lines = new Set<number>();
  for (const node of root.descendantsOfType('selector_expression')) {
    if (node && node.childForFieldName('field')?.text === member) lines.add(startLineOf(node));
  }
  for (const node of root.descendantsOfType('keyed_element')) {
    const key = node?.namedChildren[0];
    if (node && key && key.text === member) lines.add(startLineOf(node));
  }
  return lines;
}

export function usesOf(dependent: ParsedFile, imports: readonly StoredImport[], broken: ApiBreak): number[] {
  const root = dependent.tree.rootNode;
  const namespaces = new Set(imports.map((row) => row.namespace).filter((ns): ns is string => ns !== null && ns !== '_'));
  // No import row: a file of the same package. A dot import binds every exported name.
  const bare = imports.length === 0 || imports.some((row) => row.bindings.some((b) => b.imported === '*'));
  const named = nameLines(root, namespaces, bare, broken.name);
  if (broken.member === null) return [...named].sort((a, b) => a - b);

  const lines = new Set<number>();
  // A value of the type may arrive from anywhere (a function's result), but a file that never names the type rarely holds one.
  if (named.size > 0 && broken.affects !== 'implementers') for (const line of memberLines(root, broken.member)) lines.add(line);
  if (broken.affects !== 'callers') {
    for (const method of root.descendantsOfType('method_declaration')) {
      if (method?.childForFieldName('name')?.text === broken.member) lines.add(startLineOf(method));
    }
    for (const line of named) lines.add(line);
  }
  return [...lines].sort((a, b) => a - b);
}

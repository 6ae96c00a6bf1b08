/** The innermost method, constructor or type around some lines, named as dependents write it (`Outer.Inner.run`). */
import type { Node } from '@vscode/tree-sitter-wasm';
import { type EnclosingDeclaration, type ParsedFile, endLineOf, startLineOf } from '../model';
import { isTypeNode, typeKindOf } from './declarations';

const CALLABLES: Record<string, string> = {
  method_declaration: 'method',
  constructor_declaration: 'constructor',
  compact_constructor_declaration: 'constructor',
};

export function enclosingJavaDeclaration(file: ParsedFile, from: number, to: number): EnclosingDeclaration | null {
  let found: EnclosingDeclaration | null = null;
  const visit = (node: Node, owner: string) => {
    for (const child of node.namedChildren) {
      if (!child || startLineOf(child) > to || endLineOf(child) < from) continue;
      const contains = startLineOf(child) <= from && endLineOf(child) >= to;
      let name = owner;
      if (contains && (isTypeNode(child) || child.type in CALLABLES)) {
        const own = child.type in CALLABLES && child.type !== 'method_declaration' ? '<init>' : (child.childForFieldName('name')?.text ?? '');
        name = owner ? `${owner}.${own}` : own;
        found = { name, kind: typeKindOf(child) ?? CALLABLES[child.type], startLine: startLineOf(child), endLine: endLineOf(child) };
      }
      if (contains) visit(child, name);
    }
  };
  visit(file.tree.rootNode, '');
  return found;
}

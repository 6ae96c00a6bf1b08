/**
 * The innermost function, method or type declaration around some lines, for the
 * LLM's context. Methods are named `Type.Method`; a function literal is not a
 * declaration, so lines inside one belong to the function that holds it.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { endLineOf, startLineOf, type EnclosingDeclaration, type ParsedFile } from '../model';
import { receiverOf } from './syntax';

export function enclosingDeclaration(file: ParsedFile, from: number, to: number): EnclosingDeclaration | null {
  let best: Node | null = null;
  for (const node of file.tree.rootNode.descendantsOfType(['function_declaration', 'method_declaration', 'type_spec', 'type_alias'])) {
    if (node && startLineOf(node) <= from && endLineOf(node) >= to && (!best || node.startIndex >= best.startIndex)) best = node;
  }
  if (!best) return null;
  const name = best.childForFieldName('name')?.text ?? '';
  // A lone `type X struct {…}` spans its `type` keyword too.
  const outer = best.type.startsWith('type_') && best.parent?.type === 'type_declaration' && best.parent.namedChildren.length === 1 ? best.parent : best;
  const span = { startLine: startLineOf(outer), endLine: endLineOf(outer) };
  if (best.type === 'function_declaration') return { name, kind: 'function', ...span };
  if (best.type === 'method_declaration') return { name: `${receiverOf(best)?.type ?? ''}.${name}`, kind: 'method', ...span };
  const type = best.childForFieldName('type')?.type;
  return { name, kind: type === 'struct_type' ? 'struct' : type === 'interface_type' ? 'interface' : 'type', ...span };
}

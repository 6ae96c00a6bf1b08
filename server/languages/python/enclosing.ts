/**
 * The innermost function, method or class around some lines, for the LLM's context.
 * Methods are named `Class.method`; a decorated definition starts at its first decorator.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { endLineOf, startLineOf, type EnclosingDeclaration, type ParsedFile } from '../model';

export function enclosingDeclaration(file: ParsedFile, from: number, to: number): EnclosingDeclaration | null {
  let best: Node | null = null;
  for (const node of file.tree.rootNode.descendantsOfType(['function_definition', 'class_definition'])) {
    if (!node) continue;
    const outer = node.parent?.type === 'decorated_definition' ? node.parent : node;
    if (startLineOf(outer) <= from && endLineOf(outer) >= to && (!best || node.startIndex >= best.startIndex)) best = node;
  }
  if (!best) return null;
  const names: string[] = [];
  let kind = best.type === 'class_definition' ? 'class' : 'function';
  for (let current: Node | null = best; current; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'class_definition') names.unshift(current.childForFieldName('name')?.text ?? '');
  }
  const outer = best.parent?.type === 'decorated_definition' ? best.parent : best;
  if (kind === 'function' && outer.parent?.type === 'block' && outer.parent.parent?.type === 'class_definition') kind = 'method';
  return { name: names.join('.'), kind, startLine: startLineOf(outer), endLine: endLineOf(outer) };
}

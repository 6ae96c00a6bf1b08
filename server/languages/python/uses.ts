/**
 * Where a dependent uses what broke, read from its tree (identifiers in code, never
 * in strings or comments), through the names its imports bind:
 * `from m import f [as g]` binds `g`; `from m import *` binds `f` itself;
 * `import m`, `import m as mm` and `from pkg import m` (a submodule) bind a namespace
 * used as `mm.f`. A member (`Client.send`) is matched as `.send` on any line of a
 * file that uses the class, since which value has the class's type is beyond syntax;
 * a constructor (`__init__`) is matched as calls of the class. Implementers are the
 * classes deriving from it and their overriding `def`s.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import type { StoredImport } from '../../store/indexStore';
import { startLineOf, type ApiBreak, type ParsedFile } from '../model';

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

function insideImport(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (IMPORT_TYPES.has(current.type)) return true;
  return false;
}

/** Whether an identifier reads a variable (not `x.name`'s attribute, a keyword argument's name, or a parameter). */
function isReference(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'attribute' && parent.childForFieldName('attribute')?.equals(node)) return false;
  if (parent.type === 'keyword_argument' && parent.childForFieldName('name')?.equals(node)) return false;
  if (['parameters', 'default_parameter', 'typed_parameter', 'typed_default_parameter'].includes(parent.type) && !parent.childForFieldName('value')?.equals(node)) return false;
  if ((parent.type === 'function_definition' || parent.type === 'class_definition') && parent.childForFieldName('name')?.equals(node)) return false;
  return !insideImport(node);
}

/** The local names and namespaces through which `imports` reach the broken declaration. */
function localNames(imports: readonly StoredImport[], name: string): { names: Set<string>; namespaces: Set<string> } {
  const names = new Set<string>();
  const namespaces = new Set<string>();
  for (const row of imports) {
    if (row.namespace) namespaces.add(row.namespace);
    for (const binding of row.bindings) {
      if (binding.imported === '*') names.add(name);
      else if (binding.imported === name) names.add(binding.local);
    }
    if (row.kind === 'export-all') names.add(name);
  }
  return { names, namespaces };
}

/** The nodes in `root` that stand for the broken name: bare identifiers bound by an import, or `ns.name` attributes. */
function nameUses(root: Node, names: Set<string>, namespaces: Set<string>, name: string): Node[] {
  const out: Node[] = [];
  if (names.size > 0) {
    for (const id of root.descendantsOfType('identifier')) if (id && names.has(id.text) && isReference(id)) out.push(id);
  }
  if (namespaces.size > 0) {
    for (const attribute of root.descendantsOfType('attribute')) {
      if (!attribute || attribute.childForFieldName('attribute')?.text !== name) continue;
      const object = attribute.childForFieldName('object');
      if (object && namespaces.has(object.text.replace(/\s+/g, '')) && !insideImport(attribute)) out.push(attribute);
    }
  }
  return out;
}

/** A use's expression is called: `f(…)`, `ns.f(…)`. */
const isCalled = (node: Node) => node.parent?.type === 'call' && node.parent.childForFieldName('function')?.equals(node) === true;

export function usesOf(dependent: ParsedFile, imports: readonly StoredImport[], broken: ApiBreak): number[] {
  const root = dependent.tree.rootNode;
  const { names, namespaces } = localNames(imports, broken.name);
  const uses = nameUses(root, names, namespaces, broken.name);
  const lines = new Set<number>();
  const wantsCallers = broken.affects !== 'implementers';
  const wantsImplementers = broken.affects !== 'callers';

  // Subclasses: `class X(Broken)`, and their overriding `def member`.
  const subclasses: Node[] = [];
  for (const use of uses) {
    const holder = use.parent?.type === 'argument_list' ? use.parent.parent : null;
    if (holder?.type === 'class_definition' && holder.childForFieldName('superclasses')?.equals(use.parent as Node)) subclasses.push(holder);
  }

  if (broken.member === null) {
    if (wantsCallers || wantsImplementers) for (const use of uses) lines.add(startLineOf(use));
  } else if (uses.length > 0) {
    const member = broken.member;
    if (wantsCallers) {
      if (member === '__init__') {
        for (const use of uses) if (isCalled(use)) lines.add(startLineOf(use));
        for (const subclass of subclasses) {
          for (const call of subclass.descendantsOfType('call')) {
            const callee = call?.childForFieldName('function');
            if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === '__init__' && call) lines.add(startLineOf(call));
          }
        }
      } else {
        for (const attribute of root.descendantsOfType('attribute')) {
          if (attribute?.childForFieldName('attribute')?.text === member && !insideImport(attribute)) lines.add(startLineOf(attribute));
        }
      }
    }
    if (wantsImplementers) {
      for (const subclass of subclasses) {
        lines.add(startLineOf(subclass));
        for (const child of subclass.childForFieldName('body')?.namedChildren ?? []) {
          const definition = child?.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
          if (definition?.type === 'function_definition' && definition.childForFieldName('name')?.text === member && child) lines.add(startLineOf(child));
        }
      }
    }
  }
  return [...lines].sort((a, b) => a - b);
}

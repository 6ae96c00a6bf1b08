/**
 * The lines of a dependent that a broken Java declaration breaks, as far as
 * syntax shows (no type checker): references of the type by name; for a member,
 * `x.member(…)`, `x.member`, `C::member` and switch labels where `x` is the type
 * itself, a variable declared with that type, or an expression of unknown type,
 * plus bare uses where a static import or inheritance brings the member in; for a
 * constructor, `new C(…)`, `super(…)` and subclasses relying on the implicit
 * `super()`; for implementers, the classes that extend or implement the type and
 * their methods of the broken name.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import type { StoredImport } from '../../store/indexStore';
import { type ApiBreak, type ParsedFile, startLineOf } from '../model';
import { isTypeNode } from './declarations';
import { simpleTypeName } from './types';

const DECLARING_PARENTS = new Set([
  'variable_declarator', 'formal_parameter', 'method_declaration', 'class_declaration', 'interface_declaration',
  'enum_declaration', 'record_declaration', 'annotation_type_declaration', 'constructor_declaration', 'catch_formal_parameter',
]);

function eachNode(root: Node, visit: (node: Node) => void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const child = node.namedChild(i);
      if (child) stack.push(child);
    }
  }
}

/** The simple names of the types a class-like declaration (or anonymous class) extends or implements. */
function basesOf(node: Node): string[] {
  if (node.type === 'object_creation_expression') {
    const type = node.childForFieldName('type');
    return type ? [simpleTypeName(type.text)] : [];
  }
  const result: string[] = [];
  for (const child of node.children) {
    if (!child || !['superclass', 'super_interfaces', 'extends_interfaces'].includes(child.type)) continue;
    const list = child.namedChildren.find((c) => c?.type === 'type_list');
    for (const type of list ? list.namedChildren : child.namedChildren) if (type) result.push(simpleTypeName(type.text));
  }
  return result;
}

function classBodyOf(node: Node): Node | null {
  if (node.type === 'object_creation_expression') return node.namedChildren.find((c) => c?.type === 'class_body') ?? null;
  return node.childForFieldName('body');
}

export function javaUsesOf(dependent: ParsedFile, imports: readonly StoredImport[], broken: ApiBreak): number[] {
  const root = dependent.tree.rootNode;
  const lines = new Set<number>();
  const segments = broken.member ? broken.member.split('.') : [];
  const last = segments.at(-1) ?? broken.name;
  const isConstructor = last === '<init>';
  // The type the broken member belongs to: `C` for `C.m`, `Inner` for `C.Inner.m`.
  const owner = isConstructor ? (segments.at(-2) ?? broken.name) : (segments.length > 1 ? segments.at(-2)! : broken.name);
  const ownerNames = new Set([broken.name, owner]);

  // Variables declared with the owner's type, and of other types (so `list.size()` is not a use of `C.size`).
  const declaredTypes = new Map<string, string>();
  const subclasses: Node[] = [];
  let mentionsType = false;
  eachNode(root, (node) => {
    if ((node.type === 'identifier' || node.type === 'type_identifier') && node.text === broken.name && node.parent?.type !== 'package_declaration') mentionsType = true;
    if (node.type === 'local_variable_declaration' || node.type === 'field_declaration' || node.type === 'formal_parameter' || node.type === 'catch_formal_parameter') {
      const type = node.childForFieldName('type');
      const names = node.type === 'formal_parameter' || node.type === 'catch_formal_parameter'
        ? [node.childForFieldName('name')]
        : node.childrenForFieldName('declarator').map((d) => d?.childForFieldName('name') ?? null);
      for (const name of names) if (name && type) declaredTypes.set(name.text, simpleTypeName(type.text));
    }
    const extendsOwner = (isTypeNode(node) || (node.type === 'object_creation_expression' && classBodyOf(node))) && basesOf(node).some((b) => ownerNames.has(b));
    if (extendsOwner) subclasses.push(node);
  });

  const staticImport = imports.find((i) => i.bindings.some((b) => b.imported === last || (b.imported === '*' && !i.specifier.endsWith('.*'))) && simpleTypeName(i.specifier) !== last);
  const importsMember = imports.some((i) => i.specifier.endsWith(`.${last}`) && i.bindings.some((b) => b.imported === last));
  if (!mentionsType && !staticImport && !importsMember && subclasses.length === 0) return [];

  const insideSubclass = (node: Node) => {
    for (let p = node.parent; p; p = p.parent) if (subclasses.some((s) => s.id === p!.id)) return true;
    return false;
  };
  const receiverFits = (object: Node | null): boolean => {
    if (!object) return true;
    if (object.type === 'this' || object.type === 'super') return insideSubclass(object);
    const text = object.text.replace(/\s+/g, '');
    if (object.type === 'identifier') {
      if (ownerNames.has(text)) return true;
      const declared = declaredTypes.get(text);
      if (declared !== undefined) return ownerNames.has(declared);
      // An undeclared capitalised name is some other class; a lower-case one a value we cannot type.
      return !/^[A-Z]/.test(text);
    }
    if (object.type === 'field_access' || object.type === 'scoped_identifier') return ownerNames.has(simpleTypeName(text)) || !/\.[A-Z]\w*$/.test(text);
    return true;
  };

  if (broken.member === null) {
    const wholeType = broken.affects !== 'implementers';
    eachNode(root, (node) => {
      if (wholeType && (node.type === 'identifier' || node.type === 'type_identifier') && node.text === broken.name && !DECLARING_PARENTS.has(node.parent?.type ?? '')) {
        lines.add(startLineOf(node));
      }
    });
    if (broken.affects !== 'callers') for (const s of subclasses) if (basesOf(s).includes(broken.name)) lines.add(startLineOf(s));
    return [...lines].sort((a, b) => a - b);
  }

  eachNode(root, (node) => {
    const line = startLineOf(node);
    if (node.type === 'import_declaration' && /\.(\w+)\s*;?$/.exec(node.text.replace(/;\s*$/, ''))?.[1] === last) lines.add(line);
    if (isConstructor) {
      if (node.type === 'object_creation_expression' && ownerNames.has(simpleTypeName(node.childForFieldName('type')?.text ?? ''))) lines.add(line);
      if (node.type === 'explicit_constructor_invocation' && node.namedChildren[0]?.type === 'super' && insideSubclass(node)) lines.add(line);
      return;
    }
    if (node.type !== 'identifier' && node.type !== 'type_identifier') return;
    if (node.text !== last) return;
    const parent = node.parent;
    if (!parent) return;
    if (parent.type === 'method_invocation' && parent.childForFieldName('name')?.id === node.id) {
      const object = parent.childForFieldName('object');
      if (object ? receiverFits(object) : staticImport !== undefined || insideSubclass(node)) lines.add(line);
    } else if (parent.type === 'field_access' && parent.childForFieldName('field')?.id === node.id) {
      if (receiverFits(parent.childForFieldName('object'))) lines.add(line);
    } else if (parent.type === 'method_reference') {
      if (parent.namedChildren[0]?.id !== node.id && receiverFits(parent.namedChildren[0])) lines.add(line);
    } else if (parent.type === 'scoped_type_identifier' || parent.type === 'scoped_identifier') {
      if (parent.type === 'scoped_identifier' && parent.parent?.type === 'import_declaration') return;
      const scope = parent.namedChildren[0];
      if (scope && scope.id !== node.id && ownerNames.has(simpleTypeName(scope.text))) lines.add(line);
    } else if (parent.type === 'switch_label' || parent.type === 'enum_constant') {
      if (parent.type === 'switch_label') lines.add(line);
    } else if (!DECLARING_PARENTS.has(parent.type) && (staticImport || importsMember || insideSubclass(node))) {
      lines.add(line);
    }
  });

  if (broken.affects !== 'callers') {
    for (const s of subclasses) {
      if (!basesOf(s).includes(owner)) continue;
      const overriders = (classBodyOf(s)?.namedChildren ?? []).filter((m) => m?.type === 'method_declaration' && m.childForFieldName('name')?.text === last);
      for (const m of overriders) lines.add(startLineOf(m!));
      // An abstract method the class does not define: javac fails on the class's declaration (compare.ts's `abstract:` breaks).
      if (overriders.length === 0 && broken.fingerprint.includes(':abstract(')) lines.add(startLineOf(s));
    }
  }
  if (isConstructor) {
    // A subclass without an explicit `super(…)` calls the implicit `super()`.
    for (const s of subclasses) {
      if (s.type === 'object_creation_expression' || !basesOf(s).includes(owner)) continue;
      let explicit = false;
      eachNode(s, (n) => { if (n.type === 'explicit_constructor_invocation') explicit = true; });
      if (!explicit) lines.add(startLineOf(s));
    }
  }
  return [...lines].sort((a, b) => a - b);
}

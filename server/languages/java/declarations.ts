/**
 * The declarations of a Java compilation unit as one tree (types and their
 * members), with the visibility and modifiers Java gives them implicitly as well
 * as those written: interface members are public, interface fields static final,
 * enum constants public static final, nested enums, records and interfaces static.
 * The index (extract.ts) and the API (api.ts) both read this tree, so the two never
 * disagree on what is public.
 */
import type { Node } from '@vscode/tree-sitter-wasm';

export type TypeKind = 'class' | 'interface' | 'enum' | 'record' | 'annotation';
export type MemberKind = 'method' | 'constructor' | 'field' | 'enum-constant' | 'element';
export type DeclarationKind = TypeKind | MemberKind;

/** Java's four levels, ordered: a larger rank is visible to more code. */
export type Visibility = 'private' | 'package' | 'protected' | 'public';
const RANK: Record<Visibility, number> = { private: 0, package: 1, protected: 2, public: 3 };

export interface JavaDeclaration {
  node: Node;
  name: string;
  kind: DeclarationKind;
  /** What code outside the package can see: the declaration's own visibility, capped by its enclosing types'. */
  visibility: Visibility;
  /** Written and implicit modifiers: `static`, `final`, `abstract`, `default`, `sealed`, `non-sealed`. */
  modifiers: Set<string>;
  /** Types: their members and nested types, in source order. */
  members: JavaDeclaration[];
  /** A record component, declared in the record's header. */
  recordComponent?: boolean;
}

const TYPE_NODES: Record<string, TypeKind> = {
  class_declaration: 'class',
  interface_declaration: 'interface',
  enum_declaration: 'enum',
  record_declaration: 'record',
  annotation_type_declaration: 'annotation',
};

export function isTypeNode(node: Node): boolean {
  return node.type in TYPE_NODES;
}

export function typeKindOf(node: Node): TypeKind | undefined {
  return TYPE_NODES[node.type];
}

export function lowerVisibility(a: Visibility, b: Visibility): Visibility {
  return RANK[a] <= RANK[b] ? a : b;
}

export function visibilityRank(v: Visibility): number {
  return RANK[v];
}

/** The keyword modifiers written on a declaration (annotations left out). */
export function writtenModifiers(node: Node): Set<string> {
  const result = new Set<string>();
  const modifiers = node.children.find((c) => c?.type === 'modifiers');
  if (!modifiers) return result;
  for (const child of modifiers.children) {
    if (!child || child.type === 'marker_annotation' || child.type === 'annotation') continue;
    result.add(child.text);
  }
  return result;
}

/** The annotations written on a declaration, by simple or qualified name as written (`Generated`, `javax.annotation.Generated`). */
export function annotationNames(node: Node): string[] {
  const modifiers = node.children.find((c) => c?.type === 'modifiers');
  if (!modifiers) return [];
  return modifiers.namedChildren
    .filter((c): c is Node => !!c && (c.type === 'marker_annotation' || c.type === 'annotation'))
    .map((c) => c.childForFieldName('name')?.text ?? '');
}

function ownVisibility(written: Set<string>): Visibility {
  if (written.has('public')) return 'public';
  if (written.has('protected')) return 'protected';
  if (written.has('private')) return 'private';
  return 'package';
}

/** Every top-level type of the unit, with all its members (of every visibility). */
export function typeDeclarations(root: Node): JavaDeclaration[] {
  const result: JavaDeclaration[] = [];
  for (const child of root.namedChildren) {
    if (child && isTypeNode(child)) result.push(readType(child, null));
  }
  return result;
}

function readType(node: Node, owner: JavaDeclaration | null): JavaDeclaration {
  const kind = typeKindOf(node)!;
  const modifiers = writtenModifiers(node);
  let visibility = ownVisibility(modifiers);
  if (owner) {
    if (owner.kind === 'interface' || owner.kind === 'annotation') {
      visibility = 'public';
      modifiers.add('static');
    }
    if (kind !== 'class') modifiers.add('static');
    visibility = memberVisibility(owner, new Set([visibility]));
  }
  if (kind === 'interface' || kind === 'annotation') modifiers.add('abstract');
  // Enum and record classes cannot be extended, so for subclasses they are final.
  if (kind === 'enum' || kind === 'record') modifiers.add('final');
  const declaration: JavaDeclaration = { node, name: node.childForFieldName('name')?.text ?? '', kind, visibility, modifiers, members: [] };
  readMembers(declaration);
  return declaration;
}

/**
 * What code outside the package sees of a member of `owner`: at most the owner's
 * visibility; and a protected member of a final type is package-private in effect,
 * since no class outside the package can extend the type to reach it.
 */
function memberVisibility(owner: JavaDeclaration, written: Set<string>): Visibility {
  let own = ownVisibility(written);
  if ((owner.kind === 'interface' || owner.kind === 'annotation') && own !== 'private') own = 'public';
  if (own === 'protected' && owner.modifiers.has('final')) own = 'package';
  return lowerVisibility(own, owner.visibility);
}

function readMembers(owner: JavaDeclaration): void {
  const body = owner.node.childForFieldName('body');
  if (owner.kind === 'record') readRecordComponents(owner);
  if (!body) return;
  const inInterface = owner.kind === 'interface' || owner.kind === 'annotation';
  const visit = (container: Node) => {
    for (const child of container.namedChildren) {
      if (!child) continue;
      if (child.type === 'enum_body_declarations') {
        visit(child);
        continue;
      }
      if (isTypeNode(child)) {
        owner.members.push(readType(child, owner));
        continue;
      }
      const written = writtenModifiers(child);
      const add = (name: string, kind: MemberKind, modifiers: Set<string>, visibility = memberVisibility(owner, written)) =>
        owner.members.push({ node: child, name, kind, visibility, modifiers, members: [] });
      switch (child.type) {
        case 'method_declaration': {
          const modifiers = new Set(written);
          if (inInterface && !child.childForFieldName('body') && !modifiers.has('static') && !modifiers.has('private')) modifiers.add('abstract');
          add(child.childForFieldName('name')?.text ?? '', 'method', modifiers);
          break;
        }
        case 'constructor_declaration':
        case 'compact_constructor_declaration': {
          // Enum constructors are private whatever they say.
          if (owner.kind === 'enum') break;
          add('<init>', 'constructor', new Set(written));
          break;
        }
        case 'field_declaration':
        case 'constant_declaration': {
          const modifiers = new Set(written);
          if (inInterface) {
            modifiers.add('static');
            modifiers.add('final');
          }
          for (const declarator of child.childrenForFieldName('declarator')) {
            if (declarator) add(declarator.childForFieldName('name')?.text ?? '', 'field', modifiers);
          }
          break;
        }
        case 'enum_constant':
          add(child.childForFieldName('name')?.text ?? '', 'enum-constant', new Set(['static', 'final']), owner.visibility);
          break;
        case 'annotation_type_element_declaration':
          add(child.childForFieldName('name')?.text ?? '', 'element', new Set(['abstract']));
          break;
      }
    }
  };
  visit(body);
}

/** A record's components are its public accessor methods (`p.x()`); its canonical constructor takes them in order. */
function readRecordComponents(owner: JavaDeclaration): void {
  const parameters = owner.node.childForFieldName('parameters');
  if (!parameters) return;
  for (const parameter of parameters.namedChildren) {
    if (!parameter || (parameter.type !== 'formal_parameter' && parameter.type !== 'spread_parameter')) continue;
    const name = parameterName(parameter);
    owner.members.push({ node: parameter, name, kind: 'method', visibility: owner.visibility, modifiers: new Set(), members: [], recordComponent: true });
  }
}

/** A formal or spread parameter's name. */
export function parameterName(parameter: Node): string {
  if (parameter.type === 'spread_parameter') {
    const declarator = parameter.namedChildren.find((c) => c?.type === 'variable_declarator');
    return declarator?.childForFieldName('name')?.text ?? '';
  }
  return parameter.childForFieldName('name')?.text ?? '';
}

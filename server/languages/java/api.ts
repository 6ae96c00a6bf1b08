/**
 * The public API of a Java compilation unit: its public and protected types with
 * the members code outside the package can reach, in the language-neutral model.
 * Constructors are members named `<init>` (a class declaring none has the implicit
 * default one, a record its canonical one); record components are their accessor
 * methods (`p.x()`); annotation elements are methods whose `default` modifier means
 * they have a default value.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { type ApiDeclaration, type ApiKind, type ApiParam, type ParsedFile, type UnitApi, endLineOf, hasSyntaxError, startLineOf } from '../model';
import { type JavaDeclaration, parameterName, typeDeclarations } from './declarations';
import { typeText } from './types';

const TYPE_FLAGS = ['abstract', 'final', 'sealed', 'non-sealed', 'static'];
const METHOD_FLAGS = ['static', 'final', 'abstract', 'default'];
const FIELD_FLAGS = ['static', 'final'];

export function readJavaApi(files: readonly ParsedFile[]): UnitApi {
  const declarations: ApiDeclaration[] = [];
  let syntaxError = false;
  for (const file of files) {
    syntaxError ||= hasSyntaxError(file.tree);
    for (const type of typeDeclarations(file.tree.rootNode)) {
      if (isApi(type)) declarations.push(typeApi(type, file.path));
    }
  }
  return { declarations, hasSyntaxError: syntaxError };
}

function isApi(declaration: JavaDeclaration): boolean {
  return declaration.visibility === 'public' || declaration.visibility === 'protected';
}

function base(declaration: JavaDeclaration, file: string, kind: ApiKind, flags: readonly string[]): ApiDeclaration {
  return {
    name: declaration.name,
    kind,
    file,
    line: startLineOf(declaration.node),
    endLine: endLineOf(declaration.node),
    visibility: declaration.visibility === 'protected' ? 'protected' : 'public',
    modifiers: flags.filter((flag) => declaration.modifiers.has(flag)),
  };
}

function typeApi(type: JavaDeclaration, file: string): ApiDeclaration {
  const node = type.node;
  const result = base(type, file, type.kind as ApiKind, TYPE_FLAGS);
  result.typeParams = typeParameters(node.childForFieldName('type_parameters'));
  result.bases = baseTypes(node);
  const members: ApiDeclaration[] = [];
  let constructors = 0;
  for (const member of type.members) {
    if (member.kind === 'constructor') constructors++;
    // A member inside a syntax error may have lost parts of itself: it is unknown, not changed.
    if (!isApi(member) || member.node.hasError) continue;
    const api = memberApi(member, file);
    if (api) members.push(api);
  }
  if (type.kind === 'record') members.push(canonicalConstructor(type, file));
  else if (type.kind === 'class' && constructors === 0) {
    // The implicit default constructor has the class's visibility: declaring any constructor removes it.
    members.push({ ...base(type, file, 'constructor', []), name: '<init>', modifiers: ['implicit'], params: [], throws: [], typeParams: [] });
  }
  result.members = members;
  return result;
}

function memberApi(member: JavaDeclaration, file: string): ApiDeclaration | null {
  const node = member.node;
  switch (member.kind) {
    case 'class': case 'interface': case 'enum': case 'record': case 'annotation':
      return typeApi(member, file);
    case 'method': {
      if (member.recordComponent) {
        return { ...base(member, file, 'method', []), params: [], returns: typeText(componentType(node)), throws: [], typeParams: [] };
      }
      const result = base(member, file, 'method', METHOD_FLAGS);
      result.params = parameters(node.childForFieldName('parameters'));
      result.returns = typeText(node.childForFieldName('type'), node.childForFieldName('dimensions'));
      result.throws = thrown(node);
      result.typeParams = typeParameters(node.childForFieldName('type_parameters'));
      return result;
    }
    case 'constructor': {
      // The compact canonical constructor of a record is the canonical one, added from the header.
      if (node.type === 'compact_constructor_declaration') return null;
      const result = base(member, file, 'constructor', []);
      result.params = parameters(node.childForFieldName('parameters'));
      result.throws = thrown(node);
      result.typeParams = typeParameters(node.childForFieldName('type_parameters'));
      return result;
    }
    case 'field': {
      const result = base(member, file, 'field', FIELD_FLAGS);
      const declarator = node.childrenForFieldName('declarator').find((d) => d?.childForFieldName('name')?.text === member.name);
      result.type = typeText(node.childForFieldName('type'), declarator?.childForFieldName('dimensions'));
      return result;
    }
    case 'enum-constant':
      return base(member, file, 'enum-constant', FIELD_FLAGS);
    case 'element': {
      const result = base(member, file, 'method', []);
      result.modifiers = node.childForFieldName('value') ? ['abstract', 'default'] : ['abstract'];
      result.params = [];
      result.returns = typeText(node.childForFieldName('type'), node.childForFieldName('dimensions'));
      result.throws = [];
      result.typeParams = [];
      return result;
    }
  }
}

function canonicalConstructor(record: JavaDeclaration, file: string): ApiDeclaration {
  const result = base(record, file, 'constructor', []);
  result.name = '<init>';
  result.params = parameters(record.node.childForFieldName('parameters'));
  result.throws = [];
  result.typeParams = [];
  return result;
}

function componentType(parameter: Node): Node | null {
  if (parameter.type === 'formal_parameter') return parameter.childForFieldName('type');
  return parameter.namedChildren.find((c) => !!c && c.type !== 'modifiers' && c.type !== 'variable_declarator') ?? null;
}

function parameters(list: Node | null): ApiParam[] {
  if (!list) return [];
  const result: ApiParam[] = [];
  for (const parameter of list.namedChildren) {
    if (!parameter) continue;
    if (parameter.type === 'formal_parameter') {
      const type = typeText(parameter.childForFieldName('type'), parameter.childForFieldName('dimensions'));
      result.push({ name: parameterName(parameter), kind: 'positional', type, hasDefault: false });
    } else if (parameter.type === 'spread_parameter') {
      const type = typeText(componentType(parameter));
      result.push({ name: parameterName(parameter), kind: 'var-positional', type: type === null ? null : `${type}...`, hasDefault: false });
    }
  }
  return result;
}

function thrown(node: Node): string[] {
  const clause = node.children.find((c) => c?.type === 'throws');
  if (!clause) return [];
  return clause.namedChildren.map((t) => typeText(t)).filter((t): t is string => t !== null);
}

function typeParameters(list: Node | null): Array<{ name: string; bound: string | null }> {
  if (!list) return [];
  return list.namedChildren
    .filter((p): p is Node => p?.type === 'type_parameter')
    .map((p) => {
      const name = p.namedChildren.find((c) => c?.type === 'type_identifier' || c?.type === 'identifier')?.text ?? '';
      const bound = p.namedChildren.find((c) => c?.type === 'type_bound');
      return { name, bound: bound ? typeText(bound)!.replace(/^extends\s*/, '') : null };
    });
}

/** `extends` and `implements` of a class, `extends` of an interface, `implements` of an enum or record. */
function baseTypes(node: Node): string[] {
  const result: string[] = [];
  const superclass = node.childForFieldName('superclass');
  const superclassType = superclass?.namedChildren.find((c) => !!c);
  if (superclassType) result.push(typeText(superclassType)!);
  for (const child of node.children) {
    if (child?.type !== 'super_interfaces' && child?.type !== 'extends_interfaces') continue;
    const list = child.namedChildren.find((c) => c?.type === 'type_list');
    for (const type of list?.namedChildren ?? []) if (type) result.push(typeText(type)!);
  }
  return result;
}

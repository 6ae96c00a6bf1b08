/**
 * The exported API of a Go package: every exported top-level name of the package's
 * non-test files, as one unit (a package spans files, so a declaration may move
 * between them freely). Types carry their exported struct fields, interface methods
 * and the methods declared on them, wherever in the package those are declared.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { collapseWhitespace, endLineOf, hasSyntaxError, startLineOf, type ApiDeclaration, type ParsedFile, type UnitApi } from '../model';
import { isExportedName, named, paramsOf, receiverOf, resultsOf, specsOf, typeParamsOf, typeText, valueSpecsOf } from './syntax';
import { isTestFile } from './package';

function declaration(file: ParsedFile, node: Node, name: string, kind: ApiDeclaration['kind'], extra: Partial<ApiDeclaration> = {}): ApiDeclaration {
  return { name, kind, file: file.path, line: startLineOf(node), endLine: endLineOf(node), visibility: 'public', modifiers: [], ...extra };
}

/** The name an embedded field is reached by: `*pkg.Reader[T]` -> `Reader`. */
function embeddedName(type: Node): string {
  const text = type.text.replace(/^\*/, '').replace(/\[.*$/s, '');
  return text.split('.').pop() ?? text;
}

function structMembers(file: ParsedFile, struct: Node): { members: ApiDeclaration[]; bases: string[] } {
  const members: ApiDeclaration[] = [];
  const bases: string[] = [];
  const list = named(struct).find((c) => c.type === 'field_declaration_list');
  for (const field of named(list)) {
    if (field.type !== 'field_declaration') continue;
    const type = field.childForFieldName('type');
    const names = field.childrenForFieldName('name').filter((n): n is Node => n !== null);
    if (names.length === 0 && type) {
      // An embedded field: its exported fields and methods are promoted into this type.
      // The grammar leaves the `*` of `*Inner` outside the type node: the text up to the type's end keeps it.
      const embedded = collapseWhitespace(field.text.slice(0, type.endIndex - field.startIndex));
      bases.push(embedded);
      const name = embeddedName(type);
      if (isExportedName(name)) members.push(declaration(file, field, name, 'field', { type: embedded, modifiers: ['embedded'] }));
      continue;
    }
    for (const name of names) {
      if (isExportedName(name.text)) members.push(declaration(file, field, name.text, 'field', { type: typeText(type) }));
    }
  }
  return { members, bases };
}

function interfaceMembers(file: ParsedFile, iface: Node): { members: ApiDeclaration[]; bases: string[]; hasUnexported: boolean } {
  const members: ApiDeclaration[] = [];
  const bases: string[] = [];
  let hasUnexported = false;
  for (const element of named(iface)) {
    if (element.type === 'method_elem') {
      const name = element.childForFieldName('name')?.text ?? '';
      if (!isExportedName(name)) {
        hasUnexported = true;
        continue;
      }
      members.push(declaration(file, element, name, 'method', {
        params: paramsOf(element.childForFieldName('parameters')),
        returns: resultsOf(element.childForFieldName('result')),
      }));
    } else if (element.type === 'type_elem' || element.type.endsWith('_type') || element.type === 'type_identifier') {
      // An embedded interface or a constraint's type set (`~int | string`).
      bases.push(typeText(element));
    }
  }
  return { members, bases, hasUnexported };
}

function typeDeclaration(file: ParsedFile, spec: Node): ApiDeclaration | null {
  const name = spec.childForFieldName('name')?.text ?? '';
  if (!name) return null;
  const type = spec.childForFieldName('type');
  const typeParams = typeParamsOf(spec.childForFieldName('type_parameters'));
  const extra: Partial<ApiDeclaration> = typeParams.length > 0 ? { typeParams } : {};
  if (spec.type === 'type_alias') return declaration(file, spec, name, 'type', { ...extra, type: typeText(type), modifiers: ['alias'], members: [] });
  if (type?.type === 'struct_type') {
    const { members, bases } = structMembers(file, type);
    return declaration(file, spec, name, 'struct', { ...extra, type: 'struct', members, bases });
  }
  if (type?.type === 'interface_type') {
    const { members, bases, hasUnexported } = interfaceMembers(file, type);
    // An unexported method means no other package can implement it: adding methods breaks nobody.
    return declaration(file, spec, name, 'interface', { ...extra, type: 'interface', members, bases, modifiers: hasUnexported ? ['sealed'] : [] });
  }
  return declaration(file, spec, name, 'type', { ...extra, type: typeText(type), members: [] });
}

/**
 * The exported members a type of the same package lends the types that embed it
 * (`type Client struct{ *conn }` has `conn`'s exported fields and methods,
 * `type ReadCloser interface{ Reader; Closer }` their methods): callers and
 * implementers use them through the embedding type, so they are its members, and a
 * method added to `Reader` breaks the implementers of `ReadCloser` too. Types of
 * other packages are beyond one package's files.
 */
function promote(type: ApiDeclaration, types: Map<string, ApiDeclaration>, seen = new Set<string>()): void {
  seen.add(type.name);
  for (const base of type.bases ?? []) {
    const local = base.replace(/^\*/, '').replace(/\[.*$/s, '');
    const embedded = types.get(local);
    if (!embedded || seen.has(local)) continue;
    promote(embedded, types, seen);
    const members = type.members ?? [];
    for (const member of embedded.members ?? []) {
      if (!members.some((m) => m.name === member.name)) members.push({ ...member, modifiers: [...member.modifiers, 'promoted'] });
    }
    if (type.kind === 'interface' && embedded.modifiers.includes('sealed') && !type.modifiers.includes('sealed')) type.modifiers.push('sealed');
  }
}

export function readApi(files: readonly ParsedFile[]): UnitApi {
  const declarations: ApiDeclaration[] = [];
  const types = new Map<string, ApiDeclaration>(); // every type of the package, exported or not
  const methods: Array<{ receiver: string; method: ApiDeclaration }> = [];
  let syntaxError = false;
  for (const file of files) {
    if (isTestFile(file.path)) continue;
    if (hasSyntaxError(file.tree)) syntaxError = true;
    for (const node of named(file.tree.rootNode)) {
      if (node.type === 'function_declaration') {
        const name = node.childForFieldName('name')?.text ?? '';
        if (!isExportedName(name)) continue;
        const typeParams = typeParamsOf(node.childForFieldName('type_parameters'));
        declarations.push(declaration(file, node, name, 'function', {
          params: paramsOf(node.childForFieldName('parameters')),
          returns: resultsOf(node.childForFieldName('result')),
          ...(typeParams.length > 0 ? { typeParams } : {}),
        }));
      } else if (node.type === 'method_declaration') {
        const name = node.childForFieldName('name')?.text ?? '';
        const receiver = receiverOf(node);
        // Methods of unexported types count too: an exported type embedding one promotes them.
        if (!receiver || !isExportedName(name)) continue;
        methods.push({
          receiver: receiver.type,
          method: declaration(file, node, name, 'method', {
            params: paramsOf(node.childForFieldName('parameters')),
            returns: resultsOf(node.childForFieldName('result')),
            modifiers: receiver.pointer ? ['pointer-receiver'] : [],
            // The receiver's type parameters (`func (s *Set[E]) Add(v E)`), named as this method names them.
            ...(receiver.typeParams.length > 0 ? { typeParams: receiver.typeParams.map((name) => ({ name, bound: null })) } : {}),
          }),
        });
      } else if (node.type === 'type_declaration') {
        for (const spec of specsOf(node, 'type_spec')) {
          const type = typeDeclaration(file, spec);
          if (!type) continue;
          types.set(type.name, type);
          if (isExportedName(type.name)) declarations.push(type);
        }
      } else if (node.type === 'const_declaration' || node.type === 'var_declaration') {
        const kind = node.type === 'const_declaration' ? 'constant' : 'variable';
        for (const { name, spec, type } of valueSpecsOf(node)) {
          if (isExportedName(name.text)) declarations.push(declaration(file, spec, name.text, kind, { type }));
        }
      }
    }
  }
  for (const { receiver, method } of methods) types.get(receiver)?.members?.push(method);
  for (const type of declarations) if (type.kind === 'struct' || type.kind === 'interface') promote(type, types);
  return { declarations, hasSyntaxError: syntaxError };
}

/**
 * The index's view of a Go file. The index's kinds are TypeScript's, so Go's map
 * onto the nearest: a struct is a `class`, a method (`Type.Method`) and an interface
 * method a `function`, a struct field (`Type.Field`), a const and a var a `variable`,
 * any other named type or alias a `type`.
 *
 * Imports: every import spec is one `import` row whose namespace is the name the
 * file uses the package by: the alias, else the path's last element (a `/vN`
 * major-version suffix skipped, gopkg.in's `.vN` dropped). The real package name is
 * in the package's own `package` clause, which is usually that element; a `go-`
 * prefix is kept, as the import path says nothing more. A dot import binds every
 * exported name (`*`); a blank import binds nothing.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import type { ExtractedImport, ExtractedSymbol, Extraction, SymbolKind } from '../../index/extractor';
import { endLineOf, startLineOf, type ParsedFile } from '../model';
import { headText, isExportedName, named, receiverOf, specsOf, valueSpecsOf } from './syntax';

/** The name a file uses an import path by when it gives none. */
export function defaultPackageName(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  let last = parts.at(-1) ?? path;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  if (path.startsWith('gopkg.in/')) last = last.replace(/\.v\d+$/, '');
  return last;
}

/** The string an import spec's path literal holds. */
function pathOf(spec: Node): string {
  const literal = spec.childForFieldName('path');
  return literal ? literal.text.replace(/^["`]|["`]$/g, '') : '';
}

function importsOf(declaration: Node): ExtractedImport[] {
  const direct = named(declaration);
  const list = direct.find((c) => c.type === 'import_spec_list');
  const out: ExtractedImport[] = [];
  for (const spec of (list ? named(list) : direct).filter((c) => c.type === 'import_spec')) {
    const specifier = pathOf(spec);
    const alias = spec.childForFieldName('name');
    const base = { kind: 'import' as const, specifier, line: startLineOf(spec), typeOnly: false, defaultName: null };
    if (alias?.type === 'dot') out.push({ ...base, namespace: null, bindings: [{ imported: '*', local: '*' }] });
    else if (alias?.type === 'blank_identifier') out.push({ ...base, namespace: null, bindings: [] });
    else out.push({ ...base, namespace: alias ? alias.text : defaultPackageName(specifier), bindings: [] });
  }
  return out;
}

export function extract(file: ParsedFile): Extraction {
  const symbols: ExtractedSymbol[] = [];
  const imports: ExtractedImport[] = [];
  const add = (node: Node, name: string, kind: SymbolKind, exported: boolean, signature: string) => {
    symbols.push({ name, kind, exported, isDefault: false, startLine: startLineOf(node), endLine: endLineOf(node), signature });
  };
  for (const node of named(file.tree.rootNode)) {
    switch (node.type) {
      case 'import_declaration':
        imports.push(...importsOf(node));
        break;
      case 'function_declaration': {
        const name = node.childForFieldName('name')?.text ?? '';
        add(node, name, 'function', isExportedName(name), headText(node, node.childForFieldName('body')));
        break;
      }
      case 'method_declaration': {
        const name = node.childForFieldName('name')?.text ?? '';
        const receiver = receiverOf(node)?.type ?? '';
        add(node, `${receiver}.${name}`, 'function', isExportedName(name) && isExportedName(receiver), headText(node, node.childForFieldName('body')));
        break;
      }
      case 'type_declaration':
        for (const spec of specsOf(node, 'type_spec')) typeSymbols(spec, add);
        break;
      case 'const_declaration':
      case 'var_declaration': {
        const keyword = node.type === 'const_declaration' ? 'const' : 'var';
        for (const { name, spec } of valueSpecsOf(node)) add(spec, name.text, 'variable', isExportedName(name.text), `${keyword} ${headText(spec, null)}`);
        break;
      }
      default:
        break;
    }
  }
  return { symbols, imports };
}

function typeSymbols(spec: Node, add: (node: Node, name: string, kind: SymbolKind, exported: boolean, signature: string) => void) {
  const name = spec.childForFieldName('name')?.text ?? '';
  const exported = isExportedName(name);
  const type = spec.childForFieldName('type');
  if (spec.type === 'type_alias' || (type?.type !== 'struct_type' && type?.type !== 'interface_type')) {
    add(spec, name, 'type', exported, `type ${headText(spec, null)}`);
    return;
  }
  if (type.type === 'struct_type') {
    const list = named(type).find((c) => c.type === 'field_declaration_list');
    add(spec, name, 'class', exported, `type ${headText(spec, type)} struct`);
    for (const field of named(list)) {
      if (field.type !== 'field_declaration') continue;
      const names = field.childrenForFieldName('name').filter((n): n is Node => n !== null).map((n) => n.text);
      const fieldType = field.childForFieldName('type');
      // An embedded field is named by its type: `*pkg.Reader` is the field `Reader`.
      if (names.length === 0 && fieldType) names.push(fieldType.text.replace(/^\*/, '').replace(/\[.*$/s, '').split('.').pop() ?? '');
      for (const fieldName of names) add(field, `${name}.${fieldName}`, 'variable', exported && isExportedName(fieldName), headText(field, null));
    }
    return;
  }
  add(spec, name, 'interface', exported, `type ${headText(spec, type)} interface`);
  for (const element of named(type)) {
    if (element.type !== 'method_elem') continue;
    const method = element.childForFieldName('name')?.text ?? '';
    add(element, `${name}.${method}`, 'function', exported && isExportedName(method), headText(element, null));
  }
}

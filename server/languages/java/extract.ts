/**
 * The index's view of a Java file: its package, its top-level types (package-private
 * ones too, not exported), their public and protected members as `Type.member`
 * (constructors as `Type.<init>`, nested types as `Outer.Inner`), and its imports.
 *
 * The index has no kinds of its own for Java's, so they map onto the nearest:
 * a package is a `namespace` (not exported: nothing imports a package as a name),
 * a record a `class`, an annotation type an `interface`, methods and constructors
 * `function`, fields, enum constants and record components `variable`.
 *
 * Imports: `import a.b.C;` names `a.b.C` binding `C`; `import a.b.*;` names `a.b.*`
 * binding `*`; a static import names the class it imports from, `import static
 * a.b.C.m;` is `a.b.C` binding `m` and `import static a.b.C.*;` is `a.b.C` binding
 * `*` (so both resolve to the class's file; a specifier ending in `.*` is always
 * a package).
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import type { ExtractedImport, ExtractedSymbol, Extraction, SymbolKind } from '../../index/extractor';
import { type ParsedFile, endLineOf, startLineOf } from '../model';
import { type JavaDeclaration, typeDeclarations } from './declarations';

const MAX_SIGNATURE = 400;

const KINDS: Record<JavaDeclaration['kind'], SymbolKind> = {
  class: 'class', record: 'class', interface: 'interface', annotation: 'interface', enum: 'enum',
  method: 'function', constructor: 'function', field: 'variable', 'enum-constant': 'variable', element: 'function',
};

export function extractJava(file: ParsedFile): Extraction {
  const symbols: ExtractedSymbol[] = [];
  const imports: ExtractedImport[] = [];
  const root = file.tree.rootNode;
  for (const child of root.namedChildren) {
    if (child?.type === 'package_declaration') {
      const name = child.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier')?.text ?? '';
      symbols.push(symbol(child, name, 'namespace', false, `package ${name}`));
    } else if (child?.type === 'import_declaration') {
      const row = importRow(child);
      if (row) imports.push(row);
    }
  }
  const add = (declaration: JavaDeclaration, prefix: string) => {
    const name = `${prefix}${declaration.kind === 'constructor' ? '<init>' : declaration.name}`;
    const exported = declaration.visibility === 'public' || declaration.visibility === 'protected';
    symbols.push(symbol(declaration.node, name, KINDS[declaration.kind], exported, head(declaration)));
    // A member's visibility is already capped by its type's: a package-private type lists none.
    for (const member of declaration.members) {
      if (member.visibility === 'public' || member.visibility === 'protected') add(member, `${name}.`);
    }
  };
  for (const type of typeDeclarations(root)) add(type, '');
  return { symbols, imports };
}

function symbol(node: Node, name: string, kind: SymbolKind, exported: boolean, signature: string): ExtractedSymbol {
  return { name, kind, exported, isDefault: false, startLine: startLineOf(node), endLine: endLineOf(node), signature: signature.slice(0, MAX_SIGNATURE) };
}

/** The declaration's head, without annotations or body: `public static int parse(String text) throws IOException`. */
function head(declaration: JavaDeclaration): string {
  const node = declaration.node;
  if (declaration.recordComponent || declaration.kind === 'enum-constant') return collapseWhitespace(withoutAnnotations(node.text.split('{')[0]));
  if (declaration.kind === 'field') {
    // One declarator of `int a = 1, b;`: the type and this name, never the initialiser (it may hold anything).
    const type = node.childForFieldName('type')?.text ?? '';
    const keywords = [...declaration.modifiers].filter((m) => m !== 'default').join(' ');
    return collapseWhitespace(`${keywords} ${withoutAnnotations(type)} ${declaration.name}`);
  }
  const body = node.childForFieldName('body');
  const modifiers = node.children.find((c) => c?.type === 'modifiers');
  const start = modifiers ? modifiers.endIndex : node.startIndex;
  const end = body ? body.startIndex : node.endIndex;
  const keywords = modifiers ? withoutAnnotations(modifiers.text) : '';
  const rest = node.text.slice(start - node.startIndex, end - node.startIndex).replace(/;\s*$/, '');
  return collapseWhitespace(`${keywords} ${rest}`);
}

/** Runs of whitespace as one space (the model's collapseWhitespace also glues `)throws`, which reads worse in a signature). */
function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\s+([,)>])/g, '$1').replace(/([(<])\s+/g, '$1').trim();
}

function withoutAnnotations(text: string): string {
  return text.replace(/@[\w.]+(?:\s*\((?:[^()]|\([^()]*\))*\))?/g, ' ');
}

function importRow(node: Node): ExtractedImport | null {
  const isStatic = node.children.some((c) => c?.type === 'static');
  const wildcard = node.children.some((c) => c?.type === 'asterisk');
  const path = node.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier')?.text.replace(/\s+/g, '');
  if (!path) return null;
  const line = startLineOf(node);
  const base = { kind: 'import' as const, line, typeOnly: false, namespace: null, defaultName: null };
  if (wildcard) {
    return isStatic
      ? { ...base, specifier: path, bindings: [{ imported: '*', local: '*' }] }
      : { ...base, specifier: `${path}.*`, bindings: [{ imported: '*', local: '*' }] };
  }
  const dot = path.lastIndexOf('.');
  const last = path.slice(dot + 1);
  if (isStatic && dot > 0) return { ...base, specifier: path.slice(0, dot), bindings: [{ imported: last, local: last }] };
  return { ...base, specifier: path, bindings: [{ imported: last, local: last }] };
}

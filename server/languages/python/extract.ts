/**
 * The index's view of a Python module: its module-level definitions (classes' public
 * members as `Class.member`) and every import in it. A package's `__init__.py` passes
 * names on: its relative `from .m import f` and `from .m import *` are re-exports, as
 * is any `from x import f` whose `f` the module lists in `__all__`.
 *
 * `from pkg import name` may name a submodule (`pkg/name.py`) or an attribute of
 * `pkg/__init__.py`, which only the workspace can tell. Besides the row for `pkg`
 * itself, each such name gets a namespace row for the module `pkg.name`: the
 * resolver finds it when the file exists and returns null when it does not.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import type { ExtractedImport, ExtractedSymbol, Extraction, SymbolKind } from '../../index/extractor';
import { collapseWhitespace, endLineOf, startLineOf, type ParsedFile } from '../model';
import { isPackageInit } from './api';
import { assignmentsOf, boundNames, definitionOf, isExportedName, isPublicName, readModule, type ModuleModel } from './module';

const MAX_SIGNATURE = 400;

/** A definition's head: the `def`/`class` line(s) up to the body, without the colon. */
export function headOf(definition: Node): string {
  const body = definition.childForFieldName('body');
  const text = body ? definition.text.slice(0, body.startIndex - definition.startIndex) : definition.text;
  return collapseWhitespace(text.replace(/:\s*$/, '')).slice(0, MAX_SIGNATURE);
}

/** Whether a node sits under `if TYPE_CHECKING:` (imports there exist for annotations only). */
function underTypeChecking(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'if_statement' && /^(typing\.)?TYPE_CHECKING$/.test(current.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}

/** `.`/`..` + `m` joined the way Python writes a submodule of it: `.` + `x` is `.x`, `pkg` + `x` is `pkg.x`. */
export function submoduleSpecifier(from: string, name: string): string {
  return from.endsWith('.') ? `${from}${name}` : `${from}.${name}`;
}

function importsOf(root: Node, text: string, path: string, model: ModuleModel): ExtractedImport[] {
  const init = isPackageInit(path);
  const packageName = path.split('/').slice(-2, -1)[0] ?? '';
  const imports: ExtractedImport[] = [];
  // Imports inside functions and classes (lazy imports) are found by walking the whole
  // tree, which costs as much again as the rest of the extraction: only when an
  // indented `import`/`from` line says there is one.
  const statements = /^[ \t]+(?:import|from)\s/m.test(text)
    ? root.descendantsOfType(['import_statement', 'import_from_statement'])
    : root.namedChildren.flatMap((c) => (c ? topLevelImports(c) : []));
  for (const statement of statements) {
    if (!statement) continue;
    const line = startLineOf(statement);
    const typeOnly = underTypeChecking(statement);
    const atModuleLevel = !hasFunctionAncestor(statement);
    if (statement.type === 'import_statement') {
      for (const item of statement.childrenForFieldName('name')) {
        if (!item) continue;
        const specifier = (item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text) ?? '';
        const namespace = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text ?? specifier : specifier;
        imports.push({ kind: 'import', specifier, line, typeOnly, namespace, defaultName: null, bindings: [] });
      }
      continue;
    }
    const specifier = statement.childForFieldName('module_name')?.text ?? '';
    // Passed on by a package: its own modules (relative, or absolute under its own name).
    const ownModule = specifier.startsWith('.') || specifier === packageName || specifier.startsWith(`${packageName}.`);
    if (statement.namedChildren.some((c) => c?.type === 'wildcard_import')) {
      const kind = init && ownModule && atModuleLevel ? 'export-all' : 'import';
      imports.push({ kind, specifier, line, typeOnly, namespace: null, defaultName: null, bindings: kind === 'export-all' ? [] : [{ imported: '*', local: '*' }] });
      continue;
    }
    const bindings = statement.childrenForFieldName('name').flatMap((item) => {
      if (!item) return [];
      const imported = (item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text) ?? '';
      const local = (item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : imported) ?? imported;
      return [{ imported, local }];
    });
    const reexport = atModuleLevel && ((init && ownModule) || bindings.some((b) => model.all?.includes(b.local)));
    imports.push({ kind: reexport ? 'reexport' : 'import', specifier, line, typeOnly, namespace: null, defaultName: null, bindings });
    for (const binding of bindings) {
      imports.push({ kind: 'import', specifier: submoduleSpecifier(specifier, binding.imported), line, typeOnly, namespace: binding.local, defaultName: null, bindings: [] });
    }
  }
  return imports;
}

/** The import statements of an unindented statement (a `;`-joined line holds several, as nodes of the module). */
function topLevelImports(node: Node): Node[] {
  return node.type === 'import_statement' || node.type === 'import_from_statement' ? [node] : [];
}

function hasFunctionAncestor(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (current.type === 'function_definition') return true;
  return false;
}

function memberSymbols(className: string, definition: Node, exported: boolean): ExtractedSymbol[] {
  const out: ExtractedSymbol[] = [];
  const seen = new Set<string>();
  const add = (name: string, kind: SymbolKind, node: Node, signature: string) => {
    if (!isPublicName(name) || seen.has(name)) return;
    seen.add(name);
    out.push({ name: `${className}.${name}`, kind, exported, isDefault: false, startLine: startLineOf(node), endLine: endLineOf(node), signature });
  };
  for (const child of definition.childForFieldName('body')?.namedChildren ?? []) {
    if (!child) continue;
    const inner = definitionOf(child);
    if (inner) {
      add(inner.childForFieldName('name')?.text ?? '', inner.type === 'class_definition' ? 'class' : 'function', child, headOf(inner));
      continue;
    }
    for (const assignment of assignmentsOf(child)) {
      const left = assignment.childForFieldName('left');
      const type = assignment.childForFieldName('type')?.text;
      for (const name of left ? boundNames(left) : []) add(name.text, 'variable', child, type ? `${name.text}: ${collapseWhitespace(type)}` : name.text);
    }
  }
  return out;
}

/** The index's extraction of one Python file. */
export function extract(file: ParsedFile): Extraction {
  const root = file.tree.rootNode;
  const model = readModule(root);
  const symbols: ExtractedSymbol[] = [];
  const seen = new Set<string>();
  for (const definition of model.definitions) {
    if (definition.kind === 'import' || seen.has(definition.name)) continue;
    seen.add(definition.name);
    const exported = isExportedName(model, definition.name);
    const span = { startLine: startLineOf(definition.node), endLine: endLineOf(definition.node) };
    if (definition.definition) {
      const kind: SymbolKind = definition.kind === 'class' ? 'class' : 'function';
      symbols.push({ name: definition.name, kind, exported, isDefault: false, ...span, signature: headOf(definition.definition) });
      if (kind === 'class') symbols.push(...memberSymbols(definition.name, definition.definition, exported));
    } else {
      // The name and its annotation, never the value: a module constant may hold a secret.
      const signature = definition.annotation ? `${definition.name}: ${collapseWhitespace(definition.annotation)}` : definition.name;
      symbols.push({ name: definition.name, kind: 'variable', exported, isDefault: false, ...span, signature });
    }
  }
  return { symbols, imports: importsOf(root, file.text, file.path, model) };
}

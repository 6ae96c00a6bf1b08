/**
 * Which exported names an importer's diagnostic is about: the workspace places a
 * change breaks are the diagnostics of the files that import the module, at a
 * use of an export that broke (its members by their references, `ns.X` through
 * a namespace import, names that are gone).
 */
import { ts } from 'ts-morph';
import type { ExportBreak } from './moduleComparison';

/** "has no exported member", "Property does not exist on type typeof import(…)": a name that is gone. */
const MISSING_NAME_CODES = new Set([2305, 2614, 2724, 2339, 2694, 2460]);

/** The exported names of `module` that an importer's diagnostic is about, among those that broke. */
export function attribute(checker: ts.TypeChecker, source: ts.SourceFile, diagnostic: ts.Diagnostic, module: ts.SourceFile, broken: ReadonlyMap<string, ExportBreak>): string[] {
  const node = nodeAt(source, diagnostic.start!);
  if (!node) return [];
  const names = new Set<string>();
  // A name that is gone: `import { gone }`, `ns.gone`.
  if (MISSING_NAME_CODES.has(diagnostic.code) && ts.isIdentifier(node) && broken.get(node.text)?.removed && refersToModule(checker, node, module)) return [node.text];
  const exportOf = (identifier: ts.Node) => {
    let symbol = checker.getSymbolAtLocation(identifier);
    if (!symbol) return;
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    for (const declaration of symbol.declarations ?? []) {
      if (declaration.getSourceFile() !== module) continue;
      for (const name of exportNamesOf(checker, module, topLevelStatement(declaration))) if (broken.has(name)) names.add(name);
    }
  };
  // The innermost expression or type around the error first, then the whole statement.
  for (let current: ts.Node | undefined = node; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isIdentifier(current) || ts.isPrivateIdentifier(current)) exportOf(current);
    else if (ts.isPropertyAccessExpression(current)) exportOf(current.name);
    else if (ts.isTypeReferenceNode(current)) exportOf(ts.isQualifiedName(current.typeName) ? current.typeName.right : current.typeName);
    else if (ts.isCallExpression(current) || ts.isNewExpression(current)) exportOf(ts.isPropertyAccessExpression(current.expression) ? current.expression.name : current.expression);
    else if (ts.isVariableDeclaration(current) && current.type) visitIdentifiers(current.type, exportOf);
    else if (ts.isClassDeclaration(current)) current.heritageClauses?.forEach((clause) => visitIdentifiers(clause, exportOf));
    if (names.size) return [...names];
    if (isStatementLike(current)) {
      visitIdentifiers(current, exportOf);
      break;
    }
  }
  return [...names];
}

function isStatementLike(node: ts.Node): boolean {
  return ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isReturnStatement(node) || ts.isClassElement(node) || ts.isTypeElement(node);
}

function visitIdentifiers(node: ts.Node, visit: (identifier: ts.Node) => void): void {
  if (ts.isIdentifier(node)) visit(node);
  else if (!ts.isBlock(node) && !ts.isFunctionLike(node)) ts.forEachChild(node, (child) => visitIdentifiers(child, visit));
}

function nodeAt(source: ts.SourceFile, position: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node) => {
    if (position < node.getStart(source) || position >= node.end) return;
    found = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return found;
}

export function topLevelStatement(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current;
}

const exportNamesCache = new WeakMap<ts.SourceFile, Map<ts.Node, string[]>>();

/** The names under which the module exports what `statement` declares. */
function exportNamesOf(checker: ts.TypeChecker, module: ts.SourceFile, statement: ts.Node): string[] {
  let byStatement = exportNamesCache.get(module);
  if (!byStatement) {
    byStatement = new Map();
    const moduleSymbol = checker.getSymbolAtLocation(module);
    const exported = moduleSymbol?.exports?.get(ts.InternalSymbolName.ExportEquals) ? [moduleSymbol.exports.get(ts.InternalSymbolName.ExportEquals)!] : moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
    for (const symbol of exported) {
      for (const declaration of (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol).declarations ?? []) {
        if (declaration.getSourceFile() !== module) continue;
        const top = topLevelStatement(declaration);
        byStatement.set(top, [...(byStatement.get(top) ?? []), symbol.name]);
      }
    }
    exportNamesCache.set(module, byStatement);
  }
  return byStatement.get(statement) ?? [];
}

function refersToModule(checker: ts.TypeChecker, node: ts.Identifier, module: ts.SourceFile): boolean {
  const target = (moduleSymbol: ts.Symbol | undefined) => moduleSymbol?.declarations?.some((d) => d === module) ?? false;
  const parent = node.parent;
  if (ts.isImportSpecifier(parent)) {
    const declaration = parent.parent.parent.parent;
    return target(checker.getSymbolAtLocation(declaration.moduleSpecifier));
  }
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) {
    const namespace = checker.getSymbolAtLocation(parent.expression);
    return target(namespace && namespace.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(namespace) : namespace);
  }
  if (ts.isExportSpecifier(parent)) {
    const declaration = parent.parent.parent;
    return declaration.moduleSpecifier !== undefined && target(checker.getSymbolAtLocation(declaration.moduleSpecifier));
  }
  return false;
}

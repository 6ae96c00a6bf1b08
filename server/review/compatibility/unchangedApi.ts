/**
 * Which of a changed module's declarations the change left alone, in meaning as
 * well as text: those are only checked to still exist, which spares most of the
 * probes of a typical change (an edit inside a function body changes no caller).
 */
import { createHash } from 'node:crypto';
import { ts } from 'ts-morph';

/**
 * The old module's top-level statements that the change left as they were, in
 * meaning as well as in text: a statement is changed when its text is, or when
 * it names something changed (a local type, an import), transitively.
 */
export function unchangedStatements(oldSource: ts.SourceFile, newSource: ts.SourceFile): Set<ts.Node> {
  const text = (statement: ts.Statement, source: ts.SourceFile) => apiText(statement, source);
  const newTexts = new Set(newSource.statements.map((s) => text(s, newSource)));
  const oldTexts = new Set(oldSource.statements.map((s) => text(s, oldSource)));
  const unchanged = new Set<ts.Node>(oldSource.statements.filter((s) => newTexts.has(text(s, oldSource))));
  const changedNames = new Set([
    ...oldSource.statements.filter((s) => !unchanged.has(s)).flatMap(declaredNames),
    // A declaration only the new version has can merge with an old one, or shadow an import.
    ...newSource.statements.filter((s) => !oldTexts.has(text(s, newSource))).flatMap(declaredNames),
  ]);
  // Overloads and merged declarations mean something in their order: a name whose declarations differ in order changed.
  const sequences = (source: ts.SourceFile) => {
    const byName = new Map<string, string[]>();
    for (const statement of source.statements) for (const name of declaredNames(statement)) byName.set(name, [...(byName.get(name) ?? []), text(statement, source)]);
    return byName;
  };
  const newSequences = sequences(newSource);
  for (const [name, texts] of sequences(oldSource)) if (texts.join('\u0000') !== (newSequences.get(name) ?? []).join('\u0000')) changedNames.add(name);
  for (let grew = true; grew;) {
    grew = false;
    for (const statement of unchanged) {
      const words = statement.getText(oldSource).match(/[A-Za-z_$][\w$]*/g) ?? [];
      if (!words.some((word) => changedNames.has(word)) && !declaredNames(statement as ts.Statement).some((name) => changedNames.has(name))) continue;
      unchanged.delete(statement);
      for (const name of declaredNames(statement as ts.Statement)) changedNames.add(name);
      grew = true;
    }
  }
  return unchanged;
}

/**
 * A statement's text as far as its API goes: the bodies of functions, methods,
 * accessors and constructors are left out where a declared type makes them
 * irrelevant (an edit inside an annotated function changes no caller), and kept
 * where the API is inferred from them. White space is folded.
 */
function apiText(statement: ts.Statement, source: ts.SourceFile): string {
  const start = statement.getStart(source);
  // In JavaScript a class's fields are what its constructor assigns, and nothing is declared: every body counts.
  if (/\.[cm]?jsx?$/.test(source.fileName)) return source.text.slice(start, statement.end).replace(/\s+/g, ' ');
  const dropped: Array<[number, number]> = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body && ts.isBlock(node.body as ts.Node)) {
      const returnsDeclared = node.type !== undefined || ts.isConstructorDeclaration(node) || ts.isSetAccessorDeclaration(node);
      if (returnsDeclared) {
        dropped.push([(node.body as ts.Node).getStart(source), (node.body as ts.Node).end]);
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(statement);
  let text = '';
  let at = start;
  for (const [from, to] of dropped) {
    text += `${source.text.slice(at, from)}{}`;
    at = to;
  }
  text += source.text.slice(at, statement.end);
  return text.replace(/\s+/g, ' ');
}

/**
 * A digest of what a module offers the modules that import it, as the type checker
 * sees it: every top-level statement's API text (apiText), in order. An edit inside
 * an annotated function's body leaves it; anything a type can be inferred from
 * changes it.
 */
export function apiDigest(source: ts.SourceFile): string {
  const hash = createHash('sha256').update(source.isDeclarationFile ? 'd.ts\u0000' : '\u0000');
  for (const statement of source.statements) hash.update(apiText(statement, source)).update('\u0000');
  return hash.digest('hex');
}

/** The names a top-level statement declares (or binds, or exports from this module). */
export function declaredNames(statement: ts.Statement): string[] {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!clause) return [];
    const bindings = clause.namedBindings;
    return [
      ...(clause.name ? [clause.name.text] : []),
      ...(bindings && ts.isNamespaceImport(bindings) ? [bindings.name.text] : []),
      ...(bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => e.name.text) : []),
    ];
  }
  // `export { a as b }`, `export type { a }`, `export default a`: a change to how a name is exported changes it.
  if (ts.isExportDeclaration(statement)) {
    return statement.exportClause && ts.isNamedExports(statement.exportClause)
      ? statement.exportClause.elements.flatMap((e) => [e.name.text, ...(e.propertyName && ts.isIdentifier(e.propertyName) ? [e.propertyName.text] : [])])
      : [];
  }
  if (ts.isExportAssignment(statement)) return ts.isIdentifier(statement.expression) ? [statement.expression.text] : [];
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  const name = (statement as { name?: ts.Node }).name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? [name.text] : [];
}

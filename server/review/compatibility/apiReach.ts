/**
 * What of a module's exported API a change can reach, read from its syntax alone
 * (no type checker): an edit to a local type, a helper whose result an export's
 * inferred type comes from, or an import reaches every export that names it,
 * however indirectly. The review cache keys a hunk by the exports it reaches (not
 * only by those it touches), and the breaking-change rule leaves a module whose
 * change reaches none uncompared: the checker could find nothing there.
 */
import { ts } from 'ts-morph';
import { declaredNames, unchangedStatements } from './unchangedApi';

/** The names a top-level statement exports (as importers name them); '*' for `export *` and `export =`; null when none. */
export function exportedNames(statement: ts.Statement): string[] | '*' | null {
  if (ts.isExportDeclaration(statement)) {
    if (!statement.exportClause) return '*';
    if (ts.isNamespaceExport(statement.exportClause)) return [statement.exportClause.name.text];
    return statement.exportClause.elements.map((element) => element.name.text);
  }
  if (ts.isExportAssignment(statement)) return statement.isExportEquals ? '*' : ['default'];
  const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
  if (!modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) return null;
  if (modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword)) return ['default'];
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((declaration) => bindingNames(declaration.name));
  const name = (statement as ts.DeclarationStatement).name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? [name.text] : '*';
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

/**
 * A module's top-level statements as a graph of names: who declares what, and
 * which statements name it. Built once per version of a file; `reach` then costs
 * only what it visits.
 */
export class ExportReach {
  private readonly namedBy = new Map<string, ts.Statement[]>();

  constructor(source: ts.SourceFile) {
    for (const statement of source.statements) {
      const words = new Set(statement.getText(source).match(/[A-Za-z_$][\w$]*/g) ?? []);
      for (const word of words) {
        const list = this.namedBy.get(word);
        if (list) list.push(statement);
        else this.namedBy.set(word, [statement]);
      }
    }
  }

  /**
   * The exported names that `changed` statements (of this version) reach: their
   * own, and those of every statement that names what they declare, transitively.
   * '*' when one of them cannot be named (`export *`, `export =`, an anonymous export).
   */
  reach(changed: Iterable<ts.Statement>): Set<string> | '*' {
    const exported = new Set<string>();
    const seen = new Set<ts.Statement>();
    const queue = [...changed];
    while (queue.length) {
      const statement = queue.pop()!;
      if (seen.has(statement)) continue;
      seen.add(statement);
      const names = exportedNames(statement);
      if (names === '*') return '*';
      for (const name of names ?? []) exported.add(name);
      for (const declared of declaredNames(statement)) for (const user of this.namedBy.get(declared) ?? []) if (!seen.has(user)) queue.push(user);
    }
    return exported;
  }
}

/**
 * Whether the change leaves the module's API as it was, as far as its text can
 * tell: the same exported names, every exported statement unchanged in meaning
 * (unchangedStatements: its text but for the bodies a declared type makes
 * irrelevant, and everything it names). False whenever the text cannot tell:
 * re-exports (`export … from`, whose source may be part of the change), `export =`,
 * declaration files and augmentations (`declare module`, `declare global`), and
 * exported enums (a member's value may be computed from an import).
 */
export function apiSurelyUnchanged(oldSource: ts.SourceFile, newSource: ts.SourceFile): boolean {
  if (oldSource.isDeclarationFile || newSource.isDeclarationFile) return false;
  const exportedOf = (source: ts.SourceFile): Set<string> | null => {
    const names = new Set<string>();
    for (const statement of source.statements) {
      if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) return null;
      if (ts.isExportAssignment(statement) && statement.isExportEquals) return null;
      if (ts.isModuleDeclaration(statement) && (ts.isStringLiteral(statement.name) || statement.name.text === 'global')) return null;
      const exported = exportedNames(statement);
      if (exported === '*') return null;
      if (exported && ts.isEnumDeclaration(statement)) return null;
      for (const name of exported ?? []) names.add(name);
    }
    return names;
  };
  const before = exportedOf(oldSource);
  const after = exportedOf(newSource);
  if (!before || !after || before.size !== after.size || [...before].some((name) => !after.has(name))) return false;
  const unchanged = unchangedStatements(oldSource, newSource);
  return oldSource.statements.every((statement) => exportedNames(statement) === null || unchanged.has(statement));
}

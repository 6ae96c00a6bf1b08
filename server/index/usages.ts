/**
 * Finds where the workspace uses an exported symbol: the index says which files
 * import it (following re-exports and `export *`), and a parse of each importer
 * gives the lines of the uses. Importers are parsed on demand, once per review.
 */
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { RelatedLocation } from '../../shared/review';
import { scriptKindOf } from './languages';
import type { IndexStore, StoredImport } from '../store/indexStore';
import { readWorkTreeText } from '../workTreeText';

/** More places than this and the list stops helping; the count still says how many files import it. */
const MAX_USES = 200;

/** How a file refers to the symbol: by a local name, or as `ns.member`. */
export type Reference = { local: string } | { namespace: string; member: string };

export class UsageFinder {
  private readonly parsed = new Map<string, ts.SourceFile | null>();
  /** One resolver per path a module left, built once per review: building one reads every config of the workspace. */
  private readonly resolversAsIfPresent = new Map<string, (importer: string, specifier: string) => string | null>();

  /**
   * @param resolveAsIfPresent resolves an import as if `extraPath` were still a
   *   file of the workspace: how imports of a deleted or renamed module are found.
   */
  constructor(
    private readonly root: string,
    private readonly store: IndexStore,
    private readonly resolveAsIfPresent: (extraPath: string) => (importer: string, specifier: string) => string | null,
  ) {}

  async usagesOf(file: string, symbol: string, previousPath?: string): Promise<RelatedLocation[]> {
    const related: RelatedLocation[] = [];
    const seenTargets = new Set<string>();
    const seenPlaces = new Set<string>();
    const add = (location: RelatedLocation) => {
      const key = `${location.file}:${location.line}`;
      if (seenPlaces.has(key) || related.length >= MAX_USES) return;
      seenPlaces.add(key);
      related.push(location);
    };
    // Only a path the module left (renamed, or deleted) needs its imports resolved as if it were still
    // there: a module still at its path is in the index, and its importers with it.
    const left = previousPath !== undefined && (previousPath !== file || this.store.entry(file) === undefined);
    const queue: Array<{ target: string; name: string; aliases: string[] }> = [{ target: file, name: symbol, aliases: left ? [previousPath] : [] }];
    while (queue.length) {
      const { target, name, aliases } = queue.shift()!;
      const key = `${target}\u0000${name}`;
      if (seenTargets.has(key)) continue;
      seenTargets.add(key);
      for (const row of this.importersOf(target, aliases)) {
        if (row.file === target) continue;
        if (row.kind === 'reexport') {
          for (const binding of row.bindings.filter((b) => b.imported === name)) {
            add({ file: row.file, line: row.line, message: `re-exports \`${name}\`${binding.local !== name ? ` as \`${binding.local}\`` : ''}` });
            queue.push({ target: row.file, name: binding.local, aliases: [] });
          }
          continue;
        }
        if (row.kind === 'export-all') {
          if (name !== 'default') queue.push({ target: row.file, name, aliases: [] });
          continue;
        }
        const references = referencesTo(row, name);
        if (!references.length) continue;
        const uses = this.findUses(row.file, references, name);
        if (uses.length) uses.forEach(add);
        else add({ file: row.file, line: row.line, message: `imports \`${name}\`` });
      }
    }
    return related.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  }

  /**
   * The files that import `file`, or a module that re-exports it: what the type
   * checker looks at for the uses a change breaks.
   */
  importingFiles(file: string, previousPath?: string): string[] {
    const files = new Set<string>();
    const seen = new Set<string>([file]);
    const queue = [{ target: file, aliases: previousPath && previousPath !== file ? [previousPath] : [] }];
    while (queue.length) {
      const { target, aliases } = queue.shift()!;
      for (const row of this.importersOf(target, aliases)) {
        if (row.file === target) continue;
        files.add(row.file);
        if ((row.kind === 'reexport' || row.kind === 'export-all') && !seen.has(row.file)) {
          seen.add(row.file);
          queue.push({ target: row.file, aliases: [] });
        }
      }
    }
    return [...files].sort();
  }

  private importersOf(target: string, aliases: readonly string[]): StoredImport[] {
    const rows = new Map(this.store.importsOf(target).map((row) => [row.id, row]));
    for (const alias of aliases) {
      for (const row of this.store.importsOf(alias)) rows.set(row.id, row);
      // Imports of a module that no longer exists no longer resolve: resolve them as if it did.
      const stem = path.posix.basename(alias).replace(/\.[^.]+$/, '');
      let resolve = this.resolversAsIfPresent.get(alias);
      if (!resolve) this.resolversAsIfPresent.set(alias, (resolve = this.resolveAsIfPresent(alias)));
      const lookFor = stem === 'index' ? path.posix.basename(path.posix.dirname(alias)) : stem;
      for (const row of this.store.unresolvedImportsMentioning(lookFor)) {
        if (resolve(row.file, row.specifier) === alias) rows.set(row.id, row);
      }
    }
    return [...rows.values()];
  }

  private findUses(file: string, references: readonly Reference[], name: string): RelatedLocation[] {
    const sourceFile = this.parse(file);
    if (!sourceFile) return [];
    const locals = new Set(references.flatMap((r) => ('local' in r ? [r.local] : [])));
    const members = new Map(references.flatMap((r) => ('namespace' in r ? [[r.namespace, r.member] as const] : [])));
    const uses: RelatedLocation[] = [];
    const lineOf = (node: ts.Node) => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
    const refersToSymbol = (node: ts.Node): boolean =>
      (ts.isIdentifier(node) && locals.has(node.text)) ||
      (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && members.get(node.expression.text) === node.name.text);

    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) return;
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && refersToSymbol(node.expression)) {
        uses.push({ file, line: lineOf(node), message: `${ts.isNewExpression(node) ? 'constructs' : 'calls'} \`${name}\`` });
        node.arguments?.forEach(visit);
        return;
      }
      if (refersToSymbol(node)) {
        uses.push({ file, line: lineOf(node), message: `uses \`${name}\`` });
        return;
      }
      // `x.name` and `{ name: … }`: the name there is a property, not a reference.
      if (ts.isPropertyAccessExpression(node)) return visit(node.expression);
      if (ts.isPropertyAssignment(node)) return visit(node.initializer);
      if (ts.isVariableDeclaration(node) && node.initializer && isModuleCall(node.initializer)) return;
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    return uses;
  }

  private parse(file: string): ts.SourceFile | null {
    let sourceFile = this.parsed.get(file);
    if (sourceFile === undefined) {
      const text = readWorkTreeText(this.root, file);
      sourceFile = text === null ? null : ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, scriptKindOf(file) ?? ts.ScriptKind.TS);
      this.parsed.set(file, sourceFile);
    }
    return sourceFile;
  }
}

/** The names under which an import row brings `name` into its file. */
export function referencesTo(row: StoredImport, name: string): Reference[] {
  const references: Reference[] = [];
  if (name === 'default' && row.defaultName) references.push({ local: row.defaultName });
  for (const binding of row.bindings) if (binding.imported === name) references.push({ local: binding.local });
  if (row.namespace) {
    // `const x = require('./m')` of a CommonJS default export is the export itself.
    if (name === 'default' && row.kind === 'require') references.push({ local: row.namespace });
    references.push({ namespace: row.namespace, member: name });
  }
  return references;
}

function isModuleCall(expression: ts.Expression): boolean {
  let current = expression;
  while (ts.isAwaitExpression(current) || ts.isParenthesizedExpression(current)) current = current.expression;
  return ts.isCallExpression(current) && (current.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(current.expression) && current.expression.text === 'require'));
}

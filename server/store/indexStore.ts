/**
 * The index's tables: the file catalog, symbols and imports. Every statement is
 * prepared once; callers group writes in `transaction` so that a batch of files
 * is committed whole or not at all.
 */
import type { Db } from './database';
import type { ExtractedImport, ExtractedSymbol, ImportBinding, ImportKind } from '../index/extractor';

export interface CatalogEntry {
  id: number;
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
  skipped: string | null;
}

export interface StoredImport {
  id: number;
  file: string;
  kind: ImportKind;
  specifier: string;
  resolvedPath: string | null;
  line: number;
  typeOnly: boolean;
  namespace: string | null;
  defaultName: string | null;
  bindings: ImportBinding[];
}

export interface StoredSymbol extends ExtractedSymbol {
  file: string;
}

/** How many symbol and import rows a write added (negative: removed). */
export interface RowChange {
  symbols: number;
  imports: number;
}

export interface IndexTotals {
  files: number;
  symbols: number;
  imports: number;
  /** Files catalogued but not parsed (too large, generated). */
  skipped: number;
}

interface ImportRow {
  id: number;
  path: string;
  kind: ImportKind;
  specifier: string;
  resolved_path: string | null;
  line: number;
  type_only: number;
  namespace: string | null;
  default_name: string | null;
  bindings: string;
}

export class IndexStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      catalog: db.prepare('SELECT id, path, size, mtime_ms AS mtimeMs, hash, skipped FROM files'),
      paths: db.prepare('SELECT path FROM files').pluck(),
      hasFile: db.prepare('SELECT 1 FROM files WHERE path = ?').pluck(),
      fileCount: db.prepare('SELECT count(*) FROM files').pluck(),
      catalogVersion: db.prepare("SELECT count(*) || ':' || coalesce(max(id), 0) FROM files").pluck(),
      entry: db.prepare('SELECT id, path, size, mtime_ms AS mtimeMs, hash, skipped FROM files WHERE path = ?'),
      upsertFile: db.prepare(
        `INSERT INTO files (path, size, mtime_ms, hash, skipped) VALUES (@path, @size, @mtimeMs, @hash, @skipped)
         ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, hash = excluded.hash, skipped = excluded.skipped
         RETURNING id`,
      ),
      touchFile: db.prepare('UPDATE files SET size = ?, mtime_ms = ? WHERE id = ?'),
      deleteFile: db.prepare('DELETE FROM files WHERE id = ?'),
      deleteSymbols: db.prepare('DELETE FROM symbols WHERE file_id = ?'),
      deleteImports: db.prepare('DELETE FROM imports WHERE file_id = ?'),
      insertSymbol: db.prepare(
        `INSERT INTO symbols (file_id, name, kind, exported, is_default, start_line, end_line, signature)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertImport: db.prepare(
        `INSERT INTO imports (file_id, kind, specifier, resolved_path, line, type_only, namespace, default_name, bindings)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // Raw rows: no object per import on a pass over all of them.
      allImports: db.prepare('SELECT imports.id, imports.specifier, imports.resolved_path, files.path FROM imports JOIN files ON files.id = imports.file_id').raw(),
      importsResolvedTo: db.prepare(
        'SELECT imports.id, imports.specifier, imports.resolved_path, files.path FROM imports JOIN files ON files.id = imports.file_id WHERE imports.resolved_path = ?',
      ).raw(),
      // The import graph's one read (server/graph/importGraph.ts): resolved imports only, raw rows.
      resolvedImports: db.prepare(
        'SELECT files.path, imports.resolved_path, imports.type_only, imports.line FROM imports JOIN files ON files.id = imports.file_id WHERE imports.resolved_path IS NOT NULL',
      ).raw(),
      setResolved: db.prepare('UPDATE imports SET resolved_path = ? WHERE id = ?'),
      importsOfTarget: db.prepare(
        `SELECT imports.id, files.path, imports.kind, imports.specifier, imports.resolved_path, imports.line, imports.type_only,
                imports.namespace, imports.default_name, imports.bindings
         FROM imports JOIN files ON files.id = imports.file_id WHERE imports.resolved_path = ?`,
      ),
      importsOfFile: db.prepare(
        `SELECT imports.id, files.path, imports.kind, imports.specifier, imports.resolved_path, imports.line, imports.type_only,
                imports.namespace, imports.default_name, imports.bindings
         FROM imports JOIN files ON files.id = imports.file_id WHERE files.path = ? ORDER BY imports.line`,
      ),
      unresolvedMentioning: db.prepare(
        `SELECT imports.id, files.path, imports.kind, imports.specifier, imports.resolved_path, imports.line, imports.type_only,
                imports.namespace, imports.default_name, imports.bindings
         FROM imports JOIN files ON files.id = imports.file_id WHERE imports.resolved_path IS NULL AND instr(imports.specifier, ?) > 0`,
      ),
      symbolsOfFile: db.prepare(
        `SELECT files.path AS file, name, kind, exported, is_default AS isDefault, start_line AS startLine, end_line AS endLine, signature
         FROM symbols JOIN files ON files.id = symbols.file_id WHERE files.path = ? ORDER BY start_line`,
      ),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      deleteMeta: db.prepare('DELETE FROM meta WHERE key = ?'),
      totals: db.prepare(
        `SELECT (SELECT count(*) FROM files WHERE skipped IS NULL) AS files, (SELECT count(*) FROM symbols) AS symbols,
                (SELECT count(*) FROM imports) AS imports, (SELECT count(*) FROM files WHERE skipped IS NOT NULL) AS skipped`,
      ),
    };
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  catalog(): Map<string, CatalogEntry> {
    const entries = new Map<string, CatalogEntry>();
    for (const row of this.statements.catalog.all() as CatalogEntry[]) entries.set(row.path, row);
    return entries;
  }

  /** Every catalogued path (skipped files included): what imports may resolve to. */
  paths(): string[] {
    return this.statements.paths.all() as string[];
  }

  hasFile(path: string): boolean {
    return this.statements.hasFile.get(path) !== undefined;
  }

  /**
   * Changes whenever a path is added to or removed from the catalogue (its count and
   * its newest row id): whoever keeps a listing of the paths knows when to list again.
   */
  catalogVersion(): string {
    return this.statements.catalogVersion.get() as string;
  }

  fileCount(): number {
    return this.statements.fileCount.get() as number;
  }

  entry(path: string): CatalogEntry | undefined {
    return this.statements.entry.get(path) as CatalogEntry | undefined;
  }

  /** Replaces everything stored for a file with a new extraction (or none, when skipped); returns the change in symbol and import rows. */
  writeFile(
    file: { path: string; size: number; mtimeMs: number; hash: string; skipped: string | null },
    symbols: readonly ExtractedSymbol[],
    imports: ReadonlyArray<ExtractedImport & { resolvedPath: string | null }>,
  ): RowChange {
    const { id } = this.statements.upsertFile.get(file) as { id: number };
    const symbolsBefore = this.statements.deleteSymbols.run(id).changes;
    const importsBefore = this.statements.deleteImports.run(id).changes;
    for (const s of symbols) {
      this.statements.insertSymbol.run(id, s.name, s.kind, s.exported ? 1 : 0, s.isDefault ? 1 : 0, s.startLine, s.endLine, s.signature);
    }
    for (const i of imports) {
      this.statements.insertImport.run(
        id, i.kind, i.specifier, i.resolvedPath, i.line, i.typeOnly ? 1 : 0, i.namespace, i.defaultName, JSON.stringify(i.bindings),
      );
    }
    return { symbols: symbols.length - symbolsBefore, imports: imports.length - importsBefore };
  }

  /** Records a new size and mtime for a file whose content hash did not change. */
  touchFile(id: number, size: number, mtimeMs: number): void {
    this.statements.touchFile.run(size, mtimeMs, id);
  }

  /** Drops a file and what was stored for it; returns the change in symbol and import rows. */
  deleteFile(id: number): RowChange {
    // Children first: cheaper than relying on the cascade's per-row lookups.
    const symbols = this.statements.deleteSymbols.run(id).changes;
    const imports = this.statements.deleteImports.run(id).changes;
    this.statements.deleteFile.run(id);
    return { symbols: -symbols, imports: -imports };
  }

  /** Re-resolves every stored import; used when the set of files changed, which can change any resolution. */
  reresolveAll(resolve: (importer: string, specifier: string) => string | null): number {
    let changed = 0;
    for (const [id, specifier, resolvedPath, path] of this.statements.allImports.all() as Array<[number, string, string | null, string]>) {
      const resolved = resolve(path, specifier);
      if (resolved !== resolvedPath) {
        this.statements.setResolved.run(resolved, id);
        changed++;
      }
    }
    return changed;
  }

  /**
   * Re-resolves the imports that resolved to one of `targets`: when files were only
   * removed, no other import can resolve differently (it never found a removed file).
   */
  reresolveImportsOf(targets: readonly string[], resolve: (importer: string, specifier: string) => string | null): number {
    let changed = 0;
    for (const target of targets) {
      for (const [id, specifier, resolvedPath, path] of this.statements.importsResolvedTo.all(target) as Array<[number, string, string | null, string]>) {
        const resolved = resolve(path, specifier);
        if (resolved !== resolvedPath) {
          this.statements.setResolved.run(resolved, id);
          changed++;
        }
      }
    }
    return changed;
  }

  /** Imports, re-exports and requires whose specifier resolves to `path`. */
  importsOf(path: string): StoredImport[] {
    return (this.statements.importsOfTarget.all(path) as ImportRow[]).map(toStoredImport);
  }

  /** Every import that resolved to a workspace file, as the import graph takes it. */
  resolvedImports(): Array<{ file: string; resolvedPath: string; typeOnly: boolean; line: number }> {
    return (this.statements.resolvedImports.all() as Array<[string, string, number, number]>).map(
      ([file, resolvedPath, typeOnly, line]) => ({ file, resolvedPath, typeOnly: typeOnly === 1, line }),
    );
  }

  /** Imports that resolve to no workspace file and whose specifier contains `text`. */
  unresolvedImportsMentioning(text: string): StoredImport[] {
    return (this.statements.unresolvedMentioning.all(text) as ImportRow[]).map(toStoredImport);
  }

  importsIn(path: string): StoredImport[] {
    return (this.statements.importsOfFile.all(path) as ImportRow[]).map(toStoredImport);
  }

  symbolsIn(path: string): StoredSymbol[] {
    type Row = Omit<StoredSymbol, 'exported' | 'isDefault'> & { exported: number; isDefault: number };
    return (this.statements.symbolsOfFile.all(path) as Row[]).map(
      (row) => ({ ...row, exported: Boolean(row.exported), isDefault: Boolean(row.isDefault) }),
    );
  }

  meta(key: string): string | undefined {
    return (this.statements.getMeta.get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.statements.setMeta.run(key, value);
  }

  deleteMeta(key: string): void {
    this.statements.deleteMeta.run(key);
  }

  totals(): IndexTotals {
    return this.statements.totals.get() as IndexTotals;
  }

  /** Each parsed file with its counts of symbols and imports (for totals by language; a scan of all three tables). */
  countsPerFile(): Array<{ path: string; symbols: number; imports: number }> {
    return this.db.prepare(
      `SELECT f.path AS path, coalesce(s.n, 0) AS symbols, coalesce(i.n, 0) AS imports FROM files f
         LEFT JOIN (SELECT file_id, count(*) AS n FROM symbols GROUP BY file_id) s ON s.file_id = f.id
         LEFT JOIN (SELECT file_id, count(*) AS n FROM imports GROUP BY file_id) i ON i.file_id = f.id
        WHERE f.skipped IS NULL`,
    ).all() as Array<{ path: string; symbols: number; imports: number }>;
  }
}

function toStoredImport(row: ImportRow): StoredImport {
  return {
    id: row.id,
    file: row.path,
    kind: row.kind,
    specifier: row.specifier,
    resolvedPath: row.resolved_path,
    line: row.line,
    typeOnly: Boolean(row.type_only),
    namespace: row.namespace,
    defaultName: row.default_name,
    bindings: JSON.parse(row.bindings) as ImportBinding[],
  };
}

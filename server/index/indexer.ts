/**
 * Keeps the index in step with the workspace, incrementally: a file is hashed
 * only when its size or mtime changed, and parsed only when its hash changed.
 * Work is committed in batches, so an interrupted pass never records a file as
 * indexed that was not, and the next pass resumes where it stopped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { readForIndex, type PreparedFile, type ReadRequest } from './fileReader';
import { isIndexablePath } from './languages';
import { ImportResolver } from './resolver';
import type { IndexSummary } from '../../shared/indexSummary';
import type { CatalogEntry, IndexStore } from '../store/indexStore';

/** Files larger than this are catalogued but not parsed: they are data or generated, and slow. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
const BATCH_SIZE = 250;
/** Files that decide how import specifiers resolve. */
const CONFIG_FILE = /(?:^|\/)(?:tsconfig|jsconfig|package)\.json$/;
const RESOLUTION_INPUTS_KEY = 'resolution-inputs';

/** What re-indexing a few files did; no totals, which would cost a scan of the tables on every save. */
export interface FileUpdateResult {
  reparsed: number;
  removed: number;
  skipped: number;
  durationMs: number;
}

export type IndexPassResult = IndexSummary;

export interface IndexProgress {
  done: number;
  total: number;
}

export interface IndexOptions {
  onProgress?: (progress: IndexProgress) => void;
  signal?: AbortSignal;
}

export interface IndexerOptions {
  root: string;
  store: IndexStore;
  /** Every path of the workspace: git's tracked files plus untracked ones it does not ignore. */
  listWorkspaceFiles: () => Promise<string[]>;
  maxFileBytes?: number;
}

export class WorkspaceIndexer {
  private readonly root: string;
  private readonly store: IndexStore;
  private readonly listWorkspaceFiles: () => Promise<string[]>;
  private readonly maxFileBytes: number;
  /** What git listed at the last listing; the resolver finds tsconfig and package.json files in it. */
  private workspacePaths: string[] | null = null;
  /** The indexed paths the resolver was built for; rebuilt when that set (or a config file) changes. */
  private indexedPaths = new Set<string>();
  private resolver: ImportResolver | null = null;

  constructor(options: IndexerOptions) {
    this.root = options.root;
    this.store = options.store;
    this.listWorkspaceFiles = options.listWorkspaceFiles;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  /** Brings the whole index up to date with the workspace. */
  async indexWorkspace(options: IndexOptions = {}): Promise<IndexPassResult> {
    const started = performance.now();
    this.workspacePaths = await this.listWorkspaceFiles();
    const catalog = this.store.catalog();

    // Stat everything first: the resolver must see the final set of files before
    // the first import is resolved, or early batches would resolve against half of it.
    const candidates: ReadRequest[] = [];
    const presentPaths = new Set<string>();
    let newFiles = 0;
    let skipped = 0;
    for (const relative of this.workspacePaths) {
      if (!isIndexablePath(relative)) continue;
      const stat = statFile(path.join(this.root, relative));
      if (!stat) continue;
      presentPaths.add(relative);
      const entry = catalog.get(relative);
      if (!entry) newFiles++;
      if (entry && entry.size === stat.size && entry.mtimeMs === stat.mtimeMs) {
        if (entry.skipped) skipped++;
      } else {
        candidates.push({ path: relative, size: stat.size, mtimeMs: stat.mtimeMs, knownHash: entry?.hash ?? null });
      }
    }
    const removed = [...catalog.values()].filter((entry) => !presentPaths.has(entry.path));
    const configInputs = this.resolutionConfigInputs();
    const configChanged = configInputs !== this.store.meta(RESOLUTION_INPUTS_KEY);
    const fileSetChanged = removed.length > 0 || newFiles > 0 || configChanged;
    const resolver = this.useResolver(presentPaths, fileSetChanged);

    const total = presentPaths.size;
    let done = total - candidates.length;
    let reparsed = 0;
    const pending: PreparedFile[] = [];
    const touched: Array<{ id: number; size: number; mtimeMs: number }> = [];
    const flush = () => {
      this.store.transaction(() => {
        for (const file of touched) this.store.touchFile(file.id, file.size, file.mtimeMs);
        for (const file of pending) this.write(file, resolver);
      });
      pending.length = 0;
      touched.length = 0;
      options.onProgress?.({ done, total });
    };
    // Parsing stays on this thread: on our two-vCPU machines two parse threads
    // (workers or processes) gave no speed-up, while each paid the compiler's load.
    for (const request of candidates) {
      const result = readForIndex(this.root, request, this.maxFileBytes);
      done++;
      if (result === 'unchanged') touched.push({ id: catalog.get(request.path)!.id, size: request.size, mtimeMs: request.mtimeMs });
      else if (result) {
        pending.push(result);
        if (result.extraction) reparsed++;
        else skipped++;
      }
      if (pending.length + touched.length >= BATCH_SIZE) {
        flush();
        // Let cancellation and other requests (the daemon's) through between batches.
        await yieldToEventLoop();
        options.signal?.throwIfAborted();
      }
    }
    flush();
    this.store.transaction(() => {
      for (const entry of removed) this.store.deleteFile(entry.id);
      // A file that appeared or vanished, or an edited tsconfig, can change what an unchanged file's import resolves to.
      if (fileSetChanged && catalog.size > 0) this.store.reresolveAll((importer, specifier) => resolver.resolve(importer, specifier));
      if (configChanged) this.store.setMeta(RESOLUTION_INPUTS_KEY, configInputs);
    });
    return { ...this.store.totals(), reparsed, removed: removed.length, skipped, durationMs: performance.now() - started };
  }

  /**
   * Re-indexes the given files (saved or changed on disk), removing those that no
   * longer exist. Cheap enough to call on every save: the workspace is listed
   * again only when the set of files or a config file changed.
   */
  async indexFiles(relativePaths: readonly string[]): Promise<FileUpdateResult> {
    const started = performance.now();
    if (this.workspacePaths === null) this.workspacePaths = await this.listWorkspaceFiles();
    if (this.resolver === null) this.indexedPaths = new Set(this.store.catalog().keys());
    const prepared: PreparedFile[] = [];
    const touched: Array<{ id: number; size: number; mtimeMs: number }> = [];
    const gone: CatalogEntry[] = [];
    const appeared: string[] = [];
    let configChanged = false;
    for (const relative of relativePaths) {
      if (CONFIG_FILE.test(relative)) configChanged = true;
      if (!isIndexablePath(relative)) continue;
      const entry = this.store.entry(relative);
      const stat = statFile(path.join(this.root, relative));
      if (!stat) {
        if (entry) gone.push(entry);
        continue;
      }
      if (!this.indexedPaths.has(relative)) appeared.push(relative);
      const file = readForIndex(this.root, { path: relative, size: stat.size, mtimeMs: stat.mtimeMs, knownHash: entry?.hash ?? null }, this.maxFileBytes);
      if (file === 'unchanged') touched.push({ id: entry!.id, size: stat.size, mtimeMs: stat.mtimeMs });
      else if (file) prepared.push(file);
    }
    // Only a file that appeared or vanished, or a changed config, can change how other files' imports resolve.
    const resolutionChanged = appeared.length > 0 || gone.length > 0 || configChanged;
    let resolver = this.resolver;
    if (resolutionChanged || !resolver) {
      if (resolutionChanged) this.workspacePaths = await this.listWorkspaceFiles();
      const indexed = new Set(this.indexedPaths);
      for (const file of appeared) indexed.add(file);
      for (const entry of gone) indexed.delete(entry.path);
      resolver = this.useResolver(indexed, true);
    }
    this.store.transaction(() => {
      for (const file of touched) this.store.touchFile(file.id, file.size, file.mtimeMs);
      for (const file of prepared) this.write(file, resolver);
      for (const entry of gone) this.store.deleteFile(entry.id);
      if (resolutionChanged) this.store.reresolveAll((importer, specifier) => resolver.resolve(importer, specifier));
      if (configChanged) this.store.setMeta(RESOLUTION_INPUTS_KEY, this.resolutionConfigInputs());
    });
    return {
      reparsed: prepared.filter((file) => file.extraction).length,
      removed: gone.length,
      skipped: prepared.filter((file) => !file.extraction).length,
      durationMs: performance.now() - started,
    };
  }

  /**
   * A resolver that sees `extraPath` as a workspace file although it is not one
   * (any more): used to find the importers of a module a change deleted or moved.
   */
  resolverIncluding(extraPath: string): (importer: string, specifier: string) => string | null {
    const paths = new Set(this.indexedPaths.size ? this.indexedPaths : this.store.catalog().keys());
    paths.add(extraPath);
    const resolver = new ImportResolver(this.root, paths, this.workspacePaths ?? paths);
    return (importer, specifier) => resolver.resolve(importer, specifier);
  }

  private write(file: PreparedFile, resolver: ImportResolver): void {
    const imports = (file.extraction?.imports ?? []).map((i) => ({ ...i, resolvedPath: resolver.resolve(file.path, i.specifier) }));
    this.store.writeFile(file, file.extraction?.symbols ?? [], imports);
  }

  /** The tsconfig, jsconfig and package.json files resolution depends on, with their size and mtime. */
  private resolutionConfigInputs(): string {
    const inputs: Array<[string, number, number]> = [];
    for (const relative of this.workspacePaths ?? []) {
      if (!CONFIG_FILE.test(relative)) continue;
      const stat = statFile(path.join(this.root, relative));
      if (stat) inputs.push([relative, stat.size, stat.mtimeMs]);
    }
    return JSON.stringify(inputs);
  }

  private useResolver(indexed: Set<string>, rebuild: boolean): ImportResolver {
    if (rebuild || this.resolver === null) {
      this.resolver = new ImportResolver(this.root, indexed, this.workspacePaths ?? indexed);
    }
    this.indexedPaths = indexed;
    return this.resolver;
  }
}

function statFile(absolute: string): fs.Stats | null {
  try {
    const stat = fs.statSync(absolute);
    return stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}

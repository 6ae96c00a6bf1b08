/**
 * Keeps the index in step with the workspace, in proportion to what changed:
 * one `git status` (and a diff between the last pass's HEAD and today's) names
 * the paths that can differ from what the index holds, and only those are
 * stat'ed; a file is hashed only when its size or mtime changed, and parsed only
 * when its hash changed. When nothing changed the pass is skipped. What makes
 * this possible is kept in the store (passState.ts), so that a new process, as
 * every CLI review is, starts from it. Work is committed in batches, so an
 * interrupted pass never records a file as indexed that was not; the pass after
 * it looks at every file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { readForIndex, type PreparedFile, type ReadRequest } from './fileReader';
import { isIndexablePath } from './languages';
import {
  addTouched, clearTouched, collectResolutionInputs, countInPassRecord, extendedMoved, forgetPassRecord, readPassRecord, readResolutionInputs, readTouched,
  refreshResolutionInputs, resolutionKey, writePassRecord, writeResolutionInputs, type PassRecord, type ReportedPath, type ResolutionInputs,
} from './passState';
import { decidesResolution, ImportResolver, type FileSet } from './resolver';
import { loadParsersFor } from '../languages/registry';
import type { IndexSummary } from '../../shared/indexSummary';
import type { ChangedPath, WorkingTreeStatus } from '../git/repository';
import type { CatalogEntry, IndexStore, IndexTotals, RowChange } from '../store/indexStore';

/** Files larger than this are catalogued but not parsed: they are data or generated, and slow. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
const BATCH_SIZE = 250;
/** Past this many paths to look at (a switch to a distant branch), a full pass costs about as much. */
const MAX_INCREMENTAL_PATHS = 4000;

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

/** What the indexer asks git (a GitRepository answers). */
export interface IndexGit {
  workingTreeStatus(): Promise<WorkingTreeStatus>;
  listTrackedFiles(): Promise<string[]>;
  changedPathsBetween(from: string, to: string): Promise<ChangedPath[] | null>;
  workspaceMembers(paths: readonly string[]): Promise<Set<string>>;
  sparseCheckoutFile(): Promise<string | null>;
}

export interface IndexerOptions {
  root: string;
  store: IndexStore;
  /** Asked what changed since the last pass. Without it, every pass lists and stats the whole workspace. */
  git?: IndexGit;
  /** Every path of the workspace (tracked, and untracked but not ignored); used when there is no `git`. */
  listWorkspaceFiles?: () => Promise<string[]>;
  maxFileBytes?: number;
}

interface StatedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** What one pass must do, whichever way it was found. */
interface PassWork {
  mode: 'full' | 'incremental';
  /** The indexable workspace files looked at, with their stat. */
  present: StatedFile[];
  /** The catalog's entries for them (and more). */
  entryOf: (path: string) => CatalogEntry | undefined;
  removed: CatalogEntry[];
  /** Every path the catalog will hold, when the pass knows them all (a full pass): no lookup in the store per probe. */
  finalPaths?: ReadonlySet<string>;
  /** Whether the catalog held anything before: only then can a stored import need resolving again. */
  hadFiles: boolean;
  /** The totals the last pass recorded, when nothing has written since: the pass adds its changes instead of counting. */
  baseTotals: IndexTotals | null;
  inputs: ResolutionInputs;
  inputsChanged: boolean;
  /** The inputs differ from what is stored (their facts, or only a stat). */
  inputsDirty: boolean;
  /** What to record for the next pass; null without git. */
  record: Omit<PassRecord, 'format' | 'files' | 'totals'> | null;
}

export class WorkspaceIndexer {
  private readonly root: string;
  private readonly store: IndexStore;
  private readonly git: IndexGit | undefined;
  private readonly listWorkspaceFiles: (() => Promise<string[]>) | undefined;
  private readonly maxFileBytes: number;
  /** What imports may resolve to: the catalog, as changed by the operation under way. */
  private readonly indexed: PendingFileSet;
  /** The resolver for the inputs last read (kept while the stored inputs stay the same text). */
  private resolver: { raw: string | undefined; inputs: ResolutionInputs; resolver: ImportResolver } | null = null;

  constructor(options: IndexerOptions) {
    if (!options.git && !options.listWorkspaceFiles) throw new Error('WorkspaceIndexer needs git or listWorkspaceFiles');
    this.root = options.root;
    this.store = options.store;
    this.git = options.git;
    this.listWorkspaceFiles = options.listWorkspaceFiles;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.indexed = new PendingFileSet(this.store);
  }

  /** Brings the whole index up to date with the workspace. */
  async indexWorkspace(options: IndexOptions = {}): Promise<IndexPassResult> {
    const started = performance.now();
    const work = this.git ? await this.planWithGit(this.git) : this.planFull(await this.listWorkspaceFiles!(), null);
    if ('skipped' in work) return { ...work.skipped, reparsed: 0, removed: 0, mode: 'skipped', durationMs: performance.now() - started };
    options.signal?.throwIfAborted();
    return this.runPass(work, options, started);
  }

  /**
   * Re-indexes the given files (saved or changed on disk), removing those that no
   * longer exist. Cheap enough to call on every save: no listing, and imports are
   * resolved again only when a file appeared or vanished, or a config's content changed.
   */
  async indexFiles(relativePaths: readonly string[]): Promise<FileUpdateResult> {
    const started = performance.now();
    const prepared: PreparedFile[] = [];
    const touched: Array<{ id: number; size: number; mtimeMs: number }> = [];
    const gone: CatalogEntry[] = [];
    const appeared: string[] = [];
    const configs: Array<{ path: string; present: boolean }> = [];
    await loadParsersFor(relativePaths);
    for (const relative of new Set(relativePaths)) {
      if (decidesResolution(relative)) configs.push({ path: relative, present: true });
      if (!isIndexablePath(relative)) continue;
      const entry = this.store.entry(relative);
      const stat = statFile(path.join(this.root, relative));
      if (!stat) {
        if (entry) gone.push(entry);
        continue;
      }
      if (!entry) appeared.push(relative);
      const file = readForIndex(this.root, { path: relative, size: stat.size, mtimeMs: stat.mtimeMs, knownHash: entry?.hash ?? null }, this.maxFileBytes, { beingEdited: true });
      if (file === 'unchanged') touched.push({ id: entry!.id, size: stat.size, mtimeMs: stat.mtimeMs });
      else if (file) prepared.push(file);
    }
    let inputs = this.storedInputs() ?? collectResolutionInputs(this.root, (await this.listAll()).paths);
    let inputsChanged = false;
    let inputsDirty = false;
    if (configs.length) ({ inputs, changed: inputsChanged, dirty: inputsDirty } = refreshResolutionInputs(this.root, inputs, configs));
    // Only a file that appeared or vanished, or a config's content, can change how other files' imports resolve.
    const resolutionChanged = appeared.length > 0 || inputsChanged;
    this.indexed.begin(appeared, gone.map((entry) => entry.path));
    try {
      this.store.transaction(() => {
        for (const file of touched) this.store.touchFile(file.id, file.size, file.mtimeMs);
        for (const file of prepared) this.write(file, () => this.resolverFor(inputs));
        for (const entry of gone) this.store.deleteFile(entry.id);
        if (resolutionChanged) this.reresolveAll(inputs);
        else if (gone.length) this.reresolveImportsOf(gone.map((entry) => entry.path), inputs);
        if (inputsDirty) writeResolutionInputs(this.store, inputs);
        // The next pass trusts git for what changed; what was written here it must look at again.
        const changed = [...prepared.map((file) => file.path), ...gone.map((entry) => entry.path), ...(inputsChanged ? configs.map((config) => config.path) : [])];
        addTouched(this.store, changed);
        countInPassRecord(this.store, appeared.length - gone.length);
      });
    } finally {
      this.indexed.end();
    }
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
    const inputs = this.storedInputs() ?? collectResolutionInputs(this.root, []);
    const resolver = this.newResolver(catalogueFileSet(this.store, extraPath), inputs);
    return (importer, specifier) => resolver.resolve(importer, specifier);
  }

  /** Asks git what changed since the last pass: nothing (skip), some paths, or too much to trust (full). */
  private async planWithGit(git: IndexGit): Promise<PassWork | { skipped: PassRecord['totals'] }> {
    const record = readPassRecord(this.store);
    const usable = record !== null && record.options === this.optionsKey() && record.root === this.root;
    // Without a record the pass is a full one: list the index's files while git status runs.
    const [status, sparse, tracked] = await Promise.all([git.workingTreeStatus(), this.sparseStamp(git), usable ? null : git.listTrackedFiles()]);
    const reported = this.reportedPaths(status);
    const full = async () => this.planFull(tracked ?? (await git.listTrackedFiles()), { status, reported, sparse });
    const inputs = this.storedInputs();
    if (!usable || !inputs || record.sparse !== sparse || this.store.fileCount() !== record.files) return full();

    let committed: ChangedPath[] = [];
    if (status.head !== record.head) {
      // Onto or off an unborn branch: rare, and the diff has no side to start from.
      if (status.head === null || record.head === null) return full();
      const changed = await git.changedPathsBetween(record.head, status.head);
      if (changed === null) return full();
      committed = changed.filter((change) => isRelevant(change.path));
    }
    const touched = readTouched(this.store).filter(isRelevant);
    if (!committed.length && !touched.length && sameReports(reported, record.reported) && !extendedMoved(inputs)) return { skipped: record.totals };

    // Whether each path to look at is a workspace file now. A path git reports, it says; one it
    // does not report holds what HEAD holds, so it is one if HEAD has it: for a path a commit
    // changed the diff says, for one reported last time HEAD's entry is as it was then.
    const membership = new Map<string, boolean>();
    for (const [file, , , inWorkspace] of reported) membership.set(file, inWorkspace);
    for (const change of committed) if (!membership.has(change.path)) membership.set(change.path, change.inTarget);
    for (const [file, , , , inHead] of record.reported) if (!membership.has(file)) membership.set(file, inHead);
    const unknown = touched.filter((file) => !membership.has(file));
    if (membership.size + unknown.length > MAX_INCREMENTAL_PATHS) return full();
    if (unknown.length) {
      const members = await git.workspaceMembers(unknown);
      for (const file of unknown) membership.set(file, members.has(file));
    }

    const stats = new Map(reported.map(([file, size, mtimeMs]) => [file, size < 0 ? null : { size, mtimeMs }]));
    const entries = new Map<string, CatalogEntry>();
    const present: StatedFile[] = [];
    const removed: CatalogEntry[] = [];
    const configs: Array<{ path: string; present: boolean }> = [];
    for (const [file, member] of [...membership].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (decidesResolution(file)) configs.push({ path: file, present: member });
      if (!isIndexablePath(file)) continue;
      const stat = member ? (stats.has(file) ? stats.get(file)! : statFile(path.join(this.root, file))) : null;
      const entry = this.store.entry(file);
      if (entry) entries.set(file, entry);
      if (stat) present.push({ path: file, size: stat.size, mtimeMs: stat.mtimeMs });
      else if (entry) removed.push(entry);
    }
    const refreshed = refreshResolutionInputs(this.root, inputs, configs);
    return {
      mode: 'incremental',
      present,
      entryOf: (file) => entries.get(file),
      removed,
      hadFiles: record.files > 0,
      baseTotals: touched.length ? null : record.totals,
      inputs: refreshed.inputs,
      inputsChanged: refreshed.changed,
      inputsDirty: refreshed.dirty,
      record: { options: this.optionsKey(), root: this.root, head: status.head, sparse, reported },
    };
  }

  /** Every workspace file is looked at: git's listing (or the injected one), each file stat'ed. */
  private planFull(paths: Iterable<string>, git: { status: WorkingTreeStatus; reported: ReportedPath[]; sparse: string | null } | null): PassWork {
    const listed = new Set(paths);
    for (const entry of git?.status.entries ?? []) if (entry.inWorkspace) listed.add(entry.path);
    const catalog = this.store.catalog();
    // Stat everything first: the resolver must see the final set of files before the first import is resolved.
    const present: StatedFile[] = [];
    const presentPaths = new Set<string>();
    for (const relative of listed) {
      if (!isIndexablePath(relative)) continue;
      const stat = statFile(path.join(this.root, relative));
      if (!stat) continue;
      presentPaths.add(relative);
      present.push({ path: relative, size: stat.size, mtimeMs: stat.mtimeMs });
    }
    const removed = [...catalog.values()].filter((entry) => !presentPaths.has(entry.path));
    const inputs = collectResolutionInputs(this.root, [...listed].filter(decidesResolution));
    const stored = this.storedInputs();
    const inputsChanged = stored === null || resolutionKey(stored) !== resolutionKey(inputs);
    return {
      mode: 'full',
      present,
      entryOf: (file) => catalog.get(file),
      removed,
      finalPaths: presentPaths,
      hadFiles: catalog.size > 0,
      baseTotals: null,
      inputs,
      inputsChanged,
      inputsDirty: inputsChanged || JSON.stringify(inputs.extended) !== JSON.stringify(stored?.extended),
      record: git && { options: this.optionsKey(), root: this.root, head: git.status.head, sparse: git.sparse, reported: git.reported },
    };
  }

  private async runPass(work: PassWork, options: IndexOptions, started: number): Promise<IndexPassResult> {
    const candidates: ReadRequest[] = [];
    const added: string[] = [];
    for (const file of work.present) {
      const entry = work.entryOf(file.path);
      if (!entry) added.push(file.path);
      if (!entry || entry.size !== file.size || entry.mtimeMs !== file.mtimeMs) candidates.push({ ...file, knownHash: entry?.hash ?? null });
    }
    // A file that appeared or vanished, or an edited config, can change what an unchanged file's import resolves to.
    // Files that only vanished change only the imports that found them, which holds when every stored import
    // was resolved against today's catalog: after a complete pass, not after an interrupted one (a full pass follows).
    const reresolveAll = work.hadFiles && (added.length > 0 || work.inputsChanged || (work.mode === 'full' && work.removed.length > 0));
    const reresolveRemoved = work.hadFiles && !reresolveAll && work.removed.length > 0;
    if (work.record) forgetPassRecord(this.store);

    const total = work.present.length;
    let done = total - candidates.length;
    let reparsed = 0;
    const pending: PreparedFile[] = [];
    const touched: Array<{ id: number; size: number; mtimeMs: number }> = [];
    // Over the final set of a full pass, results cannot change during the pass: kept per folder and specifier.
    let passResolver: ImportResolver | null = null;
    const change = { files: 0, symbols: 0, imports: 0, skipped: 0 };
    const count = (entry: { skipped: string | null } | undefined, sign: number, rows?: RowChange) => {
      if (entry?.skipped === null) change.files += sign;
      else if (entry) change.skipped += sign;
      change.symbols += rows?.symbols ?? 0;
      change.imports += rows?.imports ?? 0;
    };
    const resolver = () => (passResolver ??= work.finalPaths ? this.newResolver(work.finalPaths, work.inputs, true) : this.resolverFor(work.inputs));
    const flush = () => {
      this.store.transaction(() => {
        for (const file of touched) this.store.touchFile(file.id, file.size, file.mtimeMs);
        for (const file of pending) {
          count(work.entryOf(file.path), -1);
          count(file, 1, this.write(file, resolver));
        }
      });
      pending.length = 0;
      touched.length = 0;
      options.onProgress?.({ done, total });
    };
    // The grammars of the tree-sitter languages among them, before the first parse (loading one is asynchronous).
    await loadParsersFor(candidates.map((request) => request.path));
    this.indexed.begin(added, work.removed.map((entry) => entry.path), work.finalPaths);
    try {
      // Parsing stays on this thread: on our two-vCPU machines two parse threads
      // (workers or processes) gave no speed-up, while each paid the compiler's load.
      for (const request of candidates) {
        const result = readForIndex(this.root, request, this.maxFileBytes);
        done++;
        if (result === 'unchanged') touched.push({ id: work.entryOf(request.path)!.id, size: request.size, mtimeMs: request.mtimeMs });
        else if (result) {
          pending.push(result);
          if (result.extraction) reparsed++;
        }
        if (pending.length + touched.length >= BATCH_SIZE) {
          flush();
          // Let cancellation and other requests (the daemon's) through between batches.
          await yieldToEventLoop();
          options.signal?.throwIfAborted();
        }
      }
      flush();
    } finally {
      this.indexed.end();
    }
    const totals = this.store.transaction(() => {
      for (const entry of work.removed) count(entry, -1, this.store.deleteFile(entry.id));
      if (reresolveAll) this.reresolveAll(work.inputs);
      else if (reresolveRemoved) this.reresolveImportsOf(work.removed.map((entry) => entry.path), work.inputs);
      if (work.inputsDirty) writeResolutionInputs(this.store, work.inputs);
      // Counting reads every row of three tables; the last pass's totals plus this one's changes are the same,
      // unless another process recorded a pass meanwhile (its record would be back).
      const base = work.baseTotals && !readPassRecord(this.store) ? work.baseTotals : null;
      const counted = base
        ? { files: base.files + change.files, symbols: base.symbols + change.symbols, imports: base.imports + change.imports, skipped: base.skipped + change.skipped }
        : this.store.totals();
      if (work.record) {
        writePassRecord(this.store, { ...work.record, files: counted.files + counted.skipped, totals: counted });
        clearTouched(this.store);
      }
      return counted;
    });
    return { ...totals, reparsed, removed: work.removed.length, mode: work.mode, durationMs: performance.now() - started };
  }

  /** `resolver` is asked for only when the file has imports: building one is why a pass with nothing to resolve is quick. */
  private write(file: PreparedFile, resolver: () => ImportResolver): RowChange {
    const extracted = file.extraction?.imports ?? [];
    const resolve = extracted.length ? resolver() : null;
    const imports = extracted.map((i) => ({ ...i, resolvedPath: resolve!.resolve(file.path, i.specifier) }));
    return this.store.writeFile(file, file.extraction?.symbols ?? [], imports);
  }

  /** Every stored import resolved again against the catalog as it now is (call once its writes are done). */
  private reresolveAll(inputs: ResolutionInputs): void {
    const resolver = this.newResolver(new Set(this.store.paths()), inputs, true);
    this.store.reresolveAll((importer, specifier) => resolver.resolve(importer, specifier));
  }

  /** The imports that resolved to a removed file, resolved again (call once the deletions are done). */
  private reresolveImportsOf(removed: readonly string[], inputs: ResolutionInputs): void {
    const resolver = this.newResolver(catalogueFileSet(this.store), inputs, true);
    this.store.reresolveImportsOf(removed, (importer, specifier) => resolver.resolve(importer, specifier));
  }

  /** The resolver for `inputs`, over the catalog: built once per set of inputs, and only when an import needs it. */
  private resolverFor(inputs: ResolutionInputs): ImportResolver {
    if (this.resolver?.inputs !== inputs) this.resolver = { raw: undefined, inputs, resolver: this.newResolver(this.indexed, inputs) };
    return this.resolver.resolver;
  }

  /** `memoize` only for a resolver used once over a fixed set of files (many imports share a folder and a specifier). */
  private newResolver(files: FileSet, inputs: ResolutionInputs, memoize = false): ImportResolver {
    // Sorted, so that two packages of one name resolve the same way whatever order they were found in.
    const packages = Object.entries(inputs.packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return new ImportResolver(this.root, files, Object.keys(inputs.configs), packages, { memoize });
  }

  /** The stored resolution inputs; parsed again only when their text changed (another process may write them). */
  private storedInputs(): ResolutionInputs | null {
    const raw = this.store.meta('resolution-inputs');
    if (this.resolver && this.resolver.raw === raw && raw !== undefined) return this.resolver.inputs;
    const inputs = readResolutionInputs(this.store);
    if (inputs) this.resolver = { raw, inputs, resolver: this.newResolver(this.indexed, inputs) };
    return inputs;
  }

  /** The workspace's paths, for the rare operation that finds no stored inputs. */
  private async listAll(): Promise<{ paths: string[] }> {
    if (!this.git) return { paths: await this.listWorkspaceFiles!() };
    const [tracked, status] = await Promise.all([this.git.listTrackedFiles(), this.git.workingTreeStatus()]);
    return { paths: [...tracked, ...status.entries.filter((entry) => entry.inWorkspace).map((entry) => entry.path)] };
  }

  /** The paths git reports that the index cares about, with their stat, by path. */
  private reportedPaths(status: WorkingTreeStatus): ReportedPath[] {
    const reported: ReportedPath[] = [];
    for (const entry of status.entries) {
      if (!isRelevant(entry.path)) continue;
      const stat = statFile(path.join(this.root, entry.path));
      reported.push([entry.path, stat?.size ?? -1, stat?.mtimeMs ?? -1, entry.inWorkspace, entry.inHead]);
    }
    return reported.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private async sparseStamp(git: IndexGit): Promise<string | null> {
    const file = await git.sparseCheckoutFile();
    if (!file) return null;
    const stat = statFile(file);
    return stat ? `${stat.size}:${stat.mtimeMs}` : null;
  }

  private optionsKey(): string {
    return `max-bytes=${this.maxFileBytes}`;
  }
}

/**
 * The catalog's paths as an operation under way will leave them: the files it
 * adds count from the start (the resolver must see the final set before the
 * first import is resolved), those it removes no longer do.
 */
class PendingFileSet implements FileSet {
  private added = new Set<string>();
  private removed = new Set<string>();
  private complete: ReadonlySet<string> | null = null;
  /** Every path, listed when first asked for in this state (a new object whenever the state changes). */
  private listed: ReadonlySet<string> | null = null;
  /**
   * The catalogue's paths and the version they were listed at: a save (no path added or
   * removed) keeps the listing, and with it the resolvers built over it.
   */
  private catalogue: { version: string; paths: ReadonlySet<string> } | null = null;

  constructor(private readonly store: IndexStore) {}

  /** `complete`: all the paths there will be, when known (most probes miss, and a miss would cost a query). */
  begin(added: readonly string[], removed: readonly string[], complete?: ReadonlySet<string>): void {
    this.added = new Set(added);
    this.removed = new Set(removed);
    this.complete = complete ?? null;
    this.listed = null;
  }

  end(): void {
    this.added.clear();
    this.removed.clear();
    this.complete = null;
    this.listed = null;
  }

  all(): ReadonlySet<string> {
    if (this.complete) return this.complete;
    if (!this.listed) {
      const version = this.store.catalogVersion();
      if (this.catalogue?.version !== version) this.catalogue = { version, paths: new Set(this.store.paths()) };
      const unchanged = [...this.added].every((file) => this.catalogue!.paths.has(file)) && [...this.removed].every((file) => !this.catalogue!.paths.has(file));
      if (unchanged) this.listed = this.catalogue.paths;
      else {
        const paths = new Set(this.catalogue.paths);
        for (const file of this.added) paths.add(file);
        for (const file of this.removed) paths.delete(file);
        this.listed = paths;
      }
    }
    return this.listed;
  }

  has(file: string): boolean {
    if (this.complete) return this.complete.has(file);
    if (this.added.has(file)) return true;
    return !this.removed.has(file) && this.store.hasFile(file);
  }
}

/**
 * The catalogue's paths as a FileSet, with `extraPath` as if it were one of them: listed once,
 * when a resolver first needs them all (a new listing would make the languages' resolvers anew).
 */
function catalogueFileSet(store: IndexStore, extraPath?: string): FileSet {
  let listed: Set<string> | undefined;
  return {
    has: (file) => file === extraPath || store.hasFile(file),
    all: () => (listed ??= new Set(extraPath === undefined ? store.paths() : [...store.paths(), extraPath])),
  };
}

/** The paths the index depends on: the files it indexes and the configs resolution reads. */
function isRelevant(file: string): boolean {
  return isIndexablePath(file) || decidesResolution(file);
}

function sameReports(now: readonly ReportedPath[], then: readonly ReportedPath[]): boolean {
  if (now.length !== then.length) return false;
  return now.every((entry, i) => entry[0] === then[i][0] && entry[1] === then[i][1] && entry[2] === then[i][2] && entry[3] === then[i][3]);
}

function statFile(absolute: string): fs.Stats | null {
  try {
    const stat = fs.statSync(absolute);
    return stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}

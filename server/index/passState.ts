/**
 * What the indexer keeps in the store's meta table between passes, so that a
 * new process (every CLI review is one) can look at what changed and nothing
 * else: what the last complete pass saw (HEAD, the paths git reported, the
 * totals), the paths re-indexed one by one since, and what import resolution
 * was computed from. Each is a JSON value read back with a format number; one
 * that does not parse, or has another format, counts as absent.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configChain, decidesResolution, isResolutionConfig, readConfigFacts, readPackageFacts, type PackageFacts } from './resolver';
import type { IndexTotals, IndexStore } from '../store/indexStore';

const PASS_KEY = 'index-pass';
const TOUCHED_KEY = 'index-touched';
const RESOLUTION_KEY = 'resolution-inputs';
/** Bumped whenever what a pass records, or what the index holds for the same file, changes. */
const PASS_FORMAT = 1;
const RESOLUTION_FORMAT = 4;

/** A path git reported at the last pass: [path, size, mtimeMs (both -1: not a file), in the workspace, in HEAD]. */
export type ReportedPath = [string, number, number, boolean, boolean];

/** What the last complete pass saw. */
export interface PassRecord {
  format: number;
  /** The indexer's options (the size limit): another value means other contents for the same files. */
  options: string;
  root: string;
  head: string | null;
  /** Size and mtime of the sparse-checkout patterns, when sparse checkout is on. */
  sparse: string | null;
  /** Catalog rows at the end of the pass: anything that emptied the tables (a migration) makes a mismatch. */
  files: number;
  totals: IndexTotals;
  /** The paths (indexable or resolution configs) git reported as differing from HEAD, by path. */
  reported: ReportedPath[];
}

/** What import resolution was computed from; equal inputs resolve every import the same way. */
export interface ResolutionInputs {
  format: number;
  /** package.json outside node_modules → what resolution reads of it. */
  packages: Record<string, PackageFacts | null>;
  /** tsconfig.json / jsconfig.json → what resolution reads of it, as JSON. */
  configs: Record<string, string>;
  /**
   * Files an `extends` reaches (absolute) → [size, mtimeMs, facts as JSON]. Often in
   * node_modules, where git does not look: they are stat'ed on every pass instead.
   */
  extended: Record<string, [number, number, string]>;
}

export function readPassRecord(store: IndexStore): PassRecord | null {
  const record = parse<PassRecord>(store.meta(PASS_KEY));
  return record?.format === PASS_FORMAT && Array.isArray(record.reported) ? record : null;
}

export function writePassRecord(store: IndexStore, record: Omit<PassRecord, 'format'>): void {
  store.setMeta(PASS_KEY, JSON.stringify({ format: PASS_FORMAT, ...record }));
}

/** Before a pass writes: if it stops half-way, the next one must not trust the last record. */
export function forgetPassRecord(store: IndexStore): void {
  store.deleteMeta(PASS_KEY);
}

/** Files added to (or dropped from) the catalog outside a pass: the record's count follows, or the next pass would think the catalog emptied. */
export function countInPassRecord(store: IndexStore, change: number): void {
  const record = readPassRecord(store);
  if (record && change) store.setMeta(PASS_KEY, JSON.stringify({ ...record, files: record.files + change }));
}

/** Paths re-indexed one by one (on save) since the last pass: the next pass looks at them again. */
export function readTouched(store: IndexStore): string[] {
  const touched = parse<unknown>(store.meta(TOUCHED_KEY));
  return Array.isArray(touched) ? touched.filter((file): file is string => typeof file === 'string') : [];
}

export function addTouched(store: IndexStore, paths: readonly string[]): void {
  if (!paths.length) return;
  const touched = new Set(readTouched(store));
  const before = touched.size;
  for (const file of paths) touched.add(file);
  if (touched.size !== before) store.setMeta(TOUCHED_KEY, JSON.stringify([...touched]));
}

export function clearTouched(store: IndexStore): void {
  store.deleteMeta(TOUCHED_KEY);
}

export function readResolutionInputs(store: IndexStore): ResolutionInputs | null {
  const inputs = parse<ResolutionInputs>(store.meta(RESOLUTION_KEY));
  return inputs?.format === RESOLUTION_FORMAT && inputs.packages && inputs.configs && inputs.extended ? inputs : null;
}

export function writeResolutionInputs(store: IndexStore, inputs: ResolutionInputs): void {
  store.setMeta(RESOLUTION_KEY, JSON.stringify(inputs));
}

/** Reads what resolution takes from each config file (repository-relative) and from the files their `extends` reach. */
export function collectResolutionInputs(root: string, configPaths: Iterable<string>): ResolutionInputs {
  const inputs: ResolutionInputs = { format: RESOLUTION_FORMAT, packages: {}, configs: {}, extended: {} };
  for (const file of [...configPaths].filter(decidesResolution).sort()) updateConfig(root, inputs, file, true);
  inputs.extended = extendedInputs(root, inputs);
  return inputs;
}

/**
 * Brings `inputs` up to date for config files that changed (present: read again;
 * absent: dropped) and for extended files whose stat moved. Returns new inputs
 * (the argument is not changed), whether resolution may differ, and whether
 * anything needs writing back (a stat that moved with the facts unchanged).
 */
export function refreshResolutionInputs(
  root: string,
  previous: ResolutionInputs,
  changedConfigs: ReadonlyArray<{ path: string; present: boolean }>,
): { inputs: ResolutionInputs; changed: boolean; dirty: boolean } {
  const inputs: ResolutionInputs = { format: RESOLUTION_FORMAT, packages: { ...previous.packages }, configs: { ...previous.configs }, extended: { ...previous.extended } };
  for (const { path: file, present } of changedConfigs) updateConfig(root, inputs, file, present);
  let restatted = false;
  for (const [file, [size, mtimeMs]] of Object.entries(previous.extended)) {
    const stat = statOrNull(file);
    if ((stat?.size ?? -1) === size && (stat?.mtimeMs ?? -1) === mtimeMs) continue;
    restatted = true;
    inputs.extended[file] = [stat?.size ?? -1, stat?.mtimeMs ?? -1, JSON.stringify(readConfigFacts(file))];
  }
  // An edited config or extended file may extend something else now.
  if (changedConfigs.some((config) => !config.path.endsWith('package.json')) || restatted) inputs.extended = extendedInputs(root, inputs);
  const changed = resolutionKey(inputs) !== resolutionKey(previous);
  return { inputs, changed, dirty: changed || restatted };
}

/** Whether an extended file's stat moved since it was recorded: the only thing a pass with nothing else to do must check. */
export function extendedMoved(inputs: ResolutionInputs): boolean {
  for (const [file, [size, mtimeMs]] of Object.entries(inputs.extended)) {
    const stat = statOrNull(file);
    if ((stat?.size ?? -1) !== size || (stat?.mtimeMs ?? -1) !== mtimeMs) return true;
  }
  return false;
}

/** The inputs without stats, in a stable order: equal keys, equal resolution. */
export function resolutionKey(inputs: ResolutionInputs): string {
  const sorted = <T>(record: Record<string, T>) => Object.keys(record).sort().map((key) => [key, record[key]] as const);
  return JSON.stringify([sorted(inputs.packages), sorted(inputs.configs), sorted(inputs.extended).map(([file, [, , facts]]) => [file, facts])]);
}

function updateConfig(root: string, inputs: ResolutionInputs, file: string, present: boolean): void {
  const isPackage = file.endsWith('package.json');
  const absolute = path.join(root, file);
  if (!present || !isFile(absolute)) {
    if (isPackage) delete inputs.packages[file];
    else delete inputs.configs[file];
  } else if (isPackage) inputs.packages[file] = readPackageFacts(root, file);
  // Another language's build file (go.mod, pom.xml, pyproject.toml): its resolver reads it whole, so its content counts.
  else if (!isResolutionConfig(file)) inputs.configs[file] = JSON.stringify({ content: contentHash(absolute) });
  else inputs.configs[file] = JSON.stringify(readConfigFacts(absolute));
}

/** Every file reached through `extends` from a recorded config, but not one of them, with its stat and facts. */
function extendedInputs(root: string, inputs: ResolutionInputs): ResolutionInputs['extended'] {
  const extended: ResolutionInputs['extended'] = {};
  const recorded = new Set(Object.keys(inputs.configs).map((file) => path.join(root, file)));
  for (const config of Object.keys(inputs.configs).sort()) {
    if (!isResolutionConfig(config)) continue;
    for (const { file, facts } of configChain(root, config).slice(1)) {
      if (recorded.has(file) || file in extended) continue;
      const stat = statOrNull(file);
      extended[file] = [stat?.size ?? -1, stat?.mtimeMs ?? -1, JSON.stringify(facts)];
    }
  }
  return extended;
}

function statOrNull(file: string): fs.Stats | null {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}

function contentHash(file: string): string | null {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

function isFile(file: string): boolean {
  return statOrNull(file) !== null;
}

function parse<T>(value: string | undefined): T | null {
  if (value === undefined) return null;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}

/**
 * Resolves import specifiers to workspace files, the way TypeScript's bundler
 * resolution would for the files we index: relative paths, tsconfig/jsconfig
 * `baseUrl` and `paths` (nearest config, following `extends`), and the names of
 * packages that live in the workspace (monorepos). Anything else (a dependency in
 * node_modules, a Node builtin) resolves to null: the index is about the
 * workspace's own code.
 *
 * Pure string work over the set of indexed paths: no file system probing per
 * import, which keeps re-resolving every import after a file is added cheap.
 * What it reads of package.json files can be handed in (`PackageFacts`, kept by
 * the indexer), so that a new process need not read every manifest again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { LanguageResolvers } from '../languages/resolution';
import { adapterFor, isLanguageResolutionInput } from '../languages/registry';

/** Extensions tried, in TypeScript's order, when a specifier names no file exactly. */
const PROBE_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** `./x.js` in TypeScript source means `./x.ts`: ESM-style specifiers name the emitted file. */
const EMITTED_TO_SOURCE: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx', '.d.ts'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};

interface PathsConfig {
  /** Repository-relative directory that `paths` targets are relative to. */
  baseDir: string;
  hasBaseUrl: boolean;
  paths: Array<{ prefix: string; suffix: string; wildcard: boolean; targets: string[] }>;
}

interface WorkspacePackage {
  dir: string;
  entries: string[];
}

/** What resolution takes from a package.json: its name and entry points, and its subpath imports (null: none, or not JSON). */
export interface PackageFacts {
  /** '' for a package.json without a name (an application's): it has subpath imports, no importers by name. */
  name: string;
  entries: string[];
  /** Its `imports` field (`#…` specifiers), each key with the targets to try in order; absent: none. */
  imports?: SubpathImport[];
}

/** One key of a package.json's `imports`: `#x` exactly, or `#x/*.js` with one `*`; no target: blocked (null). */
export interface SubpathImport {
  key: string;
  targets: string[];
}

/** The indexed paths: a Set, or a lookup in the store. */
export interface FileSet {
  has(path: string): boolean;
  /**
   * Every path, for the resolvers of the tree-sitter languages (a Go import names a
   * directory, Java's source roots are found among the files); a Set is its own.
   */
  all?(): ReadonlySet<string>;
}

/** The files whose content decides resolution, found by name: tsconfig.json, jsconfig.json, package.json (never a dependency's). */
export function isResolutionConfig(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (base !== 'tsconfig.json' && base !== 'jsconfig.json' && base !== 'package.json') return false;
  return !file.startsWith('node_modules/') && !file.includes('/node_modules/');
}

/** Whether a file's content decides how some import resolves: TypeScript's configs and manifests, or another language's build files. */
export function decidesResolution(file: string): boolean {
  return isResolutionConfig(file) || isLanguageResolutionInput(file);
}

export class ImportResolver {
  private readonly configs = new Map<string, PathsConfig | null>();
  private readonly configDirCache = new Map<string, string | null>();
  private readonly packages = new Map<string, WorkspacePackage>();
  /** Every package.json's folder, with its subpath imports (empty: it has none): a `#` specifier asks the nearest. */
  private readonly subpathImports = new Map<string, SubpathImport[]>();
  private readonly configFiles = new Set<string>();
  /** The build files of the tree-sitter languages (go.mod, pom.xml, pyproject.toml…) among `workspaceFiles`. */
  private readonly languageInputs: string[] = [];
  private languageResolvers: LanguageResolvers | undefined;
  /** Results by directory (relative specifiers) or nearest config (the others): the importer's name matters no further. */
  private readonly results: Map<string, string | null> | null;

  /**
   * @param root absolute repository root
   * @param files every indexed path (repository-relative, forward slashes)
   * @param workspaceFiles paths among which tsconfig/jsconfig and package.json files are found (git's listing will do)
   * @param packages what each package.json holds, when known: then none is read from disk
   * @param options.memoize keep each result, for a resolver used once over many imports while `files` stays the same
   */
  constructor(
    private readonly root: string,
    private readonly files: FileSet,
    workspaceFiles: Iterable<string>,
    packages?: Iterable<readonly [string, PackageFacts | null]>,
    options: { memoize?: boolean } = {},
  ) {
    this.results = options.memoize ? new Map() : null;
    for (const file of workspaceFiles) {
      if (isLanguageResolutionInput(file)) this.languageInputs.push(file);
      if (!isResolutionConfig(file)) continue;
      const base = file.slice(file.lastIndexOf('/') + 1);
      if (base !== 'package.json') this.configFiles.add(file);
      else if (!packages) this.addPackage(file, readPackageFacts(root, file));
    }
    for (const [file, facts] of packages ?? []) this.addPackage(file, facts);
  }

  /** The workspace file `specifier` (imported from `importer`) refers to, or null. */
  resolve(importer: string, specifier: string): string | null {
    const adapter = adapterFor(importer);
    if (adapter) {
      this.languageResolvers ??= new LanguageResolvers(this.root, this.files, this.languageInputs);
      return this.languageResolvers.resolve(adapter, importer, specifier);
    }
    if (!this.results) return this.resolveUncached(importer, specifier);
    // A relative or `#` specifier depends on the importer's folder only, any other on the nearest config.
    const key = isRelative(specifier) || specifier.startsWith('#') ? `${dirOf(importer)}\0${specifier}` : `${this.nearestConfigDir(dirOf(importer)) ?? '\u0001'}\u0002${specifier}`;
    let result = this.results.get(key);
    if (result === undefined) {
      result = this.resolveUncached(importer, specifier);
      this.results.set(key, result);
    }
    return result;
  }

  private resolveUncached(importer: string, specifier: string): string | null {
    if (isRelative(specifier)) return this.probe(joinPath(dirOf(importer), specifier));
    if (specifier.startsWith('/') || specifier.startsWith('node:')) return null;
    // A `#` specifier is the package's subpath import, else (TypeScript allows it) a `paths` alias.
    const viaImports = specifier.startsWith('#') ? this.resolveSubpathImport(importer, specifier) : null;
    if (viaImports) return viaImports;
    const config = this.configFor(importer);
    if (config) {
      const viaPaths = this.resolveWithPaths(config, specifier);
      if (viaPaths) return viaPaths;
    }
    const viaPackage = this.resolveWorkspacePackage(specifier);
    if (viaPackage) return viaPackage;
    if (config?.hasBaseUrl) return this.probe(joinPath(config.baseDir, specifier));
    return null;
  }

  private resolveWithPaths(config: PathsConfig, specifier: string): string | null {
    for (const pattern of config.paths) {
      let star: string;
      if (pattern.wildcard) {
        if (!specifier.startsWith(pattern.prefix) || !specifier.endsWith(pattern.suffix)) continue;
        if (specifier.length < pattern.prefix.length + pattern.suffix.length) continue;
        star = specifier.slice(pattern.prefix.length, specifier.length - pattern.suffix.length);
      } else {
        if (specifier !== pattern.prefix) continue;
        star = '';
      }
      for (const target of pattern.targets) {
        const found = this.probe(joinPath(config.baseDir, target.replace('*', star)));
        if (found) return found;
      }
    }
    return null;
  }

  /**
   * Node's subpath imports: the nearest package.json above the importer (whether or not it
   * has an `imports` field: Node looks no further) maps the specifier, by its exact key or
   * else by the `*` pattern with the longest prefix; a relative target is a file of that
   * package, a bare one a package.
   */
  private resolveSubpathImport(importer: string, specifier: string): string | null {
    let dir: string | null = dirOf(importer);
    while (dir !== null && !this.subpathImports.has(dir)) dir = dir === '' ? null : dirOf(dir);
    if (dir === null) return null;
    const keys = this.subpathImports.get(dir)!;
    let match = keys.find((entry) => entry.key === specifier && !entry.key.includes('*'));
    let star = '';
    if (!match) {
      let bestPrefix = -1;
      for (const entry of keys) {
        const at = entry.key.indexOf('*');
        if (at < 0) continue;
        const prefix = entry.key.slice(0, at);
        const suffix = entry.key.slice(at + 1);
        if (prefix.length <= bestPrefix || specifier.length < prefix.length + suffix.length) continue;
        if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix)) continue;
        match = entry;
        bestPrefix = prefix.length;
        star = specifier.slice(prefix.length, specifier.length - suffix.length);
      }
    }
    for (const target of match?.targets ?? []) {
      const expanded = target.replaceAll('*', star);
      const found = expanded.startsWith('./') ? this.probe(joinPath(dir, expanded)) : this.resolveWorkspacePackage(expanded);
      if (found) return found;
    }
    return null;
  }

  private resolveWorkspacePackage(specifier: string): string | null {
    const parts = specifier.split('/');
    const nameLength = specifier.startsWith('@') ? 2 : 1;
    const pkg = this.packages.get(parts.slice(0, nameLength).join('/'));
    if (!pkg) return null;
    const subpath = parts.slice(nameLength).join('/');
    if (subpath) return this.probe(joinPath(pkg.dir, subpath)) ?? this.probe(joinPath(pkg.dir, `src/${subpath}`));
    for (const entry of pkg.entries) {
      const found = this.probe(joinPath(pkg.dir, entry)) ?? this.probe(joinPath(pkg.dir, toSourcePath(entry)));
      if (found) return found;
    }
    return this.probe(joinPath(pkg.dir, 'src/index')) ?? this.probe(pkg.dir);
  }

  /** The indexed file a path without (or with an emitted) extension stands for. */
  private probe(candidate: string): string | null {
    if (candidate.startsWith('../')) return null;
    // TypeScript's order: `./x.js` is `x.ts`, then `x.d.ts` (the types of a hand-written `x.js`), then `x.js`.
    const ext = path.posix.extname(candidate);
    for (const sourceExt of EMITTED_TO_SOURCE[ext] ?? []) {
      const source = candidate.slice(0, -ext.length) + sourceExt;
      if (this.files.has(source)) return source;
    }
    if (this.files.has(candidate)) return candidate;
    for (const probeExt of PROBE_EXTENSIONS) {
      if (this.files.has(candidate + probeExt)) return candidate + probeExt;
    }
    const indexBase = candidate === '' ? 'index' : `${candidate}/index`;
    for (const probeExt of PROBE_EXTENSIONS) {
      if (this.files.has(indexBase + probeExt)) return indexBase + probeExt;
    }
    return null;
  }

  private configFor(importer: string): PathsConfig | null {
    const dir = this.nearestConfigDir(dirOf(importer));
    if (dir === null) return null;
    const configPath = this.configFiles.has(joinPath(dir, 'tsconfig.json')) ? joinPath(dir, 'tsconfig.json') : joinPath(dir, 'jsconfig.json');
    let config = this.configs.get(configPath);
    if (config === undefined) {
      config = this.loadPathsConfig(configPath);
      this.configs.set(configPath, config);
    }
    return config;
  }

  private nearestConfigDir(dir: string): string | null {
    const cached = this.configDirCache.get(dir);
    if (cached !== undefined) return cached;
    let found: string | null;
    if (this.configFiles.has(joinPath(dir, 'tsconfig.json')) || this.configFiles.has(joinPath(dir, 'jsconfig.json'))) found = dir;
    else found = dir === '' ? null : this.nearestConfigDir(dirOf(dir));
    this.configDirCache.set(dir, found);
    return found;
  }

  /** Reads `baseUrl` and `paths` from a config and the configs it extends. */
  private loadPathsConfig(configPath: string): PathsConfig | null {
    let baseUrl: string | undefined;
    let paths: Record<string, string[]> | undefined;
    let pathsDir = dirOf(configPath);
    // Walk from the config up its `extends` chain; the nearest definition of each option wins.
    for (const { file, facts } of configChain(this.root, configPath)) {
      if (!facts) break;
      const relDir = toRepoPath(this.root, path.dirname(file));
      if (baseUrl === undefined && typeof facts.baseUrl === 'string') baseUrl = joinPath(relDir, facts.baseUrl);
      if (paths === undefined && facts.paths && typeof facts.paths === 'object') {
        paths = facts.paths;
        pathsDir = relDir;
      }
    }
    if (baseUrl === undefined && paths === undefined) return null;
    const baseDir = baseUrl ?? pathsDir;
    return {
      baseDir,
      hasBaseUrl: baseUrl !== undefined,
      paths: Object.entries(paths ?? {}).map(([pattern, targets]) => {
        const star = pattern.indexOf('*');
        return {
          prefix: star < 0 ? pattern : pattern.slice(0, star),
          suffix: star < 0 ? '' : pattern.slice(star + 1),
          wildcard: star >= 0,
          targets: Array.isArray(targets) ? targets.filter((t): t is string => typeof t === 'string') : [],
        };
      }),
    };
  }

  private addPackage(file: string, facts: PackageFacts | null): void {
    this.subpathImports.set(dirOf(file), facts?.imports ?? []);
    if (facts?.name) this.packages.set(facts.name, { dir: dirOf(file), entries: facts.entries });
  }
}

/** What a tsconfig/jsconfig says that resolution reads: null when it cannot be read. */
export interface ConfigFacts {
  baseUrl?: string;
  paths?: Record<string, string[]>;
  extends?: string;
}

/**
 * A config and the files its `extends` chain reaches (absolute paths), each
 * with what it says; the chain stops at a file that cannot be read, or a loop.
 */
export function configChain(root: string, configPath: string): Array<{ file: string; facts: ConfigFacts | null }> {
  const chain: Array<{ file: string; facts: ConfigFacts | null }> = [];
  const seen = new Set<string>();
  let current: string | null = path.join(root, configPath);
  while (current && !seen.has(current)) {
    seen.add(current);
    const facts = readConfigFacts(current);
    chain.push({ file: current, facts });
    current = typeof facts?.extends === 'string' ? extendedConfigPath(root, path.dirname(current), facts.extends) : null;
  }
  return chain;
}

/** The options of one config file that resolution depends on (not those of the configs it extends). */
export function readConfigFacts(file: string): ConfigFacts | null {
  const json = readJsonc(file);
  if (!json) return null;
  const options = (json.compilerOptions ?? {}) as { baseUrl?: unknown; paths?: unknown };
  const facts: ConfigFacts = {};
  if (typeof options.baseUrl === 'string') facts.baseUrl = options.baseUrl;
  if (options.paths && typeof options.paths === 'object') facts.paths = options.paths as Record<string, string[]>;
  if (typeof json.extends === 'string') facts.extends = json.extends;
  return facts;
}

function extendedConfigPath(root: string, fromDir: string, extendsValue: string): string | null {
  const withJson = extendsValue.endsWith('.json') ? extendsValue : `${extendsValue}.json`;
  if (extendsValue.startsWith('.') || path.isAbsolute(extendsValue)) return path.resolve(fromDir, withJson);
  // A shared config from a package (`@tsconfig/node20/tsconfig.json`): look in node_modules upwards.
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'node_modules', withJson), path.join(dir, 'node_modules', extendsValue, 'tsconfig.json')]) {
      if (fs.existsSync(candidate)) return candidate;
    }
    if (dir === path.dirname(dir) || !dir.startsWith(root)) return null;
  }
}

/** What resolution takes from the package.json at `file` (repository-relative); null when it names no package and maps no import. */
export function readPackageFacts(root: string, file: string): PackageFacts | null {
  const json = readJson(path.join(root, file)) as { name?: unknown; exports?: unknown; imports?: unknown; types?: unknown; typings?: unknown; module?: unknown; main?: unknown } | null;
  if (!json) return null;
  const imports = subpathImportsOf(json.imports);
  if (typeof json.name !== 'string' && !imports) return null;
  const entries: string[] = [];
  const exportsEntry = rootExport(json.exports);
  for (const entry of [exportsEntry, json.types, json.typings, json.module, json.main]) {
    if (typeof entry === 'string') entries.push(entry.replace(/^\.\//, ''));
  }
  return { name: typeof json.name === 'string' ? json.name : '', entries, ...(imports ? { imports } : {}) };
}

/** The conditions a target is read under, in the order that finds source first (as for `exports`). */
const IMPORT_CONDITIONS = ['types', 'import', 'require', 'node', 'default'];

/** A package.json's `imports` as keys and their targets in order; undefined without any `#` key. */
function subpathImportsOf(field: unknown): SubpathImport[] | undefined {
  if (!field || typeof field !== 'object' || Array.isArray(field)) return undefined;
  const keys = Object.entries(field as Record<string, unknown>)
    .filter(([key]) => key.startsWith('#') && key !== '#' && !key.startsWith('#/') && (key.match(/\*/g) ?? []).length <= 1)
    .map(([key, value]) => ({ key, targets: targetsOf(value) }));
  return keys.length ? keys : undefined;
}

/** A target in Node's forms: a string, an array of fallbacks, an object of conditions, or null (blocked). */
function targetsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(targetsOf);
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const conditions = [...IMPORT_CONDITIONS.filter((condition) => condition in record), ...Object.keys(record).filter((condition) => !IMPORT_CONDITIONS.includes(condition))];
  return conditions.flatMap((condition) => targetsOf(record[condition]));
}

/** The `.` entry of a package's `exports`, preferring source-like conditions. */
function rootExport(exportsField: unknown): string | undefined {
  if (typeof exportsField === 'string') return exportsField;
  if (!exportsField || typeof exportsField !== 'object') return undefined;
  const record = exportsField as Record<string, unknown>;
  const dot = '.' in record ? record['.'] : record;
  if (typeof dot === 'string') return dot;
  if (!dot || typeof dot !== 'object') return undefined;
  for (const condition of ['types', 'import', 'require', 'default']) {
    const value = (dot as Record<string, unknown>)[condition];
    if (typeof value === 'string') return value;
    const nested = rootExport(value);
    if (nested) return nested;
  }
  return undefined;
}

/** A monorepo package's `main` usually names build output; its source sits under `src/`. */
function toSourcePath(entry: string): string {
  return entry.replace(/^(?:dist|lib|out|build)\//, 'src/').replace(/\.d\.ts$|\.[cm]?js$/, '');
}

function readJsonc(file: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return parseJsonc(file, text);
}

/**
 * A package.json is strict JSON (npm says so); JSON.parse reads it many times
 * faster than the compiler's reader, which stays the fallback for one that is not.
 */
function readJson(file: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return parseJsonc(file, text);
  }
}

function parseJsonc(file: string, text: string): Record<string, unknown> | null {
  // tsconfig files allow comments and trailing commas; the compiler's own reader accepts them.
  const parsed = ts.parseConfigFileTextToJson(file, text);
  return parsed.error || typeof parsed.config !== 'object' || parsed.config === null || Array.isArray(parsed.config) ? null : parsed.config;
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..';
}

function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** A `.` or `..` segment, an empty one, or a trailing slash: what normalising changes. */
const NEEDS_NORMALIZING = /(?:^|\/)\.\.?(?:\/|$)|\/\/|\/$/;

/** Joins repository-relative paths and normalises `.` and `..`; '' is the root. */
function joinPath(dir: string, relative: string): string {
  const concatenated = dir === '' ? relative : `${dir}/${relative}`;
  // Most joins have nothing to normalise, and path.posix.normalize is the resolver's dearest call.
  if (!NEEDS_NORMALIZING.test(concatenated)) return concatenated;
  const joined = path.posix.normalize(concatenated);
  if (joined === '.' || joined === './') return '';
  return joined.replace(/^\.\//, '').replace(/\/$/, '');
}

function toRepoPath(root: string, absolute: string): string {
  const relative = path.relative(root, absolute).split(path.sep).join('/');
  return relative === '' ? '' : relative;
}

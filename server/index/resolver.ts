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
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';

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

export class ImportResolver {
  private readonly configs = new Map<string, PathsConfig | null>();
  private readonly configDirCache = new Map<string, string | null>();
  private readonly packages = new Map<string, WorkspacePackage>();
  private readonly configFiles = new Set<string>();

  /**
   * @param root absolute repository root
   * @param files every indexed path (repository-relative, forward slashes)
   * @param workspaceFiles every path git lists, used to find tsconfig/jsconfig and package.json files
   */
  constructor(
    private readonly root: string,
    private readonly files: ReadonlySet<string>,
    workspaceFiles: Iterable<string>,
  ) {
    for (const file of workspaceFiles) {
      const base = file.slice(file.lastIndexOf('/') + 1);
      if (base === 'tsconfig.json' || base === 'jsconfig.json') this.configFiles.add(file);
      else if (base === 'package.json' && !file.includes('node_modules/')) this.readPackage(file);
    }
  }

  /** The workspace file `specifier` (imported from `importer`) refers to, or null. */
  resolve(importer: string, specifier: string): string | null {
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
      return this.probe(joinPath(dirOf(importer), specifier));
    }
    if (specifier.startsWith('/') || specifier.startsWith('node:')) return null;
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
    const seen = new Set<string>();
    let current: string | null = path.join(this.root, configPath);
    // Walk from the config up its `extends` chain; the nearest definition of each option wins.
    while (current && !seen.has(current)) {
      seen.add(current);
      const json = readJsonc(current);
      if (!json) break;
      const options = (json.compilerOptions ?? {}) as { baseUrl?: string; paths?: Record<string, string[]> };
      const relDir = toRepoPath(this.root, path.dirname(current));
      if (baseUrl === undefined && typeof options.baseUrl === 'string') baseUrl = joinPath(relDir, options.baseUrl);
      if (paths === undefined && options.paths && typeof options.paths === 'object') {
        paths = options.paths;
        pathsDir = relDir;
      }
      current = typeof json.extends === 'string' ? this.extendedConfigPath(path.dirname(current), json.extends) : null;
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

  private extendedConfigPath(fromDir: string, extendsValue: string): string | null {
    const withJson = extendsValue.endsWith('.json') ? extendsValue : `${extendsValue}.json`;
    if (extendsValue.startsWith('.') || path.isAbsolute(extendsValue)) return path.resolve(fromDir, withJson);
    // A shared config from a package (`@tsconfig/node20/tsconfig.json`): look in node_modules upwards.
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
      for (const candidate of [path.join(dir, 'node_modules', withJson), path.join(dir, 'node_modules', extendsValue, 'tsconfig.json')]) {
        if (fs.existsSync(candidate)) return candidate;
      }
      if (dir === path.dirname(dir) || !dir.startsWith(this.root)) return null;
    }
  }

  private readPackage(file: string): void {
    const json = readJsonc(path.join(this.root, file)) as { name?: unknown; exports?: unknown; types?: unknown; typings?: unknown; module?: unknown; main?: unknown } | null;
    if (!json || typeof json.name !== 'string') return;
    const entries: string[] = [];
    const exportsEntry = rootExport(json.exports);
    for (const entry of [exportsEntry, json.types, json.typings, json.module, json.main]) {
      if (typeof entry === 'string') entries.push(entry.replace(/^\.\//, ''));
    }
    this.packages.set(json.name, { dir: dirOf(file), entries });
  }
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
  // tsconfig files allow comments and trailing commas; the compiler's own reader accepts them.
  const parsed = ts.parseConfigFileTextToJson(file, text);
  return parsed.error || typeof parsed.config !== 'object' || parsed.config === null ? null : parsed.config;
}

function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** Joins repository-relative paths and normalises `.` and `..`; '' is the root. */
function joinPath(dir: string, relative: string): string {
  const joined = path.posix.normalize(dir === '' ? relative : `${dir}/${relative}`);
  if (joined === '.' || joined === './') return '';
  return joined.replace(/^\.\//, '').replace(/\/$/, '');
}

function toRepoPath(root: string, absolute: string): string {
  const relative = path.relative(root, absolute).split(path.sep).join('/');
  return relative === '' ? '' : relative;
}

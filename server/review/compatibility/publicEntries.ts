/**
 * Whether a module is a public entry of its package: named by `exports`, `types`,
 * `typings`, `main` or `module` in the nearest package.json (as source or as the
 * file the build emits from it). Code outside the workspace imports such a
 * module, so a break in it is an error even when no workspace file uses it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PublicEntry {
  /** The package's name, or its folder when it has none. */
  packageName: string;
  /** The package.json field that names the module. */
  field: string;
}

const ENTRY_FIELDS = ['exports', 'types', 'typings', 'main', 'module'] as const;
/** Build folders that mirror a source folder: `dist/index.js` is emitted from `src/index.ts`. */
const BUILD_DIRS = ['dist', 'lib', 'build', 'out', 'esm', 'cjs'];

/** @param file repository-relative path of the module */
export function publicEntryOf(root: string | undefined, file: string): PublicEntry | null {
  if (!root) return null;
  for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
    const manifest = readJson(path.join(root, dir, 'package.json'));
    if (manifest) {
      const relative = path.posix.relative(dir === '.' ? '' : dir, file);
      const candidates = sourceStems(relative, readJson(path.join(root, dir, 'tsconfig.json')));
      for (const field of ENTRY_FIELDS) {
        for (const target of stringsIn(manifest[field])) {
          if (candidates.has(stem(target.replace(/^\.\//, '')))) return { packageName: typeof manifest.name === 'string' ? manifest.name : dir, field };
        }
      }
      return null;
    }
    if (dir === '.' || dir === '') return null;
  }
}

/** Every string in an `exports` map (conditions and subpaths), or the field's one string. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** A path without its extension (`.d.ts`, `.js`, `.ts`…), to compare an emitted file with its source. */
function stem(file: string): string {
  return file.replace(/\.d\.[cm]?ts$/, '').replace(/\.[cm]?[jt]sx?$/, '');
}

/** The names the module's emitted files could have, relative to its package. */
function sourceStems(relative: string, tsconfig: Record<string, unknown> | null): Set<string> {
  const own = stem(relative);
  const stems = new Set([own]);
  const options = (tsconfig?.compilerOptions ?? {}) as { outDir?: string; rootDir?: string };
  const rootDir = (options.rootDir ?? 'src').replace(/^\.\//, '').replace(/\/$/, '');
  if (own.startsWith(`${rootDir}/`)) {
    const inside = own.slice(rootDir.length + 1);
    const outDirs = options.outDir ? [options.outDir.replace(/^\.\//, '').replace(/\/$/, '')] : BUILD_DIRS;
    for (const outDir of outDirs) stems.add(`${outDir}/${inside}`);
    for (const outDir of BUILD_DIRS) stems.add(`${outDir}/${inside}`);
  }
  return stems;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

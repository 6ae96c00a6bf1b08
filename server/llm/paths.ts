/**
 * Which paths are never sent to an LLM: the team's `llm.excludePaths` plus files
 * that hold credentials or nothing worth reviewing by their nature.
 */
import picomatch from 'picomatch';

/** Always excluded: credential files, lockfiles, minified and generated output. */
export const BUILT_IN_EXCLUDES: readonly string[] = [
  '**/.env',
  '**/.env.*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/id_rsa*',
  '**/id_ed25519*',
  '**/.npmrc',
  '**/.netrc',
  '**/package-lock.json',
  '**/npm-shrinkwrap.json',
  '**/yarn.lock',
  '**/pnpm-lock.yaml',
  '**/*.min.js',
  '**/*.map',
];

/** A predicate over repository-relative paths (forward slashes); dotfiles match `*` too. */
export function excludedPaths(teamGlobs: readonly string[]): (path: string) => boolean {
  const matches = picomatch([...BUILT_IN_EXCLUDES, ...teamGlobs], { dot: true });
  return (path) => matches(path);
}

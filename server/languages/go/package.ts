/**
 * Go's unit of API is the package, and a package is a directory: its `.go` files
 * directly in it (not its subdirectories), `_test.go` files excepted, since tests
 * are compiled only with `go test` and no other package can import them. The
 * repository's root directory is `.` (an empty string would read as "none").
 */

export const isTestFile = (path: string): boolean => path.endsWith('_test.go');
const isGoFile = (path: string): boolean => path.endsWith('.go');

/** The directory of a path, `.` for the repository's root. */
export function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}

export const unitOf = directoryOf;

/** The `.go` files directly in `directory`, tests included or not. */
function goFilesIn(directory: string, paths: ReadonlySet<string>, withTests: boolean): string[] {
  const out: string[] = [];
  for (const path of paths) {
    if (isGoFile(path) && directoryOf(path) === directory && (withTests || !isTestFile(path))) out.push(path);
  }
  return out.sort();
}

export const filesOfUnit = (unit: string, paths: ReadonlySet<string>): string[] => goFilesIn(unit, paths, false);

export const importTargetsOf = (path: string): string[] => [directoryOf(path)];

/** The package's other files, tests included: they use its declarations without importing them. */
export const implicitDependentsOf = (path: string, paths: ReadonlySet<string>): string[] =>
  goFilesIn(directoryOf(path), paths, true).filter((other) => other !== path);

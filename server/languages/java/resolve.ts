/**
 * Java imports to workspace files. A qualified name `a.b.C` is `a/b/C.java` under
 * some source root; `a.b.C.Inner` is found at `a/b/C.java` by dropping segments
 * from the right; `a.b.*` is the package's directory. The source roots are
 * `src/main/java` and `src/test/java` of every Maven module and Gradle project (a
 * directory with a pom.xml or build.gradle, the `<module>`s of a pom, the
 * `include`s of settings.gradle), the `<sourceDirectory>`s of the poms, the
 * `srcDir`s of the Gradle files, and for files under none of them, the root their
 * own `package` line implies (`x/y/a/b/C.java` saying `package a.b;` is under `x/y`).
 * Anything else (the JDK, dependencies) resolves to null.
 */
import type { ModuleResolver, ProjectView } from '../model';

const BUILD_FILES = new Set(['pom.xml', 'build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts']);
const CONVENTIONAL = ['src/main/java', 'src/test/java'];

export function isJavaResolutionInput(path: string): boolean {
  return BUILD_FILES.has(basename(path));
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function join(dir: string, rest: string): string {
  const clean = rest.replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (clean === '' || clean === '.') return dir;
  return dir ? `${dir}/${clean}` : clean;
}

/** The directories the build files of the project name as modules or source roots. */
function declaredRoots(project: ProjectView): string[] {
  const roots = new Set<string>();
  const modules = new Set<string>(['']);
  for (const path of project.paths) {
    const name = basename(path);
    if (!BUILD_FILES.has(name)) continue;
    const dir = dirname(path);
    modules.add(dir);
    const text = project.readText(path);
    if (text === null) continue;
    if (name === 'pom.xml') {
      for (const m of text.matchAll(/<module>\s*([^<]+?)\s*<\/module>/g)) modules.add(join(dir, m[1]));
      for (const m of text.matchAll(/<(?:test)?[sS]ourceDirectory>\s*([^<]+?)\s*<\/(?:test)?[sS]ourceDirectory>/g)) {
        roots.add(join(dir, m[1].replace(/^\$\{(?:project\.)?basedir\}\/?/, '')));
      }
    } else if (name.startsWith('settings.gradle')) {
      for (const statement of text.matchAll(/\binclude\b\s*\(?([^\n)]*)/g)) {
        for (const m of statement[1].matchAll(/['"]:?([^'"]+)['"]/g)) modules.add(join(dir, m[1].replace(/:/g, '/')));
      }
    } else {
      for (const m of text.matchAll(/\bsrcDirs?\s*(?:\+?=)?\s*\(?\s*(?:files\s*\()?\s*\[?\s*((?:['"][^'"]+['"]\s*,?\s*)+)/g)) {
        for (const d of m[1].matchAll(/['"]([^'"]+)['"]/g)) roots.add(join(dir, d[1]));
      }
    }
  }
  for (const module of modules) for (const conventional of CONVENTIONAL) roots.add(join(module, conventional));
  return [...roots];
}

const PACKAGE = /^\s*package\s+([\w.$\s]+?)\s*;/m;

/** The package a file declares, from its text (comments before the package line are skipped). */
function packageOf(text: string): string | null {
  const code = text.slice(0, 20000).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ');
  const match = PACKAGE.exec(code);
  return match ? match[1].replace(/\s+/g, '') : null;
}

export function createJavaResolver(project: ProjectView): ModuleResolver {
  const javaFiles = new Set<string>();
  /** Each directory holding Java files, with one of them whose package line tells the directory's package. */
  const javaDirs = new Map<string, string>();
  for (const path of project.paths) {
    if (!path.endsWith('.java')) continue;
    javaFiles.add(path);
    const dir = dirname(path);
    const sample = javaDirs.get(dir);
    if (sample === undefined || /(?:package|module)-info\.java$/.test(sample)) javaDirs.set(dir, path);
  }
  const under = (path: string, root: string) => root === '' || path.startsWith(`${root}/`);
  const dirs = [...javaDirs.keys()];
  const roots = new Set(declaredRoots(project).filter((root) => dirs.some((d) => d === root || under(d, root))));
  // Files under no declared root: one file per directory tells its package, hence its root.
  const inferred = new Set<string>();
  for (const [dir, sample] of javaDirs) {
    if ([...roots].some((root) => under(`${dir}/x`, root))) continue;
    const text = project.readText(sample);
    if (text === null) continue;
    const pkg = packageOf(text);
    const pkgPath = pkg ? pkg.replace(/\./g, '/') : '';
    if (pkgPath === '') inferred.add(dir);
    else if (dir === pkgPath) inferred.add('');
    else if (dir.endsWith(`/${pkgPath}`)) inferred.add(dir.slice(0, dir.length - pkgPath.length - 1));
  }
  const allRoots = [...new Set([...roots, ...inferred])];

  // The importer's own module first: two modules may hold the same package.
  const ordered = (importer: string) =>
    [...allRoots].sort((a, b) => commonPrefix(importer, b) - commonPrefix(importer, a) || a.localeCompare(b));

  const findClass = (importer: string, segments: string[]): string | null => {
    for (const root of ordered(importer)) {
      for (let n = segments.length; n >= 1; n--) {
        const candidate = join(root, `${segments.slice(0, n).join('/')}.java`);
        if (javaFiles.has(candidate)) return candidate;
      }
    }
    return null;
  };

  return {
    resolve(importer: string, specifier: string): string | null {
      const spec = specifier.replace(/^static\s+/, '').replace(/\s+/g, '');
      if (spec === '') return null;
      if (spec.endsWith('.*')) {
        const segments = spec.slice(0, -2).split('.');
        for (const root of ordered(importer)) {
          const dir = join(root, segments.join('/'));
          if (javaDirs.has(dir)) return dir;
        }
        // `import a.b.C.*;` imports C's nested types: it names C's file.
        return findClass(importer, segments);
      }
      return findClass(importer, spec.split('.'));
    },
  };
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

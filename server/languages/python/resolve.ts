/**
 * Python import resolution inside the workspace. Absolute imports are looked up
 * under the package roots: the directories the build files name (pyproject.toml's
 * setuptools `package-dir` and `packages.find.where`, poetry's `packages = [{ from }]`,
 * hatch's wheel `packages`/`sources`; setup.cfg's `package_dir` and
 * `packages.find` `where`; setup.py's `package_dir`), a `src/` layout, the
 * directories holding build files, and the repository root. Relative imports go up
 * from the importer's package. Whatever is found nowhere in the workspace (the
 * standard library, third-party packages) resolves to null.
 */
import type { ModuleResolver, ProjectView } from '../model';

const BUILD_FILES = ['pyproject.toml', 'setup.cfg', 'setup.py'];

export function isResolutionInput(path: string): boolean {
  return BUILD_FILES.includes(path.split('/').pop() ?? '');
}

const dirname = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const join = (dir: string, rest: string) => [dir, rest].filter((p) => p !== '').join('/').replace(/\/+/g, '/').replace(/(^|\/)\.\//g, '$1').replace(/\/$/, '');

/**
 * The sections of a TOML file as `section -> key -> raw value` (multi-line arrays
 * joined). Enough for the handful of keys that name source directories; a full TOML
 * parser would be a dependency for four keys.
 */
function tomlSections(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  sections.set('', current);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^\s+/, '');
    const header = /^\[\[?([^\]]+)\]\]?\s*(#.*)?$/.exec(line);
    if (header) {
      const name = header[1].trim().replace(/\s*\.\s*/g, '.').replace(/"/g, '');
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      continue;
    }
    const pair = /^("?[\w.-]+"?)\s*=\s*(.*)$/.exec(line);
    if (!pair) continue;
    let value = pair[2];
    // A value whose brackets are not closed on its line goes on until they are.
    const depth = (s: string) => (s.match(/[[{]/g)?.length ?? 0) - (s.match(/[\]}]/g)?.length ?? 0);
    while (depth(value) > 0 && i + 1 < lines.length) value += ` ${lines[++i].replace(/#.*$/, '')}`;
    current.set(pair[1].replace(/"/g, ''), value.trim());
  }
  return sections;
}

const quoted = (text: string | undefined): string[] => [...(text ?? '').matchAll(/["']([^"']*)["']/g)].map((m) => m[1]);

/** The source directories a pyproject.toml names, relative to its directory. */
function pyprojectRoots(text: string): string[] {
  const sections = tomlSections(text);
  const roots: string[] = [];
  const setuptools = sections.get('tool.setuptools');
  // package-dir = {"" = "src"} maps the root package to src/; other entries name a package's own directory.
  const packageDir = setuptools?.get('package-dir');
  if (packageDir) {
    for (const m of packageDir.matchAll(/["']([^"']*)["']\s*=\s*["']([^"']*)["']/g)) roots.push(m[1] === '' ? m[2] : dirname(m[2]));
  }
  roots.push(...quoted(sections.get('tool.setuptools.packages.find')?.get('where')));
  const poetry = sections.get('tool.poetry')?.get('packages') ?? '';
  for (const m of poetry.matchAll(/\{([^}]*)\}/g)) {
    const from = /from\s*=\s*["']([^"']*)["']/.exec(m[1]);
    roots.push(from ? from[1] : '');
  }
  for (const [name, keys] of sections) {
    if (!name.startsWith('tool.hatch.build')) continue;
    for (const pkg of quoted(keys.get('packages'))) roots.push(dirname(pkg));
    const sources = keys.get('sources');
    if (sources?.trim().startsWith('[')) roots.push(...quoted(sources));
    else if (sources) for (const m of sources.matchAll(/["']([^"']*)["']\s*=\s*["']([^"']*)["']/g)) roots.push(m[1]);
  }
  return roots;
}

/** The source directories a setup.cfg names: `package_dir = =src` and `[options.packages.find] where = src`. */
function setupCfgRoots(text: string): string[] {
  const roots: string[] = [];
  let section = '';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[([^\]]+)\]/.exec(lines[i]);
    if (header) {
      section = header[1].trim();
      continue;
    }
    const pair = /^(\w+)\s*[=:]\s*(.*)$/.exec(lines[i]);
    if (!pair) continue;
    let value = pair[2];
    while (i + 1 < lines.length && /^\s+\S/.test(lines[i + 1])) value += `\n${lines[++i].trim()}`;
    if (section === 'options' && pair[1] === 'package_dir') {
      for (const entry of value.split('\n')) {
        const m = /^\s*([\w.]*)\s*=\s*(\S+)/.exec(entry);
        if (m) roots.push(m[1] === '' ? m[2] : dirname(m[2]));
      }
    }
    if (section === 'options.packages.find' && pair[1] === 'where') roots.push(...value.split('\n').map((v) => v.trim()).filter(Boolean));
  }
  return roots;
}

/** `package_dir={"": "src"}` in a setup.py. */
function setupPyRoots(text: string): string[] {
  const m = /package_dir\s*=\s*\{\s*["']{2}\s*:\s*["']([^"']+)["']/.exec(text);
  const where = /find_(?:namespace_)?packages\(\s*(?:where\s*=\s*)?["']([^"']+)["']/.exec(text);
  return [m?.[1], where?.[1]].filter((r): r is string => !!r);
}

/** Every package root of the workspace, most specific first. */
export function packageRoots(project: ProjectView): string[] {
  const roots: string[] = [];
  for (const path of project.paths) {
    const name = path.split('/').pop() ?? '';
    if (!BUILD_FILES.includes(name)) continue;
    const dir = dirname(path);
    const text = project.readText(path) ?? '';
    const named = name === 'pyproject.toml' ? pyprojectRoots(text) : name === 'setup.cfg' ? setupCfgRoots(text) : setupPyRoots(text);
    for (const root of named) roots.push(join(dir, root));
    roots.push(join(dir, 'src'), dir);
  }
  roots.push('src', '');
  const unique = [...new Set(roots)];
  // Deeper roots first: a module under `pkg/src/` is that project's, not the repository root's.
  return unique.sort((a, b) => b.split('/').length - a.split('/').length || b.length - a.length);
}

/** The module file (`m.py`, `m.pyi`, `m/__init__.py`, `m/__init__.pyi`) a dotted path names under `dir`, or null. */
function moduleFile(paths: ReadonlySet<string>, dir: string, dotted: string): string | null {
  const base = join(dir, dotted.split('.').filter(Boolean).join('/'));
  const candidates = base === dir ? [join(dir, '__init__.py'), join(dir, '__init__.pyi')] : [`${base}.py`, `${base}.pyi`, join(base, '__init__.py'), join(base, '__init__.pyi')];
  return candidates.find((c) => paths.has(c)) ?? null;
}

export function createResolver(project: ProjectView): ModuleResolver {
  const roots = packageRoots(project);
  return {
    resolve(importer: string, specifier: string): string | null {
      const dots = /^\.*/.exec(specifier)?.[0].length ?? 0;
      if (dots > 0) {
        // `.` is the importer's package; each further dot goes one package up.
        let dir = dirname(importer);
        for (let i = 1; i < dots; i++) {
          if (dir === '') return null;
          dir = dirname(dir);
        }
        return moduleFile(project.paths, dir, specifier.slice(dots));
      }
      if (specifier === '') return null;
      for (const root of roots) {
        const found = moduleFile(project.paths, root, specifier);
        if (found) return found;
      }
      return null;
    },
  };
}

/**
 * Go imports name packages by module path: `example.com/m/pkg/foo` is the directory
 * `pkg/foo` of the module `example.com/m`, wherever that module's go.mod sits in the
 * repository. Every go.mod declares one module; a go.work's `use` lines name module
 * directories too (their go.mod is usually among the paths already, but a go.work
 * may point at one the index does not list). The module with the longest matching
 * path owns an import, as in the go command (a nested module shadows its parent);
 * anything else (the standard library, dependencies) resolves to nothing.
 */
import type { ModuleResolver, ProjectView } from '../model';
import { directoryOf } from './package';

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export const isResolutionInput = (path: string): boolean => baseName(path) === 'go.mod' || baseName(path) === 'go.work';

/** The module path a go.mod declares (`module example.com/m`, quoted or not, comments aside). */
export function modulePathOf(goMod: string): string | null {
  const match = /^\s*module\s+("?)([^\s"/][^\s"]*)\1\s*(?:\/\/.*)?$/m.exec(goMod);
  return match ? match[2] : null;
}

/** The directories a go.work's `use` directives name, relative to the go.work's own. */
export function useDirectoriesOf(goWork: string): string[] {
  const text = goWork.replace(/\/\/.*$/gm, '');
  const out: string[] = [];
  for (const match of text.matchAll(/^\s*use\s*(?:\(([^)]*)\)|(\S+))/gm)) {
    const entries = match[1] !== undefined ? match[1].split(/\s+/) : [match[2]];
    for (const entry of entries) if (entry) out.push(entry.replace(/^"|"$/g, ''));
  }
  return out;
}

/** `a/b` joined with `./c/../d`, normalised; `.` for the root. */
function join(directory: string, relative: string): string {
  const parts = directory === '.' ? [] : directory.split('/');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

export function createResolver(project: ProjectView): ModuleResolver {
  const modules = new Map<string, string>(); // module directory -> module path
  const addModule = (directory: string) => {
    if (modules.has(directory)) return;
    const text = project.readText(directory === '.' ? 'go.mod' : `${directory}/go.mod`);
    const modulePath = text === null ? null : modulePathOf(text);
    if (modulePath) modules.set(directory, modulePath);
  };
  const packageDirectories = new Set<string>();
  for (const path of project.paths) {
    if (baseName(path) === 'go.mod') addModule(directoryOf(path));
    else if (path.endsWith('.go')) packageDirectories.add(directoryOf(path));
  }
  for (const path of project.paths) {
    if (baseName(path) !== 'go.work') continue;
    const text = project.readText(path);
    if (text !== null) for (const use of useDirectoriesOf(text)) addModule(join(directoryOf(path), use));
  }
  // Longest module path first: a nested module owns its subtree.
  const ordered = [...modules].map(([directory, modulePath]) => ({ directory, modulePath })).sort((a, b) => b.modulePath.length - a.modulePath.length);

  return {
    resolve(_importer, specifier) {
      const owner = ordered.find((m) => specifier === m.modulePath || specifier.startsWith(`${m.modulePath}/`));
      if (!owner) {
        // Go's own tree: its go.mod says `module std`, and its packages are imported by bare paths
        // (`strings`, `net/http`: no dot in the first element), as the go command resolves them there.
        if (specifier.split('/')[0].includes('.')) return null;
        for (const std of ordered.filter((m) => m.modulePath === 'std')) {
          const directory = join(std.directory, specifier);
          if (packageDirectories.has(directory)) return directory;
        }
        return null;
      }
      const rest = specifier.slice(owner.modulePath.length + 1);
      // Two checkouts of one module (a copy under testdata/, say): the one that has the package wins.
      for (const candidate of ordered.filter((m) => m.modulePath === owner.modulePath)) {
        const directory = join(candidate.directory, rest);
        if (packageDirectories.has(directory)) return directory;
      }
      return null;
    },
  };
}

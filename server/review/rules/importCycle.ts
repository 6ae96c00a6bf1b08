/**
 * `import-cycle`: an import that closes a cycle of modules the base did not have.
 * The work tree's graph (the index's) is compared with the base's (the same graph
 * with each changed file importing what its base text imported): a cycle is new
 * exactly when one of its edges is (graph/cycles.ts), so cycles already on the
 * base are never reported, however much the change touches their files.
 *
 * What counts as an edge: every import the index resolves to a workspace module
 * (static imports, re-exports, `require`, dynamic `import()`, Python, Go and Java
 * imports), except type-only ones (`import type`, `export type`): they vanish
 * when compiled, and no module waits for another at load time because of them.
 * A Go import names a package (a folder): the graph leads it to each of the
 * folder's files, so a cycle between packages is one between their files.
 */
import * as path from 'node:path';
import type { RelatedLocation } from '../../../shared/review';
import { baseGraphOf, extractImports } from '../../graph/baseGraph';
import { introducedCycles, nodesOnCycles, type Digraph, type IntroducedCycle } from '../../graph/cycles';
import type { ImportGraph } from '../../graph/importGraph';
import { columnsOfText } from '../columns';
import type { ChangedFile, RuleFinding, StaticRule, WorkspaceQueries } from '../rule';

export const importCycleRule: StaticRule = {
  id: 'import-cycle',
  description: 'An import that closes a cycle of modules that the base did not have (type-only imports excluded); cycles already on the base are not reported.',
  // Whether an import closes a cycle depends on the other files' imports, which a file's cached findings cannot know.
  wholeChange: true,
  async run({ files, allFiles, workspace }) {
    const graphs = workspace.importGraph;
    if (!graphs) return [];
    const change = allFiles ?? files;
    const current = graphs.current();
    const runtime = runtimeGraph(current);
    const findings: RuleFinding[] = [];
    if (mayCloseCycle(runtime, change)) findings.push(...(await introducedCycleFindings(change, files, current, runtime, graphs)));
    // The graph keeps no edge from a module to itself: a new self-import is looked for in its own text.
    for (const file of files) {
      if (!current.importsItself(file.path)) continue;
      const place = importPlace(file, file.path, graphs.resolverIncluding(file.path), false);
      if (!place || !file.added.has(place.line)) continue;
      const before = file.oldText !== null && file.diff.oldPath !== null ? { ...file, path: file.diff.oldPath, newText: file.oldText } : null;
      if (before && importPlace(before, before.path, graphs.resolverIncluding(before.path), false)) continue;
      findings.push(findingOf({ edge: { from: file.path, to: file.path }, cycle: [file.path] }, file, place, current));
    }
    return findings;
  },
};

type Graphs = NonNullable<WorkspaceQueries['importGraph']>;

/**
 * Whether the change can have made a cycle: the base's graph is the work tree's with
 * only the changed files' edges replaced (and the files the change added left out),
 * so every new edge starts or ends at a changed file, and a new cycle goes through
 * one. When no changed module is on a cycle of the work tree, there is none to
 * find, and the base texts are not parsed (most reviews; an all-cached one loads no compiler).
 */
function mayCloseCycle(current: Digraph, change: readonly ChangedFile[]): boolean {
  const onCycles = nodesOnCycles(current);
  return onCycles.size > 0 && change.some((file) => onCycles.has(file.path));
}

/** The cycles the change introduced, each said once, on the import that closes it. */
async function introducedCycleFindings(change: readonly ChangedFile[], files: readonly ChangedFile[], current: ImportGraph, runtime: Digraph, graphs: Graphs): Promise<RuleFinding[]> {
  const oldTexts = new Map(change.flatMap((file) => (file.diff.oldPath !== null && file.oldText !== null ? [[file.diff.oldPath, Buffer.from(file.oldText)] as const] : [])));
  // A changed file whose base text could not be read keeps its current imports: no cycle is blamed on it.
  const base = await baseGraphOf(current, change.filter((file) => file.diff.oldPath === null || oldTexts.has(file.diff.oldPath)).map((file) => file.diff), async () => oldTexts, graphs.resolverIncluding);
  const oldNameOf = new Map(change.flatMap((file) => (file.diff.oldPath && file.diff.newPath && file.diff.oldPath !== file.diff.newPath ? [[file.diff.newPath, file.diff.oldPath] as const] : [])));
  const introduced = introducedCycles(runtime, runtimeGraph(base), (node) => oldNameOf.get(node) ?? node);
  const byPath = new Map(files.map((file) => [file.path, file]));
  const findings: RuleFinding[] = [];
  // A package import leads to several files: one finding per import line, for the first cycle through it.
  const reportedLines = new Set<string>();
  for (const cycles of groupedByMembers(introduced).values()) {
    const located = cycles.flatMap((cycle) => {
      const file = byPath.get(cycle.edge.from);
      const place = file ? importPlace(file, cycle.edge.to, graphs.resolverIncluding(file.path)) : null;
      return file && place ? [{ cycle, file, place }] : [];
    });
    // Said once per cycle, on the first new import of it that the change added a line for.
    const chosen = located.find(({ file, place }) => file.added.has(place.line)) ?? located[0];
    if (!chosen || reportedLines.has(`${chosen.file.path}:${chosen.place.line}`)) continue;
    reportedLines.add(`${chosen.file.path}:${chosen.place.line}`);
    findings.push(findingOf(chosen.cycle, chosen.file, chosen.place, current));
  }
  return findings;
}

/** The import edges that exist at run time (the graph already leads a package's import to each of its files). */
function runtimeGraph(graph: ImportGraph): Digraph {
  const nodes = graph.files();
  return { nodes: () => nodes, successors: (node) => graph.importsOf(node).filter((edge) => !edge.typeOnly).map((edge) => edge.to) };
}

function groupedByMembers(cycles: readonly IntroducedCycle[]): Map<string, IntroducedCycle[]> {
  const groups = new Map<string, IntroducedCycle[]>();
  for (const cycle of cycles) {
    const key = [...cycle.cycle].sort().join('\u0000');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(cycle);
  }
  return groups;
}

interface ImportPlace {
  line: number;
  columns?: { column: number; endColumn: number };
}

/** The line (and the specifier's columns) of `file`'s first value import that resolves to `target` (a package's folder for Go and Java). */
function importPlace(file: ChangedFile, target: string, resolve: (importer: string, specifier: string) => string | null, orItsFolder = true): ImportPlace | null {
  if (file.newText === null) return null;
  const lines = file.newText.split('\n');
  for (const imported of extractImports(file.path, file.newText) ?? []) {
    if (imported.typeOnly) continue;
    const resolved = resolve(file.path, imported.specifier);
    // A package import resolves to its folder, and leads to each file of it.
    if (resolved !== target && !(orItsFolder && resolved === path.posix.dirname(target))) continue;
    const lineText = (lines[imported.line - 1] ?? '').replace(/\r$/, '');
    return { line: imported.line, columns: specifierColumns(lineText, imported.specifier) };
  }
  return null;
}

/** The specifier as written on its line: quoted (JavaScript, Go), else bare (Python, Java). */
function specifierColumns(lineText: string, specifier: string): { column: number; endColumn: number } | undefined {
  for (const quote of ['\'', '"', '`']) {
    const quoted = columnsOfText(lineText, `${quote}${specifier}${quote}`);
    if (quoted) return { column: quoted.column + 1, endColumn: quoted.endColumn - 1 };
  }
  return columnsOfText(lineText, specifier);
}

function findingOf(introduced: IntroducedCycle, file: ChangedFile, place: ImportPlace, current: ImportGraph): RuleFinding {
  const { cycle } = introduced;
  const shown = cycle.length === 1 ? `\`${cycle[0]}\` imports itself` : `${[...cycle, cycle[0]].map((node) => `\`${node}\``).join(' → ')}`;
  return {
    ruleId: 'import-cycle',
    severity: 'warning',
    file: file.path,
    line: place.line,
    endLine: place.line,
    ...(place.columns ?? {}),
    message: cycle.length === 1 ? `This import makes a module import itself: ${shown}.` : `This import closes an import cycle: ${shown}.`,
    suggestion: 'Move what the modules of the cycle share into one that none of them imports, or make an import type-only where only its types are used.',
    related: cycleSteps(cycle, current),
    // The cycle, not the line: the same modules round keep the finding's id however the imports move.
    fingerprint: [...cycle].sort().join('\u0000'),
  };
}

/** Each import of the cycle after the one the finding is on, on its own line. */
function cycleSteps(cycle: readonly string[], current: ImportGraph): RelatedLocation[] {
  const steps: RelatedLocation[] = [];
  for (let i = 1; i < cycle.length; i++) {
    const from = cycle[i];
    const to = cycle[(i + 1) % cycle.length];
    const edge = current.importsOf(from).find((candidate) => candidate.to === to);
    if (edge) steps.push({ file: from, line: edge.line, message: `imports \`${edge.to}\`` });
  }
  return steps;
}

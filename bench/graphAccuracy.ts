/**
 * Is the index's import graph right? Measured against established analysers'
 * graphs of the same real code, code nobody here wrote: dependency-cruiser for
 * TypeScript and JavaScript (code bases from node_modules), Python's own `ast`
 * for a standard-library package, and `go list` for Go's standard library.
 * Each code base is copied into a temporary git repository and indexed by the
 * real indexer; our edges (importer → resolved file) are read from its database.
 * Agreement is |ours ∩ theirs| / |ours ∪ theirs|, and every edge only one side
 * has is put in a class of known, explained difference (docs/graph-accuracy.md)
 * or left "unexplained". Run alone with `npm run bench graph-accuracy`;
 * `--differences` lists every differing edge.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ICruiseResult } from 'dependency-cruiser';
import { GitRepository } from '../server/git/repository';
import { WorkspaceIndexer } from '../server/index/indexer';
import { openDatabase } from '../server/store/database';
import { IndexStore } from '../server/store/indexStore';
import { cleanupRepos, commitAll, makeRepo } from '../test/helpers/gitRepo';

/** A real code base to measure on: a folder copied as the root of a new repository. */
export interface CodeBase {
  name: string;
  /** Absolute folder copied into the repository. */
  source: string;
  reference: 'dependency-cruiser' | 'python-ast' | 'go-list';
  /** Files (relative to `source`, by regular expression) left out of the copy. */
  skip?: RegExp;
  /** The folder of the repository the copy goes into (a Python package keeps its name); the root by default. */
  into?: string;
  /** For `go-list`: the package pattern, listed from `source` (which is then GOROOT/src). */
  goPackages?: string;
}

/** Why an edge is in one graph and not the other. */
export type DifferenceClass =
  | 'type-only import'
  | 'export * from'
  | 'dynamic import()'
  | 'require in JS'
  | '.d.ts vs .js'
  | 'index file'
  | 'package self-reference'
  | 'JSON module'
  | 'subpath import (#…)'
  | 'import("…") type'
  | 'Go build constraints'
  | 'unexplained';

export interface EdgeDifference {
  from: string;
  to: string;
  side: 'ours only' | 'theirs only';
  /** The specifier(s) that made the edge, on the side that has it. */
  specifiers: string[];
  /** What the other side resolved the same specifier to, when it did. */
  otherResolved: string | null;
  differenceClass: DifferenceClass;
}

export interface AccuracyReport {
  name: string;
  reference: CodeBase['reference'];
  files: number;
  ours: number;
  theirs: number;
  both: number;
  agreement: number;
  /**
   * The same with a declaration file and its implementation beside it (x.d.ts and
   * x.js, x.d.mts and x.mjs) taken as one module: published packages ship both, and
   * the two analysers pick a different one of the pair (docs/graph-accuracy.md).
   */
  agreementByModule: number;
  /** Edges agreeing, and in either graph, counted by module. */
  bothByModule: number;
  unionByModule: number;
  differences: EdgeDifference[];
  byClass: Map<DifferenceClass, number>;
  indexMs: number;
  referenceMs: number;
}

/** What one import statement made of an edge, on either side. */
interface EdgeFact {
  specifier: string;
  /** Our kinds (import, reexport, export-all, dynamic, require) or their dependency types. */
  kinds: string[];
  typeOnly: boolean;
  /** The importing file (for Go, whose edges are between packages). */
  importer: string;
}

/** Edges keyed `from\0to`, with what made each. */
type Graph = Map<string, EdgeFact[]>;

/** The code bases `npm run bench graph-accuracy` measures, all already on this machine. */
export function defaultCodeBases(projectRoot: string): CodeBase[] {
  const modules = path.join(projectRoot, 'node_modules');
  const bases: CodeBase[] = [
    { name: 'zod/src (TypeScript, ESM .js specifiers)', source: path.join(modules, 'zod/src'), reference: 'dependency-cruiser' },
    { name: 'openai/src (TypeScript)', source: path.join(modules, 'openai/src'), reference: 'dependency-cruiser' },
    { name: 'simple-git/dist/src (declaration files)', source: path.join(modules, 'simple-git/dist/src'), reference: 'dependency-cruiser' },
    { name: '@octokit/*/dist-src (JavaScript ESM)', source: path.join(modules, '@octokit'), reference: 'dependency-cruiser', skip: /(^|\/)dist-(node|web|types|bundle)\/|(^|\/)node_modules\// },
  ];
  bases.push({ name: 'cytoscape/src (JavaScript ESM, folder index files)', source: path.join(modules, 'cytoscape/src'), reference: 'dependency-cruiser' });
  bases.push({ name: '@azure/msal-common/src (TypeScript)', source: path.join(modules, '@azure/msal-common/src'), reference: 'dependency-cruiser' });
  // Its own package.json maps `#*` to `./src/*` (subpath imports), which its source uses throughout.
  bases.push({ name: 'dependency-cruiser (JavaScript .mjs, package.json imports)', source: path.join(modules, 'dependency-cruiser'), reference: 'dependency-cruiser', skip: /^(node_modules|types)(\/|$)/ });
  // As published: x.js (CommonJS), x.mjs, x.d.ts and x.d.mts side by side, the TypeScript sources left out.
  bases.push({ name: 'openai (published .js/.mjs/.d.ts)', source: path.join(modules, 'openai'), reference: 'dependency-cruiser', skip: /^(src|node_modules)(\/|$)|\.map$/ });
  bases.push({ name: 'semver (JavaScript CommonJS)', source: path.join(modules, 'semver'), reference: 'dependency-cruiser' });
  for (const name of ['email', 'json', 'importlib']) {
    const python = pythonPackageDir(name);
    if (python) bases.push({ name: `python stdlib ${name} (Python)`, source: python, into: name, reference: 'python-ast', skip: /(^|\/)__pycache__(\/|$)/ });
  }
  const goRoot = goSourceRoot();
  // Go's own tree (`module std`): its go.mod and the go/... packages, testdata aside (the go command ignores it).
  if (goRoot) bases.push({ name: 'go stdlib go/... (Go)', source: goRoot, reference: 'go-list', goPackages: './go/...', skip: /^(?!go\.mod$|go(\/|$))|(^|\/)testdata(\/|$)/ });
  return bases;
}

/** Indexes `base` in a new repository and compares our graph with the reference's. */
export async function measureGraphAccuracy(base: CodeBase): Promise<AccuracyReport> {
  const repo = copyIntoRepository(base);
  const indexStart = performance.now();
  const ours = await indexedGraph(repo);
  const indexMs = performance.now() - indexStart;
  const referenceStart = performance.now();
  const theirs = await referenceGraph(base, repo);
  const referenceMs = performance.now() - referenceStart;
  const files = git(repo, 'ls-files').split('\n').filter(Boolean).length;
  return { ...compareGraphs(repo, ours, theirs), name: base.name, reference: base.reference, files, indexMs, referenceMs };
}

function copyIntoRepository(base: CodeBase): string {
  const repo = makeRepo();
  fs.cpSync(base.source, path.join(repo, base.into ?? ''), {
    recursive: true,
    dereference: true,
    filter: (file) => {
      const relative = path.relative(base.source, file).split(path.sep).join('/');
      return relative === '' || !base.skip?.test(relative);
    },
  });
  // A copied .gitignore (zod's) or nested .git could hide files from the index but not from the reference.
  for (const hidden of ['.gitignore', '.git/info/exclude']) fs.rmSync(path.join(repo, hidden), { force: true });
  commitAll(repo, 'the code base as published');
  return repo;
}

async function indexedGraph(repo: string): Promise<Graph> {
  const db = openDatabase(path.join(repo, '.git', 'diffwise-accuracy.db'));
  try {
    const store = new IndexStore(db);
    await new WorkspaceIndexer({ root: repo, store, git: await GitRepository.open(repo) }).indexWorkspace();
    const rows = db.prepare(
      `SELECT files.path AS importer, imports.resolved_path AS resolved, imports.specifier AS specifier, imports.kind AS kind, imports.type_only AS typeOnly
       FROM imports JOIN files ON files.id = imports.file_id WHERE imports.resolved_path IS NOT NULL`,
    ).all() as Array<{ importer: string; resolved: string; specifier: string; kind: string; typeOnly: number }>;
    const graph: Graph = new Map();
    for (const row of rows) {
      if (row.importer === row.resolved) continue;
      // Go imports resolve to a package's folder: the edge is the importer's folder's.
      const from = row.importer.endsWith('.go') ? dirOf(row.importer) : row.importer;
      if (from === row.resolved) continue;
      addFact(graph, from, row.resolved, { specifier: row.specifier, kinds: [row.kind], typeOnly: row.typeOnly === 1, importer: row.importer });
    }
    return graph;
  } finally {
    db.close();
  }
}

async function referenceGraph(base: CodeBase, repo: string): Promise<Graph> {
  if (base.reference === 'dependency-cruiser') return dependencyCruiserGraph(repo);
  if (base.reference === 'python-ast') return pythonAstGraph(repo);
  return goListGraph(base, repo);
}

/** Their graph: every module dependency-cruiser finds from the repository's root, local files only. */
async function dependencyCruiserGraph(repo: string): Promise<Graph> {
  const { cruise } = await import('dependency-cruiser');
  const tsConfig = fs.existsSync(path.join(repo, 'tsconfig.json')) ? { fileName: path.join(repo, 'tsconfig.json') } : undefined;
  const result = await cruise(['.'], {
    baseDir: repo,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.git)/' },
    // Type-only imports are edges of the index's graph too.
    tsPreCompilationDeps: true,
    ...(tsConfig ? { tsConfig } : {}),
    outputType: 'json',
  });
  const output = (typeof result.output === 'string' ? JSON.parse(result.output) : result.output) as ICruiseResult;
  const graph: Graph = new Map();
  for (const module of output.modules) {
    const from = normalise(module.source);
    for (const dependency of module.dependencies) {
      if (dependency.couldNotResolve || dependency.coreModule) continue;
      const to = normalise(dependency.resolved);
      if (!isLocal(repo, to) || to === from) continue;
      const types: string[] = dependency.dependencyTypes;
      addFact(graph, from, to, { specifier: dependency.module, kinds: types, typeOnly: types.includes('type-only'), importer: from });
    }
  }
  return graph;
}

/** The Python reference: bench/pythonImports.py, the standard library's own `ast`, resolving within the package. */
function pythonAstGraph(repo: string): Graph {
  const script = path.join(__dirname, 'pythonImports.py');
  const output = execFileSync('python3', [script, repo], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const graph: Graph = new Map();
  for (const line of output.split('\n').filter(Boolean)) {
    const [from, to, specifier] = line.split('\t');
    addFact(graph, from, to, { specifier, kinds: ['import'], typeOnly: false, importer: from });
  }
  return graph;
}

/**
 * The Go reference: `go list -json` of every package in the copy, each
 * package's Imports that are packages of the copy. Go imports name packages
 * (folders), the index resolves an import to one file of the folder; so both
 * sides are compared at package level: folder → folder.
 */
function goListGraph(base: CodeBase, repo: string): Graph {
  // Tests' imports count too: the index reads every _test.go file.
  const format = '{{.ImportPath}}{{range .Imports}} {{.}}{{end}}{{range .TestImports}} {{.}}{{end}}{{range .XTestImports}} {{.}}{{end}}';
  const output = execFileSync('go', ['list', '-e', '-f', format, base.goPackages ?? './...'], { cwd: base.source, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const graph: Graph = new Map();
  for (const line of output.split('\n').filter(Boolean)) {
    const [from, ...imports] = line.split(' ');
    for (const to of imports) {
      if (to === from || !fs.existsSync(path.join(repo, to))) continue;
      addFact(graph, from, to, { specifier: to, kinds: ['import'], typeOnly: false, importer: from });
    }
  }
  return graph;
}

function compareGraphs(repo: string, ours: Graph, theirs: Graph): Omit<AccuracyReport, 'name' | 'reference' | 'files' | 'indexMs' | 'referenceMs'> {
  let both = 0;
  const differences: EdgeDifference[] = [];
  const ourResolution = resolutionsBySpecifier(ours);
  const theirResolution = resolutionsBySpecifier(theirs);
  for (const [key, facts] of ours) {
    if (theirs.has(key)) both++;
    else differences.push(classify(repo, key, facts, 'ours only', theirResolution));
  }
  for (const [key, facts] of theirs) {
    if (!ours.has(key)) differences.push(classify(repo, key, facts, 'theirs only', ourResolution));
  }
  const union = ours.size + theirs.size - both;
  const byClass = new Map<DifferenceClass, number>();
  for (const difference of differences) byClass.set(difference.differenceClass, (byClass.get(difference.differenceClass) ?? 0) + 1);
  const oursByModule = byModule(repo, ours);
  const theirsByModule = byModule(repo, theirs);
  const bothByModule = [...oursByModule].filter((key) => theirsByModule.has(key)).length;
  const unionByModule = oursByModule.size + theirsByModule.size - bothByModule;
  return {
    ours: ours.size, theirs: theirs.size, both, agreement: union === 0 ? 1 : both / union,
    agreementByModule: unionByModule === 0 ? 1 : bothByModule / unionByModule, bothByModule, unionByModule, differences, byClass,
  };
}

/** The graph's edges with each declaration file replaced by the implementation beside it, self-edges dropped. */
function byModule(repo: string, graph: Graph): Set<string> {
  const implementation = (file: string) => {
    const sibling = file.replace(/\.d\.([cm]?)ts$/, '.$1js');
    return sibling !== file && fs.existsSync(path.join(repo, sibling)) ? sibling : file;
  };
  const edges = new Set<string>();
  for (const key of graph.keys()) {
    const [from, to] = key.split('\0').map(implementation);
    if (from !== to) edges.add(`${from}\0${to}`);
  }
  return edges;
}

/** `from\0specifier` → what that side resolved it to. */
function resolutionsBySpecifier(graph: Graph): Map<string, string> {
  const resolved = new Map<string, string>();
  for (const [key, facts] of graph) {
    const [from, to] = key.split('\0');
    for (const fact of facts) resolved.set(`${from}\0${fact.specifier}`, to);
  }
  return resolved;
}

function classify(repo: string, key: string, facts: EdgeFact[], side: EdgeDifference['side'], otherResolution: Map<string, string>): EdgeDifference {
  const [from, to] = key.split('\0');
  const specifiers = [...new Set(facts.map((fact) => fact.specifier))];
  const otherResolved = specifiers.map((specifier) => otherResolution.get(`${from}\0${specifier}`)).find((value) => value !== undefined) ?? null;
  return { from, to, side, specifiers, otherResolved, differenceClass: differenceClass(repo, from, to, facts, otherResolved) };
}

function differenceClass(repo: string, from: string, to: string, facts: EdgeFact[], otherResolved: string | null): DifferenceClass {
  if (facts.every((fact) => fact.importer.endsWith('.go') && hasBuildConstraint(path.join(repo, fact.importer)))) return 'Go build constraints';
  // A declaration file importing its own implementation (`import * as API from './batches.js'` in batches.d.ts): a self-edge for TypeScript.
  if (stripDeclaration(from) === stripDeclaration(to)) return '.d.ts vs .js';
  if (otherResolved !== null) {
    if (stripDeclaration(otherResolved) === stripDeclaration(to)) return '.d.ts vs .js';
    if (/(^|\/)index\.[cm]?[jt]sx?$/.test(otherResolved) || /(^|\/)index\.[cm]?[jt]sx?$/.test(to)) return 'index file';
    return 'unexplained';
  }
  const kinds = new Set(facts.flatMap((fact) => fact.kinds));
  if (kinds.has('type-import')) return 'import("…") type';
  if (to.endsWith('.json')) return 'JSON module';
  if (facts.every((fact) => fact.specifier.startsWith('#'))) return 'subpath import (#…)';
  if (facts.every((fact) => fact.typeOnly)) return 'type-only import';
  if (facts.every((fact) => !isRelativeSpecifier(fact.specifier))) return 'package self-reference';
  if (kinds.has('dynamic') || kinds.has('dynamic-import')) return 'dynamic import()';
  if (kinds.has('require') && /\.[cm]?js$/.test(from)) return 'require in JS';
  if (kinds.has('export-all')) return 'export * from';
  return 'unexplained';
}

/** `//go:build` (or the older `// +build`) before the package clause: the go command may leave the file out on this machine. */
function hasBuildConstraint(file: string): boolean {
  const text = fs.readFileSync(file, 'utf8');
  const header = text.slice(0, Math.max(0, text.search(/^package\s/m)));
  return /^\/\/(go:build|\s*\+build)\s/m.test(header);
}

function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

function stripDeclaration(file: string): string {
  return file.replace(/\.d\.[cm]?ts$|\.[cm]?[jt]sx?$/, '');
}

function isRelativeSpecifier(specifier: string): boolean {
  return specifier.startsWith('.');
}

function addFact(graph: Graph, from: string, to: string, fact: EdgeFact): void {
  const key = `${from}\0${to}`;
  const facts = graph.get(key);
  if (facts) facts.push(fact);
  else graph.set(key, [fact]);
}

function normalise(file: string): string {
  return file.split(path.sep).join('/').replace(/^\.\//, '');
}

function isLocal(repo: string, file: string): boolean {
  return !file.startsWith('../') && !path.isAbsolute(file) && !/(^|\/)node_modules\//.test(file) && fs.existsSync(path.join(repo, file));
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function pythonPackageDir(name: string): string | null {
  try {
    return execFileSync('python3', ['-c', `import os, ${name}; print(os.path.dirname(${name}.__file__))`], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function goSourceRoot(): string | null {
  try {
    const root = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    return fs.existsSync(path.join(root, 'src')) ? path.join(root, 'src') : null;
  } catch {
    return null;
  }
}

/** The bench's table: one line per code base, then the differences by class. */
export async function graphAccuracyBench(projectRoot: string, args: string[] = []): Promise<AccuracyReport[]> {
  const reports: AccuracyReport[] = [];
  try {
    for (const base of defaultCodeBases(projectRoot)) {
      const report = await measureGraphAccuracy(base);
      reports.push(report);
      printReport(report, args.includes('--differences'));
    }
  } finally {
    cleanupRepos();
  }
  printTotals(reports);
  return reports;
}

/** Every code base's edges pooled (by module), and the same without the one class that is a gap of our resolver. */
function printTotals(reports: AccuracyReport[]): void {
  const pooled = (skip?: DifferenceClass) => {
    let both = 0;
    let union = 0;
    for (const report of reports) {
      both += report.bothByModule;
      union += report.unionByModule - (skip ? (report.byClass.get(skip) ?? 0) : 0);
    }
    return `${both} of ${union} edges agree: ${((both / Math.max(1, union)) * 100).toFixed(2)}%`;
  };
  console.log(`All ${reports.length} code bases, by module: ${pooled()}`);
}

function printReport(report: AccuracyReport, listDifferences: boolean): void {
  const percent = (report.agreement * 100).toFixed(2);
  console.log(`${report.name}: ${report.files} files, ours ${report.ours} edges, ${report.reference} ${report.theirs}, both ${report.both}: agreement ${percent}%, by module ${(report.agreementByModule * 100).toFixed(2)}%  (index ${report.indexMs.toFixed(0)} ms, reference ${report.referenceMs.toFixed(0)} ms)`);
  for (const [differenceClass, count] of report.byClass) console.log(`    ${differenceClass.padEnd(24)} ${count}`);
  if (!listDifferences) return;
  for (const d of report.differences) {
    console.log(`      [${d.differenceClass}] ${d.side}: ${d.from} -> ${d.to}  (${d.specifiers.join(', ')}; other side: ${d.otherResolved ?? 'nothing'})`);
  }
}

if (require.main === module) {
  void graphAccuracyBench(path.resolve(__dirname, '..'), process.argv.slice(2));
}

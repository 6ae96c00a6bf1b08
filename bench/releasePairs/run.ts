/**
 * False alarms of the breaking-change check on real npm release pairs: for each
 * pair of pairs.json (consecutive patch or minor releases, laid out by fetch.sh
 * under /tmp/release-pairs/<package>/{old,new}), the declaration files that
 * differ are compared with `compareModules`, rooted at the new package folder,
 * and every reported break is printed. A promise of no break makes each one a
 * suspect to judge by hand.
 *
 * Downloads nothing: run `bash bench/releasePairs/fetch.sh` first.
 *
 *   node --import tsx bench/releasePairs/run.ts [package ...] [--in-process]
 *
 * Each pair runs in a process of its own (heap RELEASE_PAIRS_HEAP_MB, default 4096;
 * timeout RELEASE_PAIRS_TIMEOUT_S, default 900), so that one that runs out of
 * memory is reported as such; --in-process runs them all in this process.
 *   DIFFWISE_COMPARE_MODULES=/tmp/candidate/moduleComparison.ts node --import tsx bench/releasePairs/run.ts
 *
 * Writes /tmp/release-pairs/results.json (or $RELEASE_PAIRS_DIR/results.json).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as product from '../../server/review/compatibility/moduleComparison';
import type { ModuleComparison, ModuleToCompare } from '../../server/review/compatibility/moduleComparison';

/** `DIFFWISE_COMPARE_MODULES=/path/to/moduleComparison.ts` measures another build of `compareModules` (a candidate fix) on the same pairs. */
let compareModules: typeof product.compareModules = product.compareModules;

interface Pair {
  package: string;
  old: string;
  new: string;
}

interface PairResult extends Pair {
  folder: string;
  changedDeclarationFiles: number;
  addedDeclarationFiles: string[];
  removedDeclarationFiles: string[];
  ms: number | null;
  /** Peak resident memory of the process that ran the pair (its own process unless --in-process). */
  maxRssMb: number | null;
  error: { message: string; stack: string } | null;
  notCompared: Array<{ path: string; reason: string }>;
  breaks: Array<{ module: string; export: string; removed: boolean; uses: ModuleComparison['breaks'][number]['uses'] }>;
}

const OUT = process.env.RELEASE_PAIRS_DIR ?? '/tmp/release-pairs';
const DECLARATION = /\.d\.[cm]?ts$/;
const CHILD_PREFIX = '@@pair-result ';
/** Heap of each pair's process (RELEASE_PAIRS_HEAP_MB): the default is about what a Node server gets by default. */
const HEAP_MB = Number(process.env.RELEASE_PAIRS_HEAP_MB ?? 4096);
const PAIR_TIMEOUT_MS = Number(process.env.RELEASE_PAIRS_TIMEOUT_S ?? 900) * 1000;

/** Package-relative paths of the declaration files under `dir`, leaving its node_modules out. */
function declarationFiles(dir: string): Set<string> {
  const files = new Set<string>();
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(child);
      } else if (entry.isFile() && DECLARATION.test(entry.name)) {
        files.add(child);
      }
    }
  };
  walk('');
  return files;
}

function runPair(pair: Pair): PairResult {
  const folder = path.join(OUT, pair.package.replace(/\//g, '+'));
  const oldDir = path.join(folder, 'old');
  const newDir = path.join(folder, 'new');
  const result: PairResult = { ...pair, folder, changedDeclarationFiles: 0, addedDeclarationFiles: [], removedDeclarationFiles: [], ms: null, maxRssMb: null, error: null, notCompared: [], breaks: [] };
  if (!fs.existsSync(oldDir) || !fs.existsSync(newDir)) {
    result.error = { message: `${folder} is not laid out: run bench/releasePairs/fetch.sh`, stack: '' };
    return result;
  }
  const oldFiles = declarationFiles(oldDir);
  const newFiles = declarationFiles(newDir);
  const modules: ModuleToCompare[] = [];
  for (const file of [...newFiles].sort()) {
    if (!oldFiles.has(file)) {
      result.addedDeclarationFiles.push(file);
      continue;
    }
    const oldText = fs.readFileSync(path.join(oldDir, file), 'utf8');
    const newText = fs.readFileSync(path.join(newDir, file), 'utf8');
    if (oldText !== newText) modules.push({ path: file, oldPath: file, oldText, newText });
  }
  result.removedDeclarationFiles = [...oldFiles].filter((file) => !newFiles.has(file)).sort();
  result.changedDeclarationFiles = modules.length;
  const started = performance.now();
  try {
    const comparisons = compareModules({ root: newDir, modules, reviewed: new Map(), importersOf: () => [] });
    for (const comparison of comparisons) {
      if (comparison.notCompared) result.notCompared.push({ path: comparison.path, reason: comparison.notCompared });
      for (const broken of comparison.breaks) result.breaks.push({ module: comparison.path, export: broken.name, removed: broken.removed, uses: broken.uses });
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    result.error = { message: e.message, stack: e.stack ?? '' };
  }
  result.ms = Math.round(performance.now() - started);
  result.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  return result;
}

function report(result: PairResult): void {
  console.log(`\n== ${result.package} ${result.old} -> ${result.new}: ${result.changedDeclarationFiles} changed declaration file(s)` +
    `${result.addedDeclarationFiles.length ? `, ${result.addedDeclarationFiles.length} added` : ''}${result.removedDeclarationFiles.length ? `, ${result.removedDeclarationFiles.length} removed` : ''}, ${result.ms ?? '-'} ms, peak RSS ${result.maxRssMb ?? '-'} MB, ${result.breaks.length} break(s)`);
  for (const file of result.removedDeclarationFiles) console.log(`   removed file: ${file}`);
  for (const skipped of result.notCompared) console.log(`   not compared: ${skipped.path}: ${skipped.reason}`);
  if (result.error) console.log(`   ERROR: ${result.error.stack || result.error.message}`);
  for (const broken of result.breaks) {
    const [first] = broken.uses;
    console.log(`   BREAK ${broken.module} :: ${broken.export}${broken.removed ? ' (removed)' : ''} [${broken.uses.length} use(s)]`);
    if (first) console.log(`      ${first.use}: ${first.describe}\n      -> ${first.diagnostic || '(no diagnostic)'}${first.code ? ` [TS${first.code}]` : ''}`);
  }
}

/** The pair run in a child process of its own: a comparison that runs out of memory or stack costs that pair only. */
function runIsolated(pair: Pair): PairResult {
  const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', fileURLToPath(import.meta.url), '--child', pair.package], {
    encoding: 'utf8', env: process.env, maxBuffer: 256 * 1024 * 1024, timeout: PAIR_TIMEOUT_MS,
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith(CHILD_PREFIX));
  if (line) return JSON.parse(line.slice(CHILD_PREFIX.length)) as PairResult;
  const folder = path.join(OUT, pair.package.replace(/\//g, '+'));
  const why = child.error ? child.error.message : child.signal ? `killed by ${child.signal}` : `exit ${child.status}`;
  const tail = `${child.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
  return { ...pair, folder, changedDeclarationFiles: -1, addedDeclarationFiles: [], removedDeclarationFiles: [], ms: null, maxRssMb: null, error: { message: `the comparison process died (${why})`, stack: tail }, notCompared: [], breaks: [] };
}

async function loadImplementation(): Promise<string | undefined> {
  const alternative = process.env.DIFFWISE_COMPARE_MODULES;
  if (alternative) compareModules = ((await import(path.resolve(alternative))) as typeof product).compareModules;
  // Parse the standard library once, as a running server has: what is timed is the comparison.
  compareModules({ root: undefined, modules: [{ path: 'warm.ts', oldPath: 'warm.ts', oldText: 'export const a = 1;', newText: 'export const a = 2;' }], reviewed: new Map(), importersOf: () => [] });
  return alternative;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const pairs = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'pairs.json'), 'utf8')) as Pair[];
  if (args[0] === '--child') {
    await loadImplementation();
    const pair = pairs.find((p) => p.package === args[1]);
    if (!pair) throw new Error(`no pair for ${args[1]}`);
    console.log(`${CHILD_PREFIX}${JSON.stringify(runPair(pair))}`);
    return;
  }
  const inProcess = args.includes('--in-process');
  const only = args.filter((a) => !a.startsWith('--'));
  const selected = pairs.filter((pair) => !only.length || only.includes(pair.package));
  const alternative = inProcess ? await loadImplementation() : process.env.DIFFWISE_COMPARE_MODULES;
  console.log(`compareModules from ${alternative ?? 'server/review/compatibility/moduleComparison.ts'}${inProcess ? ', all pairs in this process' : `, each pair in a process of its own (heap ${HEAP_MB} MB)`}`);
  const results: PairResult[] = [];
  for (const pair of selected) {
    const result = inProcess ? runPair(pair) : runIsolated(pair);
    results.push(result);
    report(result);
  }
  const times = results.map((r) => r.ms).filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
  const median = times.length ? (times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2) : 0;
  const breaks = results.reduce((sum, r) => sum + r.breaks.length, 0);
  console.log(`\n${results.length} pair(s), ${breaks} reported break(s), ${results.filter((r) => r.error).length} error(s), median ${median} ms (of ${times.length} timed), max ${times.at(-1) ?? 0} ms`);
  fs.mkdirSync(OUT, { recursive: true });
  const tag = process.env.RESULTS_TAG ? `.${process.env.RESULTS_TAG}` : '';
  const file = path.join(OUT, only.length ? `results${tag}.${only.map((p) => p.replace(/\//g, '+')).join(',')}.json` : `results${tag}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ implementation: alternative ?? 'server/review/compatibility/moduleComparison.ts', medianMs: median, reportedBreaks: breaks, pairs: results }, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

void main();

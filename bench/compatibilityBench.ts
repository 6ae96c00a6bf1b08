/**
 * What the type checker's compatibility check costs a review: a p90 pull request
 * (5 changed modules, about 250 changed lines) on real code written by others
 * (the OpenAI SDK's TypeScript sources from node_modules, 200+ files that import
 * one another), reviewed from the terminal by fresh `diffwise review` processes,
 * with the cache empty and then warm. The rule's own time comes from the stage
 * timings every run records; the baseline is the whole cold review of the same
 * change. Memory: the check alone, in this process, on the same five modules.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { compareModules } from '../server/review/compatibility/moduleComparison';
import { cleanupRepos, commitAll, git, makeRepo } from '../test/helpers/gitRepo';
import { compatibilityAccuracy } from './compatibilityAccuracy';
import { mib, median, row, type BenchResult } from './stats';

const ROUNDS = 5;
/** Five modules of the SDK with exported functions and classes, each changed by about 50 lines. */
const MODULES = ['src/core/error.ts', 'src/internal/utils/values.ts', 'src/pagination.ts', 'src/internal/headers.ts', 'src/internal/utils/log.ts'];

/**
 * About 50 changed lines: an optional parameter on an exported function, edited lines, a new
 * export; with `breaking`, also a required parameter on the first exported function.
 */
function change(text: string, breaking: boolean): { text: string; changed: number } {
  const lines = text.split('\n');
  let changed = 0;
  let required = !breaking;
  let optional = false;
  for (let i = 0; i < lines.length && changed < 45; i++) {
    const signature = /^export (?:const|function) (\w+)\s*(?:=\s*)?(?:<[^>]*>)?\(([^)]*)\)/.exec(lines[i]);
    if (signature && !required) {
      lines[i] = lines[i].replace(`(${signature[2]})`, `(${signature[2]}${signature[2].trim() ? ', ' : ''}strict: boolean)`);
      required = true;
      changed++;
    } else if (signature && !optional) {
      lines[i] = lines[i].replace(`(${signature[2]})`, `(${signature[2]}${signature[2].trim() ? ', ' : ''}trace?: boolean)`);
      optional = true;
      changed++;
    } else if (/^\s+(const|let|return) /.test(lines[i])) {
      lines[i] = `${lines[i]} // reviewed`;
      changed++;
    }
  }
  const added = Array.from({ length: 20 }, (_, i) => `  const step${i} = input.length + ${i};`);
  lines.push('', 'export function measure(input: string): number {', ...added, '  return step19;', '}', '');
  return { text: lines.join('\n'), changed: changed + added.length + 4 };
}

interface Measured {
  cold: number;
  coldRule: number;
  warm: number;
  warmRule: number;
  changedLines: number;
  breaks: number;
  uses: number;
  modules: Array<{ path: string; oldPath: string; oldText: string; newText: string }>;
  repo: string;
}

/** A branch of the SDK changing MODULES, reviewed ROUNDS times cold and cached by fresh processes. */
function measure(projectRoot: string, breaking: boolean): Measured {
  const source = path.join(projectRoot, 'node_modules', 'openai', 'src');
  const repo = makeRepo();
  fs.cpSync(source, path.join(repo, 'src'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'preserve', moduleResolution: 'bundler', paths: { 'openai/*': ['./src/*'], openai: ['./src/index.ts'] } } }));
  commitAll(repo, 'main');
  git(repo, 'checkout', '-q', '-b', 'feature');
  let changedLines = 0;
  const modules = [];
  for (const file of MODULES) {
    const oldText = fs.readFileSync(path.join(repo, file), 'utf8');
    const { text, changed } = change(oldText, breaking);
    fs.writeFileSync(path.join(repo, file), text);
    changedLines += changed;
    modules.push({ path: file, oldPath: file, oldText, newText: text });
  }
  commitAll(repo, 'feature');
  const cli = path.join(projectRoot, 'dist', 'cli.js');
  const review = (cache: boolean) => JSON.parse(execFileSync(process.execPath, [cli, 'review', '--base', 'main', '--format', 'json', '--fail-on', 'never', '--no-llm', ...(cache ? [] : ['--no-cache'])], { cwd: repo, maxBuffer: 64 << 20, encoding: 'utf8' })) as { run: { id: string; durationMs: number }; findings: Array<{ ruleId: string; related: unknown[] }> };
  const stageOf = (runId: string, stage: string): number => {
    const db = new Database(path.join(repo, '.git', 'diffwise', 'diffwise.db'), { readonly: true });
    try {
      const stored = db.prepare('SELECT stage_ms FROM review_runs WHERE id = ?').get(runId) as { stage_ms: string } | undefined;
      return (JSON.parse(stored?.stage_ms ?? '{}') as Record<string, number>)[stage] ?? 0;
    } finally {
      db.close();
    }
  };
  review(false); // builds the index: every round after it is a review, not an index
  const cold: number[] = [];
  const coldRule: number[] = [];
  const warm: number[] = [];
  const warmRule: number[] = [];
  let breaks = 0;
  let uses = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const first = review(false);
    cold.push(first.run.durationMs);
    coldRule.push(stageOf(first.run.id, 'rule:breaking-change'));
    const found = first.findings.filter((finding) => finding.ruleId === 'breaking-change');
    breaks = found.length;
    uses = found.reduce((total, finding) => total + finding.related.length, 0);
    review(true); // fills the cache
    const again = review(true);
    warm.push(again.run.durationMs);
    warmRule.push(stageOf(again.run.id, 'rule:breaking-change'));
  }
  return { cold: median(cold), coldRule: median(coldRule), warm: median(warm), warmRule: median(warmRule), changedLines, breaks, uses, modules, repo };
}

export async function compatibilityBench(projectRoot: string): Promise<BenchResult[]> {
  const compatible = measure(projectRoot, false);
  const breaking = measure(projectRoot, true);
  const { repo } = breaking;

  // Memory of the check alone, and its time in a process that has done it before (the daemon's
  // case: the libs and unchanged dependencies stay parsed): the same modules, in this process.
  const importers = git(repo, 'ls-files', 'src').split('\n').filter((file) => file.endsWith('.ts'));
  const inProcess = (changed: Measured) => {
    const started = performance.now();
    compareModules({ root: changed.repo, modules: changed.modules, reviewed: new Map(changed.modules.map((m) => [m.path, m.newText])), importersOf: () => importers });
    return performance.now() - started;
  };
  global.gc?.();
  const before = process.memoryUsage();
  let peak = before.rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  inProcess(breaking);
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(timer);
  const warmCompatible = median(Array.from({ length: ROUNDS }, () => inProcess(compatible)));
  const warmBreaking = median(Array.from({ length: ROUNDS }, () => inProcess(breaking)));

  cleanupRepos();
  const accuracy = await compatibilityAccuracy();
  console.log(`compatibility corpus: the OpenAI SDK's ${importers.length} TypeScript sources; ${MODULES.length} modules changed by ${compatible.changedLines} lines without a break, or by ${breaking.changedLines} with ${breaking.breaks} breaking changes of hub functions (${breaking.uses} broken uses); ${ROUNDS} rounds, medians`);
  console.log(`labelled corpus (${accuracy.truePositives + accuracy.falseNegatives} breaking, ${accuracy.trueNegatives + accuracy.falsePositives} compatible): precision ${(accuracy.precision * 100).toFixed(1)}%, recall ${(accuracy.recall * 100).toFixed(1)}% (targets 95% / 90%)`);
  const baseline = compatible.cold;
  return [
    row('cold review, no break (baseline)', baseline, 1, 'diffwise review --no-cache, a fresh process, index built'),
    row('  compatibility check', compatible.coldRule, compatible.coldRule / baseline, 'its rule:breaking-change stage (target ≤ 800 ms)', compatible.coldRule <= 800),
    row('  cached review', compatible.warm, compatible.warm / baseline, 'the same change again, every hunk cached'),
    row('  compatibility check, cached', compatible.warmRule, compatible.warmRule / baseline, 'its stage in the cached review (target: nothing)', compatible.warmRule <= 5),
    row('cold review, 3 breaks', breaking.cold, breaking.cold / baseline, `the same with the breaks: ${breaking.breaks} findings, ${breaking.uses} importer lines type-checked as broken`),
    row('  compatibility check', breaking.coldRule, breaking.coldRule / baseline, 'its stage: the probes, then the importers that name what broke'),
    row('  compatibility check, cached', breaking.warmRule, breaking.warmRule / baseline, 'its stage in the cached review (target: nothing)', breaking.warmRule <= 5),
    row('  the check, warm (daemon)', warmCompatible, warmCompatible / baseline, 'no break: the check again in a process that did it before'),
    row('  the check, warm, 3 breaks', warmBreaking, warmBreaking / baseline, 'with the breaks and their importers'),
    row('check memory', 0, (peak - before.rss) / (1 << 20) / 300, `${mib(peak - before.rss)} more RSS at its peak, the five modules and 80 importers (target < 300 MiB)`, peak - before.rss < 300 * (1 << 20)),
    row('corpus precision', 0, accuracy.precision, `${accuracy.truePositives} of ${accuracy.truePositives + accuracy.falsePositives} reported changes really break (target ≥ 95%)`, accuracy.precision >= 0.95),
    row('corpus recall', 0, accuracy.recall, `${accuracy.truePositives} of ${accuracy.truePositives + accuracy.falseNegatives} breaking changes found (target ≥ 90%)`, accuracy.recall >= 0.9),
  ];
}

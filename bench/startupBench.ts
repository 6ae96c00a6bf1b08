/**
 * `npm run bench startup`: what a command costs before it does any work, and what
 * the commands that need no parsing cost in all, as fresh processes of the built
 * CLI against `node -e 0` measured in the same run, alternated over the rounds so
 * that a noisy neighbour hits both alike. The code cache (bundleLoader.ts) lives in
 * a folder of this run's, warmed by one run of each command first, as a user's is
 * after their first command; one row shows the same review without it.
 *
 * Targets (issue 14): `--version` ≤ 2× `node -e 0`; an unchanged branch re-reviewed
 * (every hunk from the review cache) ≤ 3×. The note says which lazy bundles
 * (dist/lib/*.js) a command loaded: those rows should load none.
 *
 * DIFFWISE_BENCH_ROOT=<a checkout, built> measures another build (the one before a change).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReviewDocument } from '../shared/review';
import { cleanupRepos, featureBranchRepo, gitEnv, makeTempDir } from '../test/helpers/gitRepo';
import { median, row, type BenchResult } from './stats';

const ROUNDS = 11;

interface Case {
  name: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  target?: number;
  note: string;
}

function run(entry: Case, env: NodeJS.ProcessEnv): { ms: number; stdout: string; stderr: string; status: number | null } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, entry.args, { cwd: entry.cwd, env: { ...env, ...entry.env }, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** A small TypeScript repository on a feature branch: two changed files, reviewed once so that the review cache is warm. */
function smallRepo(): string {
  return featureBranchRepo(
    {
      'src/shapes.ts': 'export interface Shape { kind: string }\nexport function area(shape: Shape): number {\n  return shape.kind.length;\n}\n',
      'src/main.ts': "import { area } from './shapes';\nexport const total = area({ kind: 'square' });\n",
      'README.md': '# shapes\n',
    },
    {
      'src/shapes.ts': 'export interface Shape { kind: string; size?: number }\nexport function area(shape: Shape): number {\n  return (shape.size ?? 1) * shape.kind.length;\n}\n',
      'src/main.ts': "import { area } from './shapes';\nexport const total = area({ kind: 'square', size: 2 });\nconsole.log(total);\n",
    },
  );
}

/** The lazy bundles a run loaded, from DIFFWISE_TRACE_LOADS's lines. */
function lazyLoads(stderr: string): string[] {
  return [...stderr.matchAll(/^diffwise: loaded lib\/(\S+)\.js/gm)].map((match) => match[1]);
}

export function startupBench(projectRoot: string): BenchResult[] {
  const root = process.env.DIFFWISE_BENCH_ROOT ? path.resolve(process.env.DIFFWISE_BENCH_ROOT) : projectRoot;
  const cli = path.join(root, 'dist', 'cli.js');
  const commands = path.join(root, 'dist', 'commands.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  // A build from before the lazy bundles (DIFFWISE_BENCH_ROOT) loads everything at once and traces nothing.
  const lazy = fs.existsSync(path.join(root, 'dist', 'lib'));
  // Outside any repository: the commands that need one fail at once, after loading what they load.
  const outside = makeTempDir('diffwise-startup-');
  const repo = smallRepo();
  const env: NodeJS.ProcessEnv = { ...gitEnv, NO_COLOR: '1', DIFFWISE_COMPILE_CACHE: path.join(makeTempDir('diffwise-code-cache-'), 'code') };
  const review = ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never'];
  const cases: Case[] = [
    { name: 'node -e 0 (baseline)', args: ['-e', '0'], cwd: outside, note: 'Node itself' },
    { name: 'diffwise --version', args: [cli, '--version'], cwd: outside, target: 2, note: 'target ≤ 2×' },
    { name: 'diffwise --help', args: [cli, '--help'], cwd: outside, note: 'the entry bundle only' },
    { name: 'diffwise review --frob', args: [cli, 'review', '--frob'], cwd: outside, note: 'a usage error' },
    { name: 'require(dist/commands.js)', args: ['-e', `require(${JSON.stringify(commands)})`], cwd: outside, note: 'the core, plain require (no code cache)' },
    { name: 'diffwise review (no repo)', args: [cli, 'review'], cwd: outside, note: 'loads the commands bundle, fails in git' },
    { name: 'diffwise metrics', args: [cli, 'metrics'], cwd: repo, note: 'a small repository' },
    { name: 'diffwise feedback --list', args: [cli, 'feedback', '--list'], cwd: repo, note: 'reads the votes' },
    { name: 'diffwise index (unchanged)', args: [cli, 'index'], cwd: repo, note: 'nothing to parse' },
    { name: 'diffwise review (unchanged)', args: [cli, ...review], cwd: repo, target: 3, note: 'every hunk from the review cache; target ≤ 3×' },
    { name: '  … without the code cache', args: [cli, ...review], cwd: repo, env: { DIFFWISE_NO_COMPILE_CACHE: '1' }, note: 'DIFFWISE_NO_COMPILE_CACHE=1' },
  ];
  try {
    // The first review fills the review cache (and parses); one traced run of each case warms
    // the code cache and says what it loads, and that the re-review is all from the cache.
    const first = run({ ...cases[cases.length - 2], env: {} }, env);
    if (first.status !== 0) throw new Error(`the first review failed: ${first.stderr}`);
    const loads = cases.map((entry) => lazyLoads(run(entry, { ...env, DIFFWISE_TRACE_LOADS: '1' }).stderr));
    const again = JSON.parse(run(cases[cases.length - 2], env).stdout) as ReviewDocument;
    if (again.run.cacheHits !== again.run.hunks || again.run.hunks === 0) throw new Error(`the re-review was not all from the cache: ${again.run.cacheHits} of ${again.run.hunks} hunks`);
    const samples = cases.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) cases.forEach((entry, i) => samples[i].push(run(entry, env).ms));
    const baseline = median(samples[0]);
    return cases.map((entry, i) => {
      const ms = median(samples[i]);
      const ratio = ms / baseline;
      const loaded = i === 0 || !lazy ? '' : `; lazy bundles loaded: ${loads[i].length ? loads[i].join(', ') : 'none'}`;
      return row(entry.name, ms, ratio, `${entry.note}${loaded}`, entry.target === undefined ? undefined : ratio <= entry.target);
    });
  } finally {
    cleanupRepos();
  }
}

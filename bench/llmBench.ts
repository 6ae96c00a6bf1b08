/**
 * The LLM reviewer's wall time on a 20-hunk branch against an OpenAI-compatible
 * endpoint that takes 1 s per answer (a fake on 127.0.0.1, started here): with
 * the concurrency limit at 1, at its default, and with a warm cache. The
 * baseline is the same review with `--no-llm`: what the LLM adds on top. Small
 * hunks share a prompt (server/llm/grouping.ts), so each row says how many
 * calls a review made, and its floor is those calls' rounds at the limit.
 */
import { DEFAULT_MAX_CONCURRENCY } from '../server/llm/config';
import { MAX_HUNKS_PER_PROMPT } from '../server/llm/grouping';
import { runCliAsync } from '../test/helpers/cli';
import { startFakeOpenAi } from '../test/helpers/fakeOpenAi';
import { cleanupRepos, commitAll, git, makeRepo, write } from '../test/helpers/gitRepo';
import { median, row, type BenchResult } from './stats';

const HUNKS = 20;
const LATENCY_MS = 1_000;
const ROUNDS = 3;

/** A branch that changes one function in each of 20 files: 20 hunks. */
function makeBranch(): string {
  const repo = makeRepo();
  const source = (i: number, changed: boolean) => [
    `export function step${i}(value: number): number {`,
    changed ? `  if (value < 0) throw new Error('step${i}: negative');` : '  // no check',
    `  return value * ${i + 1};`,
    '}',
    '',
  ].join('\n');
  for (let i = 0; i < HUNKS; i++) write(repo, `src/step${i}.ts`, source(i, false));
  commitAll(repo, 'base');
  git(repo, 'checkout', '-q', '-b', 'feature');
  for (let i = 0; i < HUNKS; i++) write(repo, `src/step${i}.ts`, source(i, true));
  commitAll(repo, 'feature');
  return repo;
}

export async function llmBench(): Promise<BenchResult[]> {
  const repo = makeBranch();
  const fake = await startFakeOpenAi();
  fake.setDefault({ kind: 'success', content: JSON.stringify({ findings: [] }), delayMs: LATENCY_MS });
  const env = { DIFFWISE_LLM_BASE_URL: fake.baseUrl, DIFFWISE_LLM_MODEL: 'bench-model' };
  /** Calls made by each timed review, in order. */
  const calls: number[] = [];
  const timed = async (args: string[], concurrency: number): Promise<number> => {
    write(repo, '.diffwise/config.json', JSON.stringify({ llm: { maxConcurrency: concurrency } }));
    const requestsBefore = fake.requests.length;
    const started = performance.now();
    const result = await runCliAsync(repo, ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never', ...args], env);
    const elapsed = performance.now() - started;
    if (result.code !== 0) throw new Error(`review failed (${result.code}): ${result.stderr}`);
    const run = (JSON.parse(result.stdout) as { run: { status: string; errors: unknown[] } }).run;
    if (run.status !== 'ok') throw new Error(`review ${run.status}: ${JSON.stringify(run.errors)}`);
    calls.push(fake.requests.length - requestsBefore);
    return elapsed;
  };
  try {
    const baseline: number[] = [];
    const serial: number[] = [];
    const parallel: number[] = [];
    const warm: number[] = [];
    const serialCalls: number[] = [];
    const parallelCalls: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baseline.push(await timed(['--no-llm'], DEFAULT_MAX_CONCURRENCY));
      serial.push(await timed(['--no-cache'], 1));
      serialCalls.push(calls.at(-1)!);
      parallel.push(await timed(['--no-cache'], DEFAULT_MAX_CONCURRENCY));
      parallelCalls.push(calls.at(-1)!);
    }
    const before = fake.requests.length;
    await timed([], DEFAULT_MAX_CONCURRENCY); // fills the cache
    const afterWarmup = fake.requests.length;
    for (let round = 0; round < ROUNDS; round++) warm.push(await timed([], DEFAULT_MAX_CONCURRENCY));
    const warmCalls = fake.requests.length - afterWarmup;
    const base = median(baseline);
    const perReview = (counts: number[]) => (new Set(counts).size === 1 ? String(counts[0]) : counts.join('/'));
    const floor = (counts: number[], concurrency: number) => (Math.ceil(Math.max(...counts) / concurrency) * LATENCY_MS) / 1000;
    return [
      row(`review --no-llm (baseline), ${HUNKS} hunks`, base, 1, `${ROUNDS} rounds`),
      row(`LLM, concurrency 1, ${LATENCY_MS} ms per answer`, median(serial), median(serial) / base, `${perReview(serialCalls)} calls for ${HUNKS} hunks (≤ ${MAX_HUNKS_PER_PROMPT} per prompt); floor ${floor(serialCalls, 1)} s`),
      row(
        `LLM, concurrency ${DEFAULT_MAX_CONCURRENCY} (default)`,
        median(parallel),
        median(parallel) / base,
        `${perReview(parallelCalls)} calls; floor ${floor(parallelCalls, DEFAULT_MAX_CONCURRENCY)} s; max in flight seen ${fake.maxInFlight}; target < 5 s`,
        median(parallel) < 5_000,
      ),
      row('LLM, warm cache (branch unchanged)', median(warm), median(warm) / base, `${warmCalls} calls (warm-up made ${afterWarmup - before})`, warmCalls === 0),
    ];
  } finally {
    await fake.close();
    cleanupRepos();
  }
}

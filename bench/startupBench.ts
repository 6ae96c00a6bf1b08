/**
 * `npm run bench startup`: what a command costs before it does any work, as
 * fresh processes of the built CLI against `node -e 0` measured in the same run,
 * alternated over the rounds so that a noisy neighbour hits both alike.
 * Targets (issue 14): `--version` ≤ 2× `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, row, type BenchResult } from './stats';

const ROUNDS = 11;

function timeMs(args: readonly string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
  if (result.error) throw result.error;
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function startupBench(projectRoot: string): BenchResult[] {
  const cli = path.join(projectRoot, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  // Outside any repository: the commands that need one fail at once, after loading what they load.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-startup-'));
  const cases: Array<{ name: string; args: string[]; target?: number; note: string }> = [
    { name: 'node -e 0 (baseline)', args: ['-e', '0'], note: 'Node itself' },
    { name: 'diffwise --version', args: [cli, '--version'], target: 2, note: 'target ≤ 2×' },
    { name: 'diffwise --help', args: [cli, '--help'], note: 'the entry bundle only' },
    { name: 'diffwise review --frob', args: [cli, 'review', '--frob'], note: 'a usage error' },
    { name: 'diffwise review (no repo)', args: [cli, 'review'], note: 'loads the commands bundle, fails in git' },
  ];
  const samples = cases.map(() => [] as number[]);
  try {
    for (let round = 0; round < ROUNDS; round++) cases.forEach((entry, i) => samples[i].push(timeMs(entry.args, cwd)));
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
  const baseline = median(samples[0]);
  return cases.map((entry, i) => {
    const ms = median(samples[i]);
    const ratio = ms / baseline;
    return row(entry.name, ms, ratio, entry.note, entry.target === undefined ? undefined : ratio <= entry.target);
  });
}

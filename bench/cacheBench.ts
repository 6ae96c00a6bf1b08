/**
 * `npm run bench cache`: the cache over this project's own history (our code,
 * not others': `npm run bench history` replays real histories written by
 * others). A local clone, HEAD moved commit by commit over the latest commits,
 * each reviewed against the first commit, with the cache and without it, in
 * the same process; see historyBench.ts for the replay and the ceiling.
 */
import { execFileSync } from 'node:child_process';
import { replay, replayRows } from './historyBench';
import type { BenchResult } from './stats';

/** At most this many steps, the latest ones: the first commits are the bulk of the code. */
const MAX_STEPS = 20;

export async function cacheBench(projectRoot: string): Promise<BenchResult[]> {
  const commits = execFileSync('git', ['rev-list', '--reverse', '--first-parent', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim().split('\n');
  const steps = commits.slice(1).slice(-MAX_STEPS);
  return replayRows(await replay(projectRoot, [commits[0], ...steps], 'own history (our code)'));
}

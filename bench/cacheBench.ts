/**
 * The cache over a branch's life: this project's own history replayed as a
 * branch growing one commit at a time (a local clone, HEAD moved commit by
 * commit), reviewed against the first commit after each step, with the cache
 * and without it, in the same process. Prints each step and the totals.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../server/workspace';
import { median, row, type BenchResult } from './stats';

/** At most this many steps, the latest ones: the first commits are the bulk of the code. */
const MAX_STEPS = 20;

export async function cacheBench(projectRoot: string): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-cache-bench-'));
  const clone = path.join(dir, 'repo');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: clone, encoding: 'utf8' }).trim();
  execFileSync('git', ['clone', '-q', projectRoot, clone]);
  const commits = git('rev-list', '--reverse', '--first-parent', 'HEAD').split('\n');
  const root = commits[0];
  const steps = commits.slice(1).slice(-MAX_STEPS);
  const cached = await Workspace.open({ dir: clone, dbPath: path.join(dir, 'cached.db') });
  const uncached = await Workspace.open({ dir: clone, dbPath: path.join(dir, 'uncached.db') });
  const cachedTimes: number[] = [];
  const uncachedTimes: number[] = [];
  let hunks = 0;
  let hits = 0;
  try {
    console.log(`cache replay: ${steps.length} commits of this project's history, each reviewed against ${root.slice(0, 8)}`);
    for (const [i, sha] of steps.entries()) {
      git('checkout', '-q', '--detach', sha);
      // Index first, in both: the step's cost to compare is the review's.
      await cached.index();
      await uncached.index();
      const withCache = await cached.review({ scope: 'branch', base: root, trigger: 'bench' });
      const withoutCache = await uncached.review({ scope: 'branch', base: root, trigger: 'bench', useCache: false });
      if (JSON.stringify(withCache.findings.map((f) => f.id).sort()) !== JSON.stringify(withoutCache.findings.map((f) => f.id).sort())) {
        throw new Error(`step ${i + 1} (${sha.slice(0, 8)}): the cached review disagrees with the uncached one`);
      }
      hunks += withCache.run.hunks;
      hits += withCache.run.cacheHits;
      cachedTimes.push(withCache.run.durationMs);
      uncachedTimes.push(withoutCache.run.durationMs);
      const rate = withCache.run.hunks ? withCache.run.cacheHits / withCache.run.hunks : 0;
      console.log(`  step ${String(i + 1).padStart(2)} ${sha.slice(0, 8)}: ${String(withCache.run.hunks).padStart(4)} hunks, ${(rate * 100).toFixed(0).padStart(3)}% hits, ${String(withCache.run.durationMs).padStart(5)} ms cached vs ${String(withoutCache.run.durationMs).padStart(5)} ms uncached, ${withCache.findings.length} findings`);
    }
  } finally {
    cached.close();
    uncached.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const baseline = median(uncachedTimes);
  const lifeRate = hunks ? hits / hunks : 0;
  const afterFirst = steps.length > 1 ? median(cachedTimes.slice(1)) : median(cachedTimes);
  return [
    row('re-review, cache off (baseline)', baseline, 1, 'every rule on every file'),
    row('re-review, cache on', median(cachedTimes), median(cachedTimes) / baseline, `hit rate over the branch's life ${(lifeRate * 100).toFixed(1)}% (${hits}/${hunks} hunks); target > 85%`, lifeRate > 0.85),
    row('re-review, cache on, after step 1', afterFirst, afterFirst / baseline, 'once the cache has seen the branch'),
  ];
}

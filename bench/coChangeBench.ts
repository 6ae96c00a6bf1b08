/**
 * `npm run bench co-change [REPO…]`: how right the co-change suggestions are on
 * real histories (this repository's own, and any clone given, e.g. of
 * expressjs/express), each of the last 200 commits judged by a model mined from
 * the commits before it only, for a grid of thresholds: the defaults were chosen
 * from this table. Also the cost of mining 1,000 commits cold and of the warm,
 * cached load a review pays.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCoChangeModel } from '../server/history/coChangeHistory';
import { CO_CHANGE_DEFAULTS } from '../server/history/coChangeModel';
import { CoChangeStore } from '../server/history/coChangeStore';
import { readCommitLog } from '../server/history/commitLog';
import { evaluateCoChange } from '../server/history/evaluation';
import { openDatabase } from '../server/store/database';

const EVALUATED = 200;
const GRID = [
  { minSupport: 2, minConfidence: 0.3 },
  { minSupport: 2, minConfidence: 0.5 },
  { minSupport: 3, minConfidence: 0.5 },
  { minSupport: 3, minConfidence: 0.7 },
  { minSupport: 5, minConfidence: 0.5 },
  { minSupport: 5, minConfidence: 0.7 },
];

export interface CoChangeRow {
  repository: string;
  minSupport: number;
  minConfidence: number;
  commits: number;
  withSuggestions: number;
  suggested: number;
  precision: number;
  recall: number;
}

export async function coChangeAccuracy(repo: string, label: string): Promise<CoChangeRow[]> {
  const newestFirst = await readCommitLog(repo, { to: 'HEAD', limit: CO_CHANGE_DEFAULTS.commits + EVALUATED });
  const oldestFirst = [...newestFirst].reverse();
  return GRID.map((thresholds) => {
    const result = evaluateCoChange(oldestFirst, { ...thresholds, maxFilesPerCommit: CO_CHANGE_DEFAULTS.maxFilesPerCommit, evaluated: EVALUATED });
    return {
      repository: label, ...thresholds, commits: result.commits, withSuggestions: result.commitsWithSuggestions,
      suggested: result.suggested, precision: result.precision, recall: result.recall,
    };
  });
}

/** Milliseconds to mine the last 1,000 commits into a fresh store, then to load them again from it. */
export async function coChangeTimings(repo: string): Promise<{ coldMs: number; warmMs: number; commits: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-cochange-bench-'));
  const db = openDatabase(path.join(dir, 'bench.db'));
  try {
    const store = new CoChangeStore(db);
    let started = performance.now();
    const cold = await loadCoChangeModel(repo, store);
    const coldMs = performance.now() - started;
    started = performance.now();
    await loadCoChangeModel(repo, store);
    return { coldMs, warmMs: performance.now() - started, commits: cold.model.commits };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function coChangeBench(projectRoot: string, repos: readonly string[] = []): Promise<void> {
  const targets = [{ repo: projectRoot, label: 'diffwise (this repository)' }, ...repos.map((repo) => ({ repo: path.resolve(repo), label: path.basename(path.resolve(repo)) }))];
  const rows: CoChangeRow[] = [];
  for (const target of targets) rows.push(...(await coChangeAccuracy(target.repo, target.label)));
  console.log(`\nCo-change suggestions on the last ${EVALUATED} commits, each judged by the commits before it (bulk commits > ${CO_CHANGE_DEFAULTS.maxFilesPerCommit} files left out)`);
  console.table(rows.map((row) => ({ ...row, precision: row.precision.toFixed(2), recall: row.recall.toFixed(2) })));
  for (const target of targets) {
    const timing = await coChangeTimings(target.repo);
    console.log(`${target.label}: mining ${timing.commits} commits ${timing.coldMs.toFixed(0)} ms cold, ${timing.warmMs.toFixed(1)} ms warm (from the store)`);
  }
}

if (require.main === module) {
  void coChangeBench(path.resolve(__dirname, '..'), process.argv.slice(2));
}

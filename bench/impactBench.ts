/**
 * `npm run bench impact`: the impact of a p90 pull request (5 modules of the OpenAI
 * SDK, 50 lines each, exports touched) on a 5,000-file repository of real code
 * (the bench corpus's first 5,000 files, the SDK's included), in one warm process
 * as the daemon answers `diffwise/impact`: the index built, git's and SQLite's
 * caches warm. Baseline, measured in the same rounds: a bare SQLite scan of the
 * imports table, the least any import graph of that repository costs. Target: < 300 ms.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { impactOf } from '../server/graph/impactUseCase';
import { Workspace } from '../server/workspace';
import { commitCorpus, listCorpus, prepareCorpus } from './corpus';
import { median, row, type BenchResult } from './stats';

const FILES = 5000;
const ROUNDS = 9;
const TARGET_MS = 300;
const P90_MODULES = ['lib/parser.ts', 'core/streaming.ts', 'internal/uploads.ts', 'internal/headers.ts', 'internal/qs/utils.ts'].map((file) => `src0/openai/src/${file}`);
const LINES_PER_MODULE = 50;
/** Bump when the repository's layout changes: it is made again. */
const LAYOUT = 1;

/** `.bench/impact`: 5,000 files of the corpus on `main`, and branch `p90` changing P90_MODULES. */
export function prepareImpactRepository(projectRoot: string): string {
  const root = path.join(projectRoot, '.bench', 'impact');
  const marker = path.join(root, `.impact-ready-${LAYOUT}`);
  if (fs.existsSync(marker)) return root;
  const corpus = prepareCorpus(projectRoot);
  const sdk = corpus.files.filter((file) => file.startsWith('src0/openai/'));
  const chosen = [...new Set([...sdk, ...corpus.files])].slice(0, FILES);
  fs.rmSync(root, { recursive: true, force: true });
  for (const file of chosen) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.copyFileSync(path.join(corpus.root, file), path.join(root, file));
  }
  commitCorpus(root, marker);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('checkout', '-q', '-b', 'p90');
  for (const file of P90_MODULES) {
    const lines = Array.from({ length: LINES_PER_MODULE }, (_, i) => `export const impactBench${i} = ${i};`);
    fs.appendFileSync(path.join(root, file), `\n${lines.join('\n')}\n`);
  }
  git('-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-q', '-a', '-m', 'a p90 pull request');
  if (listCorpus(root).length !== FILES) throw new Error(`the impact repository should have ${FILES} files`);
  return root;
}

export async function impactBench(projectRoot: string): Promise<BenchResult[]> {
  const root = prepareImpactRepository(projectRoot);
  const dbPath = path.join(root, '.git', 'diffwise-bench.db');
  const workspace = await Workspace.open({ dir: root, dbPath });
  try {
    await workspace.index();
    const scan = new Database(dbPath, { readonly: true }).prepare('SELECT files.path, imports.resolved_path FROM imports JOIN files ON files.id = imports.file_id').raw();
    const request = { scope: 'branch' as const, base: 'main' };
    const first = await impactOf(workspace, request);
    const baseline: number[] = [];
    const impact: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let started = performance.now();
      scan.all();
      baseline.push(performance.now() - started);
      started = performance.now();
      await impactOf(workspace, request);
      impact.push(performance.now() - started);
    }
    const base = median(baseline);
    const took = median(impact);
    return [
      row('SQLite scan of the imports', base, 1, `${scan.all().length} imports of ${FILES} files (baseline)`),
      row('impact of a p90 change, warm', took, took / base, `${first.changed.length} changed, ${first.dependents.length} dependents within ${first.depth}, ${first.tests.length} tests; target < ${TARGET_MS} ms`, took < TARGET_MS),
    ];
  } finally {
    workspace.close();
  }
}

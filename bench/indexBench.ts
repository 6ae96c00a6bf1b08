/**
 * Index speed against a bare parse of the same files, in the same process:
 *  - cold: a full index into an empty database vs read + `ts.createSourceFile` of every file;
 *  - warm: a pass over an unchanged workspace (stat only);
 *  - one changed file: `indexFiles([path])` after an edit, as on a save.
 * Medians of several rounds, alternated so that noise hits both contenders alike.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ts } from 'ts-morph';
import { scriptKindOf } from '../server/index/languages';
import { WorkspaceIndexer } from '../server/index/indexer';
import { openDatabase } from '../server/store/database';
import { IndexStore } from '../server/store/indexStore';
import { prepareCorpus } from './corpus';
import { median, mib, row, type BenchResult } from './stats';

const ROUNDS = 5;
const EDIT_ROUNDS = 60;

function bareParse(root: string, files: readonly string[]): number {
  const started = performance.now();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, scriptKindOf(file));
  }
  return performance.now() - started;
}

function listWith(root: string): () => Promise<string[]> {
  return async () => execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, maxBuffer: 64 << 20 })
    .toString('utf8').split('\0').filter(Boolean);
}

export async function indexBench(projectRoot: string): Promise<BenchResult[]> {
  const corpus = prepareCorpus(projectRoot);
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-bench-'));
  const listWorkspaceFiles = listWith(corpus.root);
  const parseTimes: number[] = [];
  const coldTimes: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  let parseHeap = 0;
  let indexHeap = 0;
  let totals = { files: 0, symbols: 0, imports: 0 };

  // One untimed round each to warm the file cache and the JIT.
  bareParse(corpus.root, corpus.files);
  for (let round = 0; round <= ROUNDS; round++) {
    gc();
    let before = process.memoryUsage().heapUsed;
    parseTimes.push(bareParse(corpus.root, corpus.files));
    parseHeap = Math.max(parseHeap, process.memoryUsage().heapUsed - before);

    const dbFile = path.join(dbDir, `cold-${round}.db`);
    const db = openDatabase(dbFile);
    const indexer = new WorkspaceIndexer({ root: corpus.root, store: new IndexStore(db), listWorkspaceFiles });
    gc();
    before = process.memoryUsage().heapUsed;
    const result = await indexer.indexWorkspace();
    indexHeap = Math.max(indexHeap, process.memoryUsage().heapUsed - before);
    coldTimes.push(result.durationMs);
    totals = result;
    db.close();
  }
  parseTimes.shift();
  coldTimes.shift();

  // Warm pass and single-file edits on the last cold database.
  const db = openDatabase(path.join(dbDir, `cold-${ROUNDS}.db`));
  const indexer = new WorkspaceIndexer({ root: corpus.root, store: new IndexStore(db), listWorkspaceFiles });
  const warmTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) warmTimes.push((await indexer.indexWorkspace()).durationMs);

  const target = corpus.files.find((file) => file.endsWith('.ts') && fs.statSync(path.join(corpus.root, file)).size > 4000) ?? corpus.files[0];
  const targetPath = path.join(corpus.root, target);
  const original = fs.readFileSync(targetPath, 'utf8');
  const editTimes: number[] = [];
  try {
    for (let round = 0; round < EDIT_ROUNDS; round++) {
      fs.writeFileSync(targetPath, `${original}\nexport const benchEdit${round} = ${round};\n`);
      const result = await indexer.indexFiles([target]);
      if (result.reparsed !== 1) throw new Error(`expected one file re-parsed, got ${result.reparsed}`);
      editTimes.push(result.durationMs);
    }
  } finally {
    fs.writeFileSync(targetPath, original);
    await indexer.indexFiles([target]);
    db.close();
    fs.rmSync(dbDir, { recursive: true, force: true });
  }

  const parseMedian = median(parseTimes);
  const coldMedian = median(coldTimes);
  console.log(`index corpus: ${corpus.files.length} files (${totals.symbols} symbols, ${totals.imports} imports), ${ROUNDS} rounds`);
  return [
    row('bare parse (baseline)', parseMedian, 1, `heap +${mib(parseHeap)}`),
    row('cold index', coldMedian, coldMedian / parseMedian, `heap +${mib(indexHeap)}; target <= 1.3x`, coldMedian / parseMedian <= 1.3),
    row('warm pass, nothing changed', median(warmTimes), median(warmTimes) / parseMedian, 'stat only'),
    row('re-index one changed file', median(editTimes), median(editTimes) / parseMedian, `${target}; target < 5 ms`, median(editTimes) < 5),
  ];
}

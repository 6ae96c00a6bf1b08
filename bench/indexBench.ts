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
import { WorkspaceIndexer } from '../server/index/indexer';
import { openDatabase } from '../server/store/database';
import { IndexStore } from '../server/store/indexStore';
import { prepareCorpus } from './corpus';
import { median, mib, row, type BenchResult } from './stats';

const ROUNDS = 5;
const EDIT_ROUNDS = 60;

/** The baseline in its own process: see bareParse.ts. */
function bareParse(projectRoot: string, root: string, listFile: string, mode = 'default'): { durationMs: number; maxRssBytes: number } {
  const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench', 'bareParse.ts'), root, listFile, mode], { cwd: projectRoot });
  return JSON.parse(output.toString('utf8')) as { durationMs: number; maxRssBytes: number };
}

function listWith(root: string): () => Promise<string[]> {
  return async () => execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, maxBuffer: 64 << 20 })
    .toString('utf8').split('\0').filter(Boolean);
}

interface CliIndexResult {
  files: number;
  symbols: number;
  imports: number;
  reparsed: number;
  durationMs: number;
  maxRssBytes: number;
}

/** The shipped CLI, as a user runs it; its own durationMs leaves out Node's start-up. */
function cliIndex(projectRoot: string, repo: string, db: string): CliIndexResult {
  const output = execFileSync(process.execPath, [path.join(projectRoot, 'dist', 'cli.js'), 'index', '--json', '--repo', repo, '--db', db], { maxBuffer: 16 << 20 });
  return JSON.parse(output.toString('utf8')) as CliIndexResult;
}

export async function indexBench(projectRoot: string): Promise<BenchResult[]> {
  const corpus = prepareCorpus(projectRoot);
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-bench-'));
  const parseTimes: number[] = [];
  const parseNoJsDocTimes: number[] = [];
  const coldTimes: number[] = [];
  const listFile = path.join(dbDir, 'files.json');
  fs.writeFileSync(listFile, JSON.stringify(corpus.files));
  let parseRss = 0;
  let indexRss = 0;
  let totals: CliIndexResult | undefined;

  // Round 0 warms the OS file cache and is not counted. Contenders alternate so that noise hits both.
  for (let round = 0; round <= ROUNDS; round++) {
    const parse = bareParse(projectRoot, corpus.root, listFile);
    const parseNoJsDoc = bareParse(projectRoot, corpus.root, listFile, 'nojsdoc');
    totals = cliIndex(projectRoot, corpus.root, path.join(dbDir, `cold-${round}.db`));
    if (round === 0) continue;
    parseNoJsDocTimes.push(parseNoJsDoc.durationMs);
    parseTimes.push(parse.durationMs);
    parseRss = Math.max(parseRss, parse.maxRssBytes);
    coldTimes.push(totals.durationMs);
    indexRss = Math.max(indexRss, totals.maxRssBytes);
  }
  if (totals!.files !== corpus.files.length) throw new Error(`the CLI indexed ${totals!.files} files, the baseline parsed ${corpus.files.length}`);

  const warmTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) warmTimes.push(cliIndex(projectRoot, corpus.root, path.join(dbDir, `cold-${ROUNDS}.db`)).durationMs);

  // Single-file edits, in process (as the daemon does on a save), on the last cold database.
  const db = openDatabase(path.join(dbDir, `cold-${ROUNDS}.db`));
  const indexer = new WorkspaceIndexer({ root: corpus.root, store: new IndexStore(db), listWorkspaceFiles: listWith(corpus.root) });
  await indexer.indexWorkspace();
  // A typical source file: the TypeScript file closest to 8 KB.
  const sizeOf = (file: string) => fs.statSync(path.join(corpus.root, file)).size;
  const target = corpus.files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')).sort((a, b) => Math.abs(sizeOf(a) - 8192) - Math.abs(sizeOf(b) - 8192))[0] ?? corpus.files[0];
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
  console.log(`index corpus: ${corpus.files.length} files (${totals!.symbols} symbols, ${totals!.imports} imports), ${ROUNDS} rounds, medians`);
  return [
    row('bare parse (baseline)', parseMedian, 1, `read + ts.createSourceFile, fresh process; peak RSS ${mib(parseRss)}`),
    row('bare parse without JSDoc', median(parseNoJsDocTimes), median(parseNoJsDocTimes) / parseMedian, 'the parse mode the indexer uses: like for like'),
    row('cold index (diffwise index)', coldMedian, coldMedian / parseMedian, `empty database, fresh process; peak RSS ${mib(indexRss)}; ${(coldMedian / median(parseNoJsDocTimes)).toFixed(2)}x the like-for-like parse; target <= 1.3x`, coldMedian / parseMedian <= 1.3),
    row('warm pass, nothing changed', median(warmTimes), median(warmTimes) / parseMedian, 'git ls-files + stat'),
    row('re-index one changed file', median(editTimes), median(editTimes) / parseMedian, `${target} (${(sizeOf(target) / 1024).toFixed(1)} KB), in process; target < 5 ms`, median(editTimes) < 5),
  ];
}

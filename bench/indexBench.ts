/**
 * Index speed against a bare parse of the same files, in the same process:
 *  - cold: a full index into an empty database vs read + `ts.createSourceFile` of every file;
 *  - warm: a pass over an unchanged workspace, in a fresh process as a CLI review pays it;
 *  - after a branch switch and back: every package.json rewritten with the same content;
 *  - one file edited, in a fresh process;
 *  - one changed file: `indexFiles([path])` after an edit, as on a save.
 * Medians of several rounds, alternated so that noise hits both contenders alike.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { GitRepository } from '../server/git/repository';
import { WorkspaceIndexer } from '../server/index/indexer';
import { openDatabase } from '../server/store/database';
import { IndexStore } from '../server/store/indexStore';
import { prepareCorpus } from './corpus';
import { median, mib, row, type BenchResult } from './stats';

const ROUNDS = 5;
const EDIT_ROUNDS = 60;
/** A branch of the corpus whose package.json files differ from main's (a trailing newline). */
const SWITCH_BRANCH = 'bench-switch';

/** The baseline in its own process: see bareParse.ts. */
function bareParse(projectRoot: string, root: string, listFile: string, mode = 'default'): { durationMs: number; maxRssBytes: number } {
  const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench', 'bareParse.ts'), root, listFile, mode], { cwd: projectRoot });
  return JSON.parse(output.toString('utf8')) as { durationMs: number; maxRssBytes: number };
}

interface CliIndexResult {
  files: number;
  symbols: number;
  imports: number;
  reparsed: number;
  mode?: string;
  durationMs: number;
  maxRssBytes: number;
  /** The whole process, Node's start-up and the bundle's load included: what a CLI review pays. */
  wallMs: number;
}

/** The shipped CLI, as a user runs it; its own durationMs leaves out Node's start-up. */
function cliIndex(projectRoot: string, repo: string, db: string): CliIndexResult {
  const started = performance.now();
  const output = execFileSync(process.execPath, [path.join(projectRoot, 'dist', 'cli.js'), 'index', '--json', '--repo', repo, '--db', db], { maxBuffer: 16 << 20 });
  return { ...(JSON.parse(output.toString('utf8')) as CliIndexResult), wallMs: performance.now() - started };
}

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], { cwd: root, maxBuffer: 64 << 20 }).toString('utf8');
}

/**
 * The corpus copies sources only; a monorepo has a package.json per package, which
 * the resolver reads and a branch switch rewrites. Gives the corpus the manifests of
 * the packages it was copied from (on main), and a branch where each differs.
 */
function ensureManifests(projectRoot: string, root: string, files: readonly string[]): number {
  const hasBranch = () => { try { git(root, 'rev-parse', '--verify', '--quiet', `refs/heads/${SWITCH_BRANCH}`); return true; } catch { return false; } };
  const count = () => git(root, 'ls-files', '-z', '--', '*package.json').split('\0').filter(Boolean).length;
  if (hasBranch()) return count();
  // The same source roots as corpus.ts, `nm/` back to `node_modules/`.
  const sourceRoots = [path.join(projectRoot, 'node_modules'), path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm')];
  const dirs = new Set<string>();
  for (const file of files) for (let dir = path.posix.dirname(file); dir !== '.'; dir = path.posix.dirname(dir)) dirs.add(dir);
  const manifests: string[] = [];
  for (const dir of dirs) {
    const match = /^src(\d+)(?:\/(.*))?$/.exec(dir);
    if (!match) continue;
    const original = path.join(sourceRoots[Number(match[1])] ?? '', (match[2] ?? '').replace(/(^|\/)nm\//g, '$1node_modules/').replace(/(^|\/)nm$/, '$1node_modules'), 'package.json');
    if (!fs.existsSync(original)) continue;
    fs.copyFileSync(original, path.join(root, dir, 'package.json'));
    manifests.push(`${dir}/package.json`);
  }
  git(root, 'add', '--', ...manifests);
  git(root, 'commit', '-q', '-m', 'bench: package manifests');
  git(root, 'checkout', '-q', '-b', SWITCH_BRANCH);
  for (const manifest of manifests) fs.appendFileSync(path.join(root, manifest), '\n');
  git(root, 'commit', '-q', '-a', '-m', 'bench: every manifest differs');
  git(root, 'checkout', '-q', 'main');
  return manifests.length;
}

export async function indexBench(projectRoot: string): Promise<BenchResult[]> {
  const corpus = prepareCorpus(projectRoot);
  const manifests = ensureManifests(projectRoot, corpus.root, corpus.files);
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

  // Fresh processes on the last cold database, as each CLI review is.
  const warmDb = path.join(dbDir, `cold-${ROUNDS}.db`);
  const warm: CliIndexResult[] = [];
  for (let round = 0; round < ROUNDS; round++) warm.push(cliIndex(projectRoot, corpus.root, warmDb));
  // There and back: every package.json is rewritten, its content as before.
  const switched: CliIndexResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    git(corpus.root, 'checkout', '-q', SWITCH_BRANCH);
    git(corpus.root, 'checkout', '-q', 'main');
    switched.push(cliIndex(projectRoot, corpus.root, warmDb));
  }
  const sizeOf = (file: string) => fs.statSync(path.join(corpus.root, file)).size;
  // A typical source file: the TypeScript file closest to 8 KB.
  const target = corpus.files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')).sort((a, b) => Math.abs(sizeOf(a) - 8192) - Math.abs(sizeOf(b) - 8192))[0] ?? corpus.files[0];
  const targetPath = path.join(corpus.root, target);
  const original = fs.readFileSync(targetPath, 'utf8');
  const edited: CliIndexResult[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      fs.writeFileSync(targetPath, `${original}\nexport const benchCliEdit${round} = ${round};\n`);
      const result = cliIndex(projectRoot, corpus.root, warmDb);
      if (result.reparsed !== 1) throw new Error(`expected one file re-parsed, got ${result.reparsed}`);
      edited.push(result);
    }
  } finally {
    fs.writeFileSync(targetPath, original);
  }

  // Single-file edits, in process (as the daemon does on a save), on the last cold database.
  const db = openDatabase(path.join(dbDir, `cold-${ROUNDS}.db`));
  const indexer = new WorkspaceIndexer({ root: corpus.root, store: new IndexStore(db), git: await GitRepository.open(corpus.root) });
  await indexer.indexWorkspace();
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
  const likeForLike = median(parseNoJsDocTimes);
  const coldMedian = median(coldTimes);
  const pass = (results: CliIndexResult[]) => median(results.map((result) => result.durationMs));
  const describe = (results: CliIndexResult[]) =>
    `fresh process, ${median(results.map((result) => result.wallMs)).toFixed(0)} ms with start-up; ${[...new Set(results.map((result) => result.mode ?? 'full'))].join('/')}`;
  console.log(`index corpus: ${corpus.files.length} files (${totals!.symbols} symbols, ${totals!.imports} imports), ${manifests} package.json, ${ROUNDS} rounds, medians`);
  return [
    row('bare parse (baseline)', parseMedian, 1, `read + ts.createSourceFile, fresh process; peak RSS ${mib(parseRss)}`),
    row('bare parse without JSDoc', likeForLike, likeForLike / parseMedian, 'the parse mode the indexer uses: like for like'),
    row('cold index (diffwise index)', coldMedian, coldMedian / parseMedian, `empty database, fresh process; peak RSS ${mib(indexRss)}; ${(coldMedian / likeForLike).toFixed(2)}x the like-for-like parse; target <= 1.2x that`, coldMedian / likeForLike <= 1.2),
    row('warm pass, nothing changed', pass(warm), pass(warm) / parseMedian, describe(warm)),
    row('after a branch switch and back', pass(switched), pass(switched) / parseMedian, `${manifests} package.json rewritten, same content; ${describe(switched)}`),
    row('warm pass, one file edited', pass(edited), pass(edited) / parseMedian, describe(edited)),
    row('re-index one changed file', median(editTimes), median(editTimes) / parseMedian, `${target} (${(sizeOf(target) / 1024).toFixed(1)} KB), in process; target < 5 ms`, median(editTimes) < 5),
  ];
}

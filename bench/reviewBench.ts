/**
 * Review latency.
 *  - `npm run bench review`: a 50-file branch, from the review request to the
 *    last diagnostic reaching an LSP client (the daemon, warm, as in the editor),
 *    and a cold `diffwise review` from the terminal; the baseline is `git diff`
 *    of the same range, the least any review of that change has to do.
 *  - `npm run bench targets`: issue 14's targets on the bench corpus, by fresh
 *    CLI processes against `node -e 0` (targetsBench, below).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ts } from 'ts-morph';
import { ReviewRequest } from '../shared/protocol';
import { cleanupRepos, commitAll, git, gitEnv, makeRepo, write } from '../test/helpers/gitRepo';
import { TestLspClient } from '../test/helpers/lspClient';
import { prepareCorpus } from './corpus';
import { median, row, type BenchResult } from './stats';

const FILES = 50;
const ROUNDS = 7;

/** A repository whose `feature` branch changes 50 files: breaking changes with callers, debug prints, plain edits. */
export function makeBranch(): string {
  const repo = makeRepo();
  for (let i = 0; i < FILES; i++) {
    const next = (i + 1) % FILES;
    write(repo, `src/module${i}.ts`, [
      `import { compute${next} } from './module${next}';`,
      '',
      `export function compute${i}(value: number): number {`,
      `  return value > ${i} ? value : compute${next}(value + 1);`,
      '}',
      '',
      `export const label${i} = 'module ${i}';`,
      '',
    ].join('\n'));
  }
  commitAll(repo, 'base');
  git(repo, 'checkout', '-q', '-b', 'feature');
  for (let i = 0; i < FILES; i++) {
    const next = (i + 1) % FILES;
    const breaking = i % 5 === 0;
    write(repo, `src/module${i}.ts`, [
      `import { compute${next} } from './module${next}';`,
      '',
      `export function compute${i}(value: number${breaking ? ', scale: number' : ''}): number {`,
      i % 3 === 0 ? `  console.log('compute${i}', value);` : '  // checked',
      `  return value > ${i} ? value : compute${next}(value + 1${(next % 5 === 0) ? ', 1' : ''});`,
      '}',
      '',
      `export const label${i} = 'module ${i} (changed)';`,
      '',
    ].join('\n'));
  }
  commitAll(repo, 'feature');
  return repo;
}

export async function reviewBench(projectRoot: string): Promise<BenchResult[]> {
  const repo = makeBranch();
  const cli = path.join(projectRoot, 'dist', 'cli.js');
  const diffTimes: number[] = [];
  const cliTimes: number[] = [];
  const lspTimes: number[] = [];
  let findings = 0;
  const client = await TestLspClient.start(repo);
  try {
    await client.waitFor(() => client.statuses.some((status) => status.state === 'idle'), 'the first index');
    for (let round = 0; round <= ROUNDS; round++) {
      let started = performance.now();
      execFileSync('git', ['diff', 'main...feature'], { cwd: repo, maxBuffer: 16 << 20 });
      const diffMs = performance.now() - started;

      started = performance.now();
      execFileSync(process.execPath, [cli, 'review', '--base', 'main', '--format', 'json', '--fail-on', 'never'], { cwd: repo, maxBuffer: 16 << 20 });
      const cliMs = performance.now() - started;

      client.diagnostics.clear();
      started = performance.now();
      const document = await client.connection.sendRequest(ReviewRequest.type, { scope: 'branch', base: 'main' });
      const files = new Set(document.findings.map((finding) => finding.file));
      await client.waitFor(() => [...files].every((file) => client.diagnosticsFor(repo, file).length > 0), 'every file\'s diagnostics');
      const lspMs = performance.now() - started;
      findings = document.findings.length;
      if (round === 0) continue; // warm-up
      diffTimes.push(diffMs);
      cliTimes.push(cliMs);
      lspTimes.push(lspMs);
    }
  } finally {
    await client.stop();
    cleanupRepos();
  }
  const baseline = median(diffTimes);
  console.log(`review corpus: a branch changing ${FILES} files, ${findings} findings, ${ROUNDS} rounds, medians`);
  return [
    row('git diff (baseline)', baseline, 1, 'git diff main...feature, a process'),
    row('review → diagnostics (daemon)', median(lspTimes), median(lspTimes) / baseline, 'LSP request until the last file has its diagnostics; index warm'),
    row('diffwise review (CLI)', median(cliTimes), median(cliTimes) / baseline, 'a fresh process: start-up, index check, review, JSON'),
  ];
}

/*
 * ---------------------------------------------------------------------------
 * `npm run bench targets`: issue 14's review targets, on the bench corpus
 * (bench/corpus.ts: the real TS/JS of node_modules, ~16,000 files), by fresh
 * `diffwise` processes, against `node -e 0` measured in the same rounds:
 *  1. an unchanged branch re-reviewed, cache warm: ≤ 3× node -e 0;
 *  2. a p90 pull request (5 files, 250 lines), index built, cache empty:
 *     < 1.5 s when it touches exports (the type-checked check runs), < 1 s when not;
 *  3. from an empty database, review (index + review) ≤ 1.2× index alone.
 * Stage times come from the runs table (stage_ms); the checker's share of
 * rule:breaking-change, and where an unchanged re-review spends its time, from
 * CPU profiles of one more run each.
 * ---------------------------------------------------------------------------
 */

/** The real modules (the OpenAI SDK's sources in the corpus) a p90 pull request changes; the first one's change breaks callers. */
const P90_MODULES = ['lib/parser.ts', 'core/streaming.ts', 'internal/uploads.ts', 'internal/headers.ts', 'internal/qs/utils.ts'].map((file) => `src0/openai/src/${file}`);
/** Changed lines per module: 5 × 50 = 250, a p90 pull request. */
const LINES_PER_MODULE = 50;
const TARGET_ROUNDS = 9;
const COLD_ROUNDS = 5;
const INDEX_ROUNDS = 3;
/** Bump when the branches change: the target repository is made again. */
const TARGETS_LAYOUT = 1;

type Variant = 'exports' | 'internal';

/**
 * About LINES_PER_MODULE changed lines in one real module. `internal`: only
 * lines of declarations that are not exported, and a new helper that is not
 * exported either (no export's text changes). `exports`: edited lines anywhere,
 * an optional parameter on an exported function, a new exported function, and
 * with `breaking` a required parameter on another exported function.
 */
export function editModule(fileName: string, text: string, variant: Variant, breaking: boolean): { text: string; changed: number } {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const isExported = (statement: ts.Statement) => ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)
    || (ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword));
  const inserts: Array<{ pos: number; text: string }> = [];
  let changed = 0;
  if (variant === 'exports') {
    // Exported functions, declared or as `export const f = (...) =>`, whose parameters can take one more.
    const functions: ts.SignatureDeclaration[] = [];
    for (const statement of source.statements) {
      if (!isExported(statement)) continue;
      if (ts.isFunctionDeclaration(statement) && statement.body) functions.push(statement);
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (declaration.initializer && (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer))) functions.push(declaration.initializer);
        }
      }
    }
    const extendable = functions.filter((fn) => !fn.parameters.some((parameter) => parameter.dotDotDotToken));
    const allRequired = (fn: ts.SignatureDeclaration) => fn.parameters.every((parameter) => !parameter.questionToken && !parameter.initializer);
    const add = (fn: ts.SignatureDeclaration, parameter: string) => {
      inserts.push({ pos: fn.parameters.end, text: `${!fn.parameters.length ? '' : fn.parameters.hasTrailingComma ? ' ' : ', '}${parameter}` });
      changed++;
    };
    const optional = extendable[0];
    if (optional) add(optional, 'trace?: boolean');
    const required = breaking ? extendable.find((fn) => fn !== optional && allRequired(fn)) : undefined;
    if (required) add(required, 'strict: boolean');
  }
  // Edited lines: statements inside declarations (never a declaration's first or last line).
  const lines = text.split('\n');
  const editable = new Set<number>();
  for (const statement of source.statements) {
    if (variant === 'internal' && isExported(statement)) continue;
    const first = lineOf(statement.getStart(source));
    const last = lineOf(statement.end);
    for (let line = first + 1; line < last; line++) if (/^\s+(const|let|return|throw) [^`]*;\s*$/.test(lines[line])) editable.add(line);
  }
  const editBudget = Math.floor(LINES_PER_MODULE / 2) - changed;
  const edited = [...editable].slice(0, editBudget);
  changed += edited.length;
  // Applied from the end, so that the earlier positions still hold.
  let result = text;
  for (const insert of inserts.sort((a, b) => b.pos - a.pos)) result = result.slice(0, insert.pos) + insert.text + result.slice(insert.pos);
  const resultLines = result.split('\n');
  // The inserted parameters are on the declarations' lines, never on an edited one.
  for (const line of edited) resultLines[line] = resultLines[line].replace(/;\s*$/, '; // reviewed');
  const name = path.basename(fileName, path.extname(fileName)).replace(/\W/g, '_');
  const bodyLines = Math.max(1, LINES_PER_MODULE - changed - 4);
  const block = [
    '',
    `${variant === 'exports' ? 'export ' : ''}function reviewed_${name}(input: string): number {`,
    ...Array.from({ length: bodyLines }, (_, i) => `  const step${i} = input.length + ${i};`),
    `  return step${bodyLines - 1};`,
    '}',
  ];
  changed += block.length;
  return { text: `${resultLines.join('\n').replace(/\n*$/, '\n')}${block.join('\n')}\n`, changed };
}

interface TargetRepo {
  root: string;
  files: number;
  /** Changed lines per branch, as git counts them (insertions + deletions). */
  numstat: Record<Variant, { files: number; added: number; deleted: number }>;
}

/**
 * A clone of the corpus under `.bench/targets/repo` (made once; the corpus itself
 * is left as indexBench expects it) with branches `p90-exports` and
 * `p90-internal`, each one commit on `main` changing P90_MODULES.
 */
function prepareTargetRepo(projectRoot: string): TargetRepo {
  const corpus = prepareCorpus(projectRoot);
  const root = path.join(projectRoot, '.bench', 'targets', 'repo');
  // The corpus's main, whatever it has checked out (indexBench switches branches in it).
  const corpusHead = git(corpus.root, 'rev-parse', 'refs/heads/main');
  const marker = path.join(root, '.git', 'diffwise-targets-ready');
  const identity = `${TARGETS_LAYOUT} ${corpusHead}`;
  if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== identity) {
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(root), { recursive: true });
    execFileSync('git', ['clone', '-q', '--local', '--no-checkout', corpus.root, root], { env: gitEnv });
    git(root, 'checkout', '-q', '-B', 'main', corpusHead);
    git(root, 'config', 'user.name', 'bench');
    git(root, 'config', 'user.email', 'bench@localhost');
    for (const variant of ['exports', 'internal'] as const) {
      git(root, 'checkout', '-q', '-B', `p90-${variant}`, 'main');
      P90_MODULES.forEach((file, i) => {
        const full = path.join(root, file);
        if (!fs.existsSync(full)) throw new Error(`${file} is not in the corpus (another openai version in node_modules?): choose P90_MODULES again`);
        fs.writeFileSync(full, editModule(file, fs.readFileSync(full, 'utf8'), variant, i === 0).text);
      });
      git(root, 'commit', '-q', '-a', '-m', `a p90 pull request (${variant})`);
    }
    git(root, 'checkout', '-q', 'main');
    fs.writeFileSync(marker, identity);
  }
  const numstat = (variant: Variant) => {
    const rows = git(root, 'diff', '--numstat', `main...p90-${variant}`).split('\n').filter(Boolean).map((line) => line.split('\t').map(Number));
    return { files: rows.length, added: rows.reduce((total, [added]) => total + added, 0), deleted: rows.reduce((total, [, deleted]) => total + deleted, 0) };
  };
  return { root, files: corpus.files.length, numstat: { exports: numstat('exports'), internal: numstat('internal') } };
}

interface CliRun {
  wallMs: number;
  /** The review's own duration (what the run records), and its stages. */
  durationMs: number;
  stageMs: Record<string, number>;
  hunks: number;
  cacheHits: number;
  findings: number;
  breaking: number;
  status: string;
}

function timeProcess(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): { wallMs: number; stdout: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, env: env ?? process.env, maxBuffer: 64 << 20, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { wallMs, stdout: result.stdout };
}

/**
 * The CLI's environment: no LLM, no developer settings, and a code cache of this run's own
 * (bundleLoader.ts): in the user's shared folder, another build run meanwhile (a colleague's
 * `npm run build`, another checkout's bench) replaces the cache file, and every run is a miss.
 */
const CLI_ENV: NodeJS.ProcessEnv = { ...gitEnv, DIFFWISE_LLM: 'off', DIFFWISE_COMPILE_CACHE: path.join(os.tmpdir(), `diffwise-bench-code-cache-${process.pid}`) };

function cliReview(cli: string, repo: string, db: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): CliRun {
  const { wallMs, stdout } = timeProcess([...extra, cli, 'review', '--base', 'main', '--format', 'json', '--fail-on', 'never', '--no-llm', '--repo', repo, '--db', db], repo, { ...CLI_ENV, ...env });
  const document = JSON.parse(stdout) as { run: { id: string; durationMs: number; hunks: number; cacheHits: number; status: string }; findings: Array<{ ruleId: string }> };
  // The stages are not in the review document: the runs table has them (what `diffwise metrics` reads).
  const store = new Database(db, { readonly: true });
  let stored: { stage_ms: string | null } | undefined;
  try {
    stored = store.prepare('SELECT stage_ms FROM review_runs WHERE id = ?').get(document.run.id) as { stage_ms: string | null } | undefined;
  } finally {
    store.close();
  }
  const stageMs = JSON.parse(stored?.stage_ms ?? '{}') as Record<string, number>;
  return {
    wallMs, durationMs: document.run.durationMs, stageMs, hunks: document.run.hunks, cacheHits: document.run.cacheHits, status: document.run.status,
    findings: document.findings.length, breaking: document.findings.filter((finding) => finding.ruleId === 'breaking-change').length,
  };
}

function cliIndexMs(cli: string, repo: string, db: string): number {
  return timeProcess([cli, 'index', '--json', '--repo', repo, '--db', db], repo, CLI_ENV).wallMs;
}

/** A copy of a closed database (and of its WAL, if one was left), so that every round starts from the same state. */
function copyDb(from: string, to: string): void {
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${to}${suffix}`, { force: true });
  fs.copyFileSync(from, to);
  for (const suffix of ['-wal']) if (fs.existsSync(`${from}${suffix}`)) fs.copyFileSync(`${from}${suffix}`, `${to}${suffix}`);
}

/** Median of each stage over the runs; `start-up + exit` is the process's wall time the run does not cover. */
function stageMedians(runs: readonly CliRun[]): Map<string, number> {
  const names = new Set<string>(['start-up + exit', 'review (run.durationMs)']);
  for (const run of runs) for (const name of Object.keys(run.stageMs)) names.add(name);
  const medians = new Map<string, number>();
  for (const name of names) {
    medians.set(name, median(runs.map((run) => {
      if (name === 'start-up + exit') return run.wallMs - run.durationMs;
      if (name === 'review (run.durationMs)') return run.durationMs;
      return run.stageMs[name] ?? 0;
    })));
  }
  return medians;
}

export interface TargetsResult {
  tables: Array<{ title: string; rows: BenchResult[] }>;
  grids: Array<{ title: string; header: string[]; rows: string[][] }>;
  /** Printed as is: the CPU profiles' summaries. */
  profiles: string[];
}

export async function targetsBench(projectRoot: string): Promise<TargetsResult> {
  const cli = path.join(projectRoot, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const target = prepareTargetRepo(projectRoot);
  const repo = target.root;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-targets-'));
  const nodeTimes: number[] = [];
  const baselineRound = () => nodeTimes.push(timeProcess(['-e', '0'], dir).wallMs);
  const describe = (variant: Variant) => {
    const stat = target.numstat[variant];
    return `${stat.files} files, +${stat.added} −${stat.deleted} lines`;
  };
  console.log(`targets corpus: ${repo}, ${target.files} indexable files (issue 14 asks for 7,000); p90-exports: ${describe('exports')}; p90-internal: ${describe('internal')}`);
  const profiles: string[] = [];
  const checkerShare: Partial<Record<Variant, number>> = {};
  try {
    // 2. Index built, cache empty: every round reviews from a copy of the same indexed database.
    const cold: Record<Variant, CliRun[]> = { exports: [], internal: [] };
    for (const variant of ['exports', 'internal'] as const) {
      git(repo, 'checkout', '-q', `p90-${variant}`);
      const indexed = path.join(dir, `indexed-${variant}.db`);
      cliIndexMs(cli, repo, indexed);
      for (let round = 0; round <= COLD_ROUNDS; round++) {
        baselineRound();
        const db = path.join(dir, `cold-${variant}.db`);
        copyDb(indexed, db);
        const run = cliReview(cli, repo, db);
        if (round > 0) cold[variant].push(run); // round 0 warms the OS's file cache
      }
      copyDb(indexed, path.join(dir, `cold-${variant}.db`));
      const profiled = profileRun(`p90 ${variant}, index built, cache empty`, cli, repo, path.join(dir, `cold-${variant}.db`), dir);
      profiles.push(profiled.text);
      checkerShare[variant] = profiled.checkerShare;
    }

    // 1. Unchanged and re-reviewed: the cache warm from the reviews before, nothing changed since.
    git(repo, 'checkout', '-q', 'p90-exports');
    const warmDb = path.join(dir, 'indexed-exports.db');
    cliReview(cli, repo, warmDb);
    cliReview(cli, repo, warmDb);
    const unchanged: CliRun[] = [];
    for (let round = 0; round < TARGET_ROUNDS; round++) {
      baselineRound();
      unchanged.push(cliReview(cli, repo, warmDb));
    }
    const unchangedProfile = profileRun('unchanged re-review, cache warm', cli, repo, warmDb, dir);
    profiles.unshift(unchangedProfile.text);

    // 3. From an empty database: index alone vs review (which indexes first), alternated.
    const indexTimes: number[] = [];
    const coldReviews: CliRun[] = [];
    for (let round = 0; round < INDEX_ROUNDS; round++) {
      const indexDb = path.join(dir, `empty-index-${round}.db`);
      const reviewDb = path.join(dir, `empty-review-${round}.db`);
      indexTimes.push(cliIndexMs(cli, repo, indexDb));
      coldReviews.push(cliReview(cli, repo, reviewDb));
      baselineRound();
      for (const db of [indexDb, reviewDb]) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${db}${suffix}`, { force: true });
    }

    const node = median(nodeTimes);
    const wall = (runs: readonly CliRun[]) => median(runs.map((run) => run.wallMs));
    const unchangedMs = wall(unchanged);
    const hitRate = (runs: readonly CliRun[]) => {
      const hunks = runs.reduce((total, run) => total + run.hunks, 0);
      return hunks ? runs.reduce((total, run) => total + run.cacheHits, 0) / hunks : 0;
    };
    const exportsMs = wall(cold.exports);
    const internalMs = wall(cold.internal);
    const indexMs = median(indexTimes);
    const coldReviewMs = wall(coldReviews);
    const rows: BenchResult[] = [
      row('node -e 0 (baseline)', node, 1, `Node itself, ${nodeTimes.length} rounds alternated with the others`),
      row('1. unchanged re-review', unchangedMs, unchangedMs / node,
        `p90-exports again, cache warm (hits ${(hitRate(unchanged) * 100).toFixed(0)}%), ${unchanged[0].findings} findings, ${unchangedProfile.gitProcesses} git processes; target ≤ 3× node -e 0`, unchangedMs <= 3 * node),
      row('2a. p90, exports, cache empty', exportsMs, exportsMs / node,
        `${describe('exports')}, index built; ${cold.exports[0].breaking} breaking-change findings; target < 1500 ms`, exportsMs < 1500),
      row('2b. p90, no export, cache empty', internalMs, internalMs / node, `${describe('internal')}, index built; target < 1000 ms`, internalMs < 1000),
      row('3. index, empty database', indexMs, indexMs / node, `diffwise index of ${target.files} files (the baseline of 3.)`),
      row('3. review, empty database', coldReviewMs, coldReviewMs / node,
        `index + review of p90-exports: ${(coldReviewMs / indexMs).toFixed(2)}× the index alone; target ≤ 1.2×`, coldReviewMs <= 1.2 * indexMs),
    ];
    const columns: Array<[string, CliRun[], number | undefined]> = [
      ['1. unchanged', unchanged, undefined], ['2a. exports', cold.exports, checkerShare.exports], ['2b. no export', cold.internal, checkerShare.internal], ['3. empty db', coldReviews, undefined],
    ];
    const medians = columns.map(([, runs, share]) => {
      const stages = stageMedians(runs);
      // Not a stage of its own: the rule's time times the checker's share of it in the profiled run.
      if (share !== undefined) stages.set('  of it, the checker*', (stages.get('rule:breaking-change') ?? 0) * share);
      return stages;
    });
    const names = [...new Set(medians.flatMap((entry) => [...entry.keys()]))];
    const order = (name: string) => ['start-up + exit', 'review (run.durationMs)', 'diff', 'index', 'read', 'cache'].indexOf(name);
    names.sort((a, b) => (order(a) === -1 ? 99 : order(a)) - (order(b) === -1 ? 99 : order(b)));
    // The checker right under its rule.
    const checkerRow = names.indexOf('  of it, the checker*');
    if (checkerRow >= 0) names.splice(names.indexOf('rule:breaking-change') + 1, 0, ...names.splice(checkerRow, 1));
    const grid = {
      title: 'Stage medians of the runs above, ms (stage_ms of the runs table: "cache" is the keys and look-ups, rule:* each rule; *compareModules\' share of the rule in the profiled run below, times the rule\'s median)',
      header: ['stage', ...columns.map(([name]) => name)],
      rows: [
        ['process (wall)', ...columns.map(([, runs]) => wall(runs).toFixed(0))],
        ...names.map((name) => [name, ...medians.map((entry) => (entry.has(name) ? entry.get(name)!.toFixed(0) : '-'))]),
      ],
    };
    return { tables: [{ title: `Review targets (issue 14), fresh CLI processes on the bench corpus (${target.files} files), ratios against node -e 0`, rows }], grids: [grid], profiles };
  } finally {
    git(repo, 'checkout', '-q', 'main');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(CLI_ENV.DIFFWISE_COMPILE_CACHE!, { recursive: true, force: true });
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/**
 * Functions whose time with everything they call is worth its own line:
 * [label, source file, function name]. Synchronous ones only: an async
 * function's work after an await is not under its frame (stage_ms has those).
 */
const CHECKPOINTS: Array<[string, string, string]> = [
  ['loading dist/commands.js (require)', 'server/cli/main.ts', 'loadCommands'],
  ['ReviewCache.partition (keys, look-ups)', 'server/review/reviewCache.ts', 'partition'],
  ['ReviewCache.store', 'server/review/reviewCache.ts', 'store'],
  ['compareModules (the checker)', 'server/review/compatibility/moduleComparison.ts', 'compareModules'],
];

/** What one profiled run says: the summary to print, and the checker's share of rule:breaking-change. */
interface ProfiledRun {
  text: string;
  checkerShare: number;
  /** How many git processes the run started (GIT_TRACE). */
  gitProcesses: number;
}

/** Where a bundled function came from, by the bundle's source map: a file of ours, or a package. */
class SourceLocator {
  private readonly maps = new Map<string, SourceMap | null>();

  locate(frame: ProfileNode['callFrame']): { module: string; line: number } {
    if (!frame.url) return { module: frame.functionName.startsWith('(') ? frame.functionName : '(V8 built-ins)', line: 0 };
    if (frame.url.startsWith('node:')) return { module: 'node: internals', line: frame.lineNumber + 1 };
    const file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
    let map = this.maps.get(file);
    if (map === undefined) {
      map = fs.existsSync(`${file}.map`) ? new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload) : null;
      this.maps.set(file, map);
    }
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
    const original = entry?.originalSource ? (entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(file), entry.originalSource)) : file;
    return { module: moduleOf(original), line: (entry?.originalLine ?? frame.lineNumber) + 1 };
  }
}

function moduleOf(file: string): string {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at >= 0) return parts[at + 1]?.startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  const server = parts.lastIndexOf('server');
  const shared = parts.lastIndexOf('shared');
  const from = Math.max(server, shared);
  if (from >= 0) return parts.slice(from).join('/');
  // A bundle's own lines (esbuild's helpers), wherever its source map says it was built.
  return parts.at(-2) === 'dist' ? `dist/${parts.at(-1)} (bundler helpers)` : file;
}

/**
 * One more run of the same review under `--cpu-prof` (and GIT_TRACE, to count
 * the git processes), summarised: the checkpoints, top self time by module and by function.
 */
function profileRun(label: string, cli: string, repo: string, db: string, dir: string): ProfiledRun {
  const profileDir = fs.mkdtempSync(path.join(dir, 'profile-'));
  const trace = path.join(profileDir, 'git-trace.txt');
  const run = cliReview(cli, repo, db, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`], { GIT_TRACE: trace });
  const gitProcesses = fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8').split('\n').filter((line) => / trace: built-in: git /.test(line)).map((line) => line.replace(/^.* trace: built-in: git /, '').split(' ')[0]) : [];
  const gitCounts = new Map<string, number>();
  for (const command of gitProcesses) gitCounts.set(command, (gitCounts.get(command) ?? 0) + 1);
  const [file] = fs.readdirSync(profileDir).filter((entry) => entry.endsWith('.cpuprofile'));
  const profile = JSON.parse(fs.readFileSync(path.join(profileDir, file), 'utf8')) as CpuProfile;
  const keep = path.join(path.dirname(repo), `${label.replace(/\W+/g, '-')}.cpuprofile`);
  fs.copyFileSync(path.join(profileDir, file), keep);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const locator = new SourceLocator();
  const located = new Map(profile.nodes.map((node) => [node.id, locator.locate(node.callFrame)]));
  const total = (profile.endTime - profile.startTime) / 1000;
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    const where = located.get(node.id)!;
    byModule.set(where.module, (byModule.get(where.module) ?? 0) + ms);
    const name = `${node.callFrame.functionName || '(anonymous)'}  ${where.module}${where.line ? `:${where.line}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }
  // Inclusive time of a checkpoint: its subtrees, not counted twice where it calls itself.
  const inclusive = (node: ProfileNode): number => (self.get(node.id) ?? 0) + (node.children ?? []).reduce((sum, child) => sum + inclusive(byId.get(child)!), 0);
  const checkpoint = (suffix: string, name: string): number => {
    let sum = 0;
    const visit = (node: ProfileNode) => {
      const where = located.get(node.id)!;
      if (node.callFrame.functionName === name && where.module.endsWith(suffix)) {
        sum += inclusive(node);
        return;
      }
      for (const child of node.children ?? []) visit(byId.get(child)!);
    };
    visit(profile.nodes[0]);
    return sum;
  };
  const top = (entries: Map<string, number>, count: number) => [...entries].sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([name, ms]) => `    ${ms.toFixed(0).padStart(6)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  const text = [
    `\nCPU profile: ${label} (one more run, under --cpu-prof: wall ${run.wallMs.toFixed(0)} ms, review ${run.durationMs} ms, profile ${total.toFixed(0)} ms; kept at ${keep})`,
    `  git processes: ${gitProcesses.length} (${[...gitCounts].map(([command, count]) => `${command} ×${count}`).join(', ')})`,
    '  where (inclusive time under the function, what it calls included):',
    ...CHECKPOINTS.map(([what, suffix, name]) => `    ${checkpoint(suffix, name).toFixed(0).padStart(6)} ms  ${what}`),
    '  self time by module:',
    ...top(byModule, 12),
    '  self time by function:',
    ...top(byFunction, 15),
  ].join('\n');
  // The checker's share of the rule in this run, applied to the rule's unprofiled time by the caller.
  const checker = checkpoint('server/review/compatibility/moduleComparison.ts', 'compareModules');
  const rule = run.stageMs['rule:breaking-change'] ?? 0;
  return { text, checkerShare: rule ? Math.min(1, checker / rule) : 0, gitProcesses: gitProcesses.length };
}

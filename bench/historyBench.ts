/**
 * `npm run bench history`: the review cache over real histories written by
 * others (historyCorpus.ts: npm releases of packages that ship their TypeScript
 * sources, one commit each). Each history is replayed as a branch growing one
 * commit at a time (a clone, HEAD moved commit by commit), reviewed against its
 * first commit after each step, with the cache and without it, in one process
 * (the daemon's situation). Target (issue 14): hit rate ≥ 90% over 30 commits.
 *
 * Beside the hit rate, its ceiling for a key of the changed lines only: the
 * hunks whose added and deleted lines (their text, nothing around them) were
 * already among the hunks of an earlier step's review. No key that also holds
 * context can hit more often than that. A second ceiling adds the path and the
 * top-level statements the hunk touches (the cache key's context, without its
 * module part): what is lost between the two is lost to the context.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { collectChanges } from '../server/git/changes';
import type { DiffHunk } from '../server/git/diffModel';
import { Workspace } from '../server/workspace';
import type { Finding } from '../shared/review';
import { historyPackages, prepareHistory } from './historyCorpus';
import { median, row, type BenchResult } from './stats';

/** The issue's target for the hit rate over a branch's life. */
export const HIT_RATE_TARGET = 0.9;

/**
 * The review without the cache runs at every this many steps (and at the first
 * and the last): it is the baseline and the check that the cache changes no
 * finding, but the hit rate needs only the cached reviews. 1: every step.
 * HISTORY_UNCACHED_EVERY overrides it.
 */
const UNCACHED_EVERY = Number(process.env.HISTORY_UNCACHED_EVERY ?? 3);

export interface ReplayResult {
  label: string;
  steps: number;
  /** Hunks reviewed over all the steps, and of them served by the cache. */
  hunks: number;
  hits: number;
  /** Hunks whose changed lines' text an earlier step's review had seen (the ceiling of a changed-lines key)… */
  seenLines: number;
  /**
   * …and the same with the file's path and the text of the top-level statements
   * the hunk touches (old and new) in the key: the cache's key without its
   * module part (exports, dependents) and rule set.
   */
  seenInContext: number;
  cachedMs: number[];
  /** Per step, null where the uncached review did not run (see UNCACHED_EVERY). */
  uncachedMs: Array<number | null>;
  /** Steps where the cached review's findings differ from the uncached one's: a wrong cache hit or miss. */
  disagreements: string[];
}

/** The changed lines of a hunk as the cache key reads them (no context, trailing blanks folded). */
function changedLines(hunk: DiffHunk): string {
  return hunk.lines.filter((line) => line.kind !== 'context').map((line) => `${line.kind === 'add' ? '+' : '-'}${line.text.trimEnd()}`).join('\n');
}

interface Span {
  start: number;
  end: number;
  text: string;
}

/** A script's top-level statements with their 1-based line spans; none for other files. */
function statementSpans(filePath: string | null, bytes: Buffer | null | undefined): Span[] {
  if (!filePath || !bytes || !/\.[cm]?[jt]sx?$/.test(filePath)) return [];
  const source = ts.createSourceFile(filePath, bytes.toString('utf8'), ts.ScriptTarget.Latest, true);
  const line = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  return source.statements.map((statement) => ({ start: line(statement.getStart(source)), end: line(statement.end), text: statement.getText(source) }));
}

/** The texts of the statements overlapping lines start..start+count-1 (a pure insertion touches the line it follows). */
function touched(spans: readonly Span[], start: number, count: number): string {
  const end = start + Math.max(count, 1) - 1;
  return spans.filter((span) => span.start <= end && span.end >= start).map((span) => span.text).join('\u0001');
}

function describeFinding(finding: Finding): string {
  return `${finding.ruleId} ${finding.file}:${finding.line} ${finding.id.slice(0, 8)}`;
}

/**
 * Replays `commits` of the repository at `source` (the first is the base, each
 * later one a step), in a clone so that `source` is left alone. Prints a line per step.
 */
export async function replay(source: string, commits: readonly string[], label: string): Promise<ReplayResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-history-'));
  const clone = path.join(dir, 'repo');
  execFileSync('git', ['clone', '-q', '--no-checkout', source, clone]);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: clone, encoding: 'utf8' }).trim();
  const [root, ...steps] = commits;
  git('checkout', '-q', '--detach', root);
  const cached = await Workspace.open({ dir: clone, dbPath: path.join(dir, 'cached.db') });
  const uncached = await Workspace.open({ dir: clone, dbPath: path.join(dir, 'uncached.db') });
  const result: ReplayResult = { label, steps: steps.length, hunks: 0, hits: 0, seenLines: 0, seenInContext: 0, cachedMs: [], uncachedMs: [], disagreements: [] };
  const seenLines = new Set<string>();
  const seenInContext = new Set<string>();
  console.log(`\n${label}: ${steps.length} commits, each reviewed against ${root.slice(0, 8)}`);
  try {
    for (const [i, sha] of steps.entries()) {
      git('checkout', '-q', '--detach', sha);
      // Index first, in both: the step's cost to compare is the review's.
      await cached.index();
      await uncached.index();
      const withCache = await cached.review({ scope: 'branch', base: root, trigger: 'bench', llm: { use: false } });
      const compare = i === 0 || i === steps.length - 1 || (i + 1) % Math.max(1, UNCACHED_EVERY) === 0;
      const withoutCache = compare ? await uncached.review({ scope: 'branch', base: root, trigger: 'bench', useCache: false, llm: { use: false } }) : undefined;
      if (withoutCache) {
        const ids = (findings: readonly Finding[]) => new Set(findings.map((finding) => finding.id));
        const cachedIds = ids(withCache.findings);
        const uncachedIds = ids(withoutCache.findings);
        const onlyCached = withCache.findings.filter((finding) => !uncachedIds.has(finding.id));
        const onlyUncached = withoutCache.findings.filter((finding) => !cachedIds.has(finding.id));
        if (onlyCached.length || onlyUncached.length) {
          const list = (findings: Finding[]) => `${findings.slice(0, 3).map(describeFinding).join('; ')}${findings.length > 3 ? ` and ${findings.length - 3} more` : ''}`;
          result.disagreements.push(`step ${i + 1} (${sha.slice(0, 8)}): ${onlyCached.length} only cached [${list(onlyCached)}], ${onlyUncached.length} only uncached [${list(onlyUncached)}]`);
        }
      }
      // The hunks this step reviewed, by the same diff the review read.
      const changes = await collectChanges(cached.repo, { scope: 'branch', base: root });
      const textFiles = changes.files.filter((file) => file.hunks.length);
      const [newTexts, oldTexts] = await Promise.all([
        changes.readNewMany(textFiles.flatMap((file) => (file.newPath ? [file.newPath] : []))),
        changes.readOldMany(textFiles.flatMap((file) => (file.oldPath ? [file.oldPath] : []))),
      ]);
      let stepSeen = 0;
      let stepInContext = 0;
      const stepKeys: Array<[string, string]> = [];
      for (const file of textFiles) {
        const filePath = file.newPath ?? file.oldPath ?? '';
        const newSpans = statementSpans(file.newPath, file.newPath ? newTexts.get(file.newPath) : null);
        const oldSpans = statementSpans(file.oldPath, file.oldPath ? oldTexts.get(file.oldPath) : null);
        for (const hunk of file.hunks) {
          const lines = changedLines(hunk);
          const inContext = [filePath, lines, touched(newSpans, hunk.newStart, hunk.newLines), touched(oldSpans, hunk.oldStart, hunk.oldLines)].join('\u0000');
          if (seenLines.has(lines)) stepSeen++;
          if (seenInContext.has(inContext)) stepInContext++;
          stepKeys.push([lines, inContext]);
        }
      }
      // Seen in an earlier step's review, not in this one's: added after the step is counted.
      for (const [lines, inContext] of stepKeys) {
        seenLines.add(lines);
        seenInContext.add(inContext);
      }
      result.seenLines += stepSeen;
      result.seenInContext += stepInContext;
      result.hunks += withCache.run.hunks;
      result.hits += withCache.run.cacheHits;
      result.cachedMs.push(withCache.run.durationMs);
      result.uncachedMs.push(withoutCache?.run.durationMs ?? null);
      const percent = (part: number, whole: number) => `${(whole ? (part / whole) * 100 : 100).toFixed(0).padStart(3)}%`;
      console.log(
        `  step ${String(i + 1).padStart(2)} ${sha.slice(0, 8)} ${git('log', '-1', '--format=%s').padEnd(28).slice(0, 28)} ${String(withCache.run.files).padStart(4)} files ${String(withCache.run.hunks).padStart(5)} hunks: ` +
          `${percent(withCache.run.cacheHits, withCache.run.hunks)} hits (seen: lines ${percent(stepSeen, withCache.run.hunks)}, in context ${percent(stepInContext, withCache.run.hunks)}), ` +
          `${String(withCache.run.durationMs).padStart(6)} ms cached${withoutCache ? ` vs ${String(withoutCache.run.durationMs).padStart(6)} ms uncached` : ''}, ${withCache.findings.length} findings`,
      );
    }
  } finally {
    cached.close();
    uncached.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

/** The table rows of one replay: the uncached review is the baseline. */
export function replayRows(result: ReplayResult): BenchResult[] {
  const compared = result.uncachedMs.flatMap((ms, i) => (ms === null ? [] : [{ uncached: ms, cached: result.cachedMs[i] }]));
  const baseline = median(compared.map((step) => step.uncached));
  const pairedCached = median(compared.map((step) => step.cached));
  const rate = result.hunks ? result.hits / result.hunks : 0;
  const share = (part: number) => `${((result.hunks ? part / result.hunks : 0) * 100).toFixed(1)}%`;
  const afterFirst = result.cachedMs.length > 1 ? median(result.cachedMs.slice(1)) : median(result.cachedMs);
  const rows = [
    row(`${result.label}: cache off`, baseline, 1, `baseline: ${compared.length} of the ${result.steps} steps (one in ${UNCACHED_EVERY}, the first, the last); ${result.hunks} hunks reviewed over all steps`),
    row(`${result.label}: cache on`, pairedCached, pairedCached / baseline,
      `the same steps; hit rate over all ${result.steps} steps ${share(result.hits)} (${result.hits}/${result.hunks}), target ≥ ${HIT_RATE_TARGET * 100}%; ceiling of a changed-lines key ${share(result.seenLines)}; of a key of the path, changed lines and the statements they touch ${share(result.seenInContext)}`,
      rate >= HIT_RATE_TARGET),
    row(`${result.label}: cache on, step 2+`, afterFirst, afterFirst / baseline, `every step after the first (${result.steps - 1})`),
  ];
  for (const disagreement of result.disagreements) console.log(`  DISAGREEMENT ${result.label} ${disagreement}`);
  if (result.disagreements.length) rows.push(row(`${result.label}: findings differ`, 0, 0, `in ${result.disagreements.length} step(s) the cached review's findings differ from the uncached one's (listed above)`, false));
  return rows;
}

/**
 * The histories of bench/histories/packages.json: those named (`all`: every
 * one), else those not marked `onlyByName`. A package the registry could not
 * give is skipped, saying so.
 */
export async function historyBench(projectRoot: string, only: readonly string[] = []): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  for (const pkg of historyPackages(projectRoot)) {
    const chosen = only.includes('all') || only.includes(pkg.package) || (!only.length && !pkg.onlyByName);
    if (!chosen) {
      if (!only.length) console.log(`\n${pkg.package}: not run (${pkg.onlyByName}); npm run bench history ${pkg.package}`);
      continue;
    }
    const history = prepareHistory(projectRoot, pkg);
    if ('skipped' in history) {
      console.log(`\n${pkg.package}: SKIPPED, ${history.skipped}`);
      continue;
    }
    const first = pkg.versions[0];
    const last = pkg.versions[pkg.versions.length - 1];
    const result = await replay(history.root, history.commits, `${pkg.package} ${first}→${last}`);
    rows.push(...replayRows(result));
  }
  return rows;
}

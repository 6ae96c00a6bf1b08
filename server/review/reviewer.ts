/**
 * One review, start to finish: collect the change, bring the index up to date,
 * load both versions of every changed file, run every rule, give findings stable
 * ids, record the run. A stage that fails is recorded and the run is `partial`:
 * what the other stages found is still delivered.
 */
import { randomUUID } from 'node:crypto';
import type { ImpactSummary } from '../../shared/impact';
import type { Finding, LlmRunSummary, ReviewDocument, ReviewRun, ReviewScope, RunError, RunStatus, SkippedFile, SkipReason } from '../../shared/review';
import { collectChanges, isBinary, type ChangeSet } from '../git/changes';
import { addedLines, displayPath, type DiffFile } from '../git/diffModel';
import type { GitRepository } from '../git/repository';
import { isValidUtf8 } from '../index/fileReader';
import { adapterFor } from '../languages/registry';
import { assignIds } from './findingIds';
import type { ChangedFile, RuleFinding, StaticRule, WorkspaceQueries } from './rule';
import type { RunDetails } from '../store/runStore';
import type { ReviewCache } from './reviewCache';
import type { LlmStageResult } from '../llm/llmReviewer';
import { fingerprint, type FingerprintedFinding } from '../learning/fingerprints';
import type { LearningOutcome } from '../learning/policy';
import { TraceRecorder } from '../observability/trace';

/**
 * Files larger than this are not parsed for review (they are data or generated,
 * and slow to parse): the line rules still read them.
 */
export const MAX_REVIEW_FILE_BYTES = 2 * 1024 * 1024;

/** Files larger than this are not read at all, not even by the line rules; the run says so. */
export const MAX_LINE_CHECK_BYTES = 64 * 1024 * 1024;

/** The stages that read or write the store; after it failed they are not tried again in the same run. */
const STORE_STAGES = new Set(['index', 'cache', 'cache-store', 'remember', 'learning']);

/** The rules that only read lines, and so still judge a file too large to parse. */
const LINE_RULES = new Set(['secret', 'conflict-marker']);

/** The rules that read no file's text (the history's, only): a file's size means nothing to them. */
const TEXTLESS_RULES = new Set(['co-change']);

export interface ReviewRequest {
  scope: ReviewScope;
  /** Required for the `branch` scope: the ref whose merge base with HEAD the branch is compared to. */
  base?: string;
  signal?: AbortSignal;
  /** Told what stage the review is in, for progress reporting. */
  onStage?: (stage: string) => void;
  /** What started the review (`cli`, `command`, `save`…), recorded with the run. */
  trigger?: string;
  /** Branch scope: review only the commits since this earlier reviewed HEAD (see Workspace.review). */
  since?: string;
  /**
   * Keep the findings learning suppressed in the document (marked `suppressed: true`),
   * and those the user ignored (marked `ignored: true` too).
   */
  showSuppressed?: boolean;
}

export interface ReviewDependencies {
  repo: GitRepository;
  rules: readonly StaticRule[];
  /** Brings the index up to date before the rules ask it about the workspace. */
  refreshIndex: (signal?: AbortSignal) => Promise<unknown>;
  workspace: WorkspaceQueries;
  /** The review cache; reviews without one (`--no-cache`) run every rule on every file. */
  cache?: ReviewCache;
  /** Findings the user ignored; they are left out of every review (listed, marked, with `showSuppressed`). */
  ignoredFindingIds: () => ReadonlySet<string>;
  recordRun: (run: ReviewRun, findings: readonly Finding[], details: RunDetails) => void;
  /**
   * The LLM stage, when one is configured: asked about every changed file (cached
   * or not) once the quick static rules are done, told what they found (it runs
   * while the type-checked ones do). It may throw (a bad
   * config file); the run is then `partial` and the static findings stand.
   */
  llm?: (files: readonly ChangedFile[], staticFindings: readonly Finding[], signal?: AbortSignal) => Promise<LlmStageResult>;
  /** The LLM part of the run when no stage runs but the user should know why (an untrusted workspace). */
  llmSkipped?: LlmRunSummary;
  /** Applies what the team's votes taught (learning/policy.ts); without it findings are reported as the rules gave them. */
  learn?: (found: readonly FingerprintedFinding[]) => LearningOutcome;
  /** Remembers a run's findings (before learning) so that a vote by id can be cast on them later. */
  rememberFindings?: (runId: string, found: readonly FingerprintedFinding[]) => void;
  /**
   * Replaces the secrets in code about to be stored (the code each finding points
   * at, kept with it and with the votes on it); without it code is kept as is.
   */
  redactStored?: (texts: string[]) => Promise<string[]>;
  /**
   * The one-line error when `error` is the store itself failing (a full disk, a
   * lock held too long, no permission), null otherwise. Such a failure fails the
   * run: findings from a review that could not keep its index or cache are not a pass.
   */
  storageFailure?: (error: unknown) => Error | null;
  /**
   * What the change reaches through the imports (the JSON's `impact`), from the change this
   * review collected (no git process of its own) and its findings. Never fails the run:
   * undefined or a throw leaves the summary out.
   */
  impactOf?: (changes: ChangeSet, findings: readonly Finding[]) => Promise<ImpactSummary | undefined>;
}

export async function review(deps: ReviewDependencies, request: ReviewRequest): Promise<ReviewDocument> {
  const startedAt = new Date().toISOString();
  const runId = randomUUID();
  // The review's spans (the waterfall, the OTLP export): every stage's, and those the LLM
  // client and GitHub transport open inside them, found through the async context.
  const trace = new TraceRecorder(runId, startedAt, { 'diffwise.review.scope': request.scope, 'diffwise.review.trigger': request.trigger ?? 'cli' });
  return trace.run(() => reviewTraced(deps, request, trace, runId, startedAt));
}

async function reviewTraced(deps: ReviewDependencies, request: ReviewRequest, trace: TraceRecorder, runId: string, startedAt: string): Promise<ReviewDocument> {
  const started = performance.now();
  const errors: RunError[] = [];
  /** The store itself failed (a full disk, a lock): the run is failed, and the store is not asked again. */
  const storeFailed = () => errors.some((error) => error.fatal);
  const notices: string[] = [];
  const skipped: SkippedFile[] = [];
  const skip = (file: string, reason: SkipReason, rules: string[], detail: string) => {
    const known = skipped.find((entry) => entry.file === file && entry.reason === reason);
    if (known) {
      // In the rule set's order, whichever rule ran first (the type-checked ones run last).
      const order = (id: string) => deps.rules.findIndex((rule) => rule.id === id);
      known.rules = [...new Set([...known.rules, ...rules])].sort((a, b) => order(a) - order(b));
      if (!known.detail.includes(detail)) known.detail = `${known.detail.replace(/\.$/, '')}; ${detail}`;
    }
    else skipped.push({ file, reason, rules, detail });
  };
  const stageMs: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    request.signal?.throwIfAborted();
    request.onStage?.(name);
    const stageStart = performance.now();
    try {
      return await trace.span(name, work);
    } finally {
      stageMs[name] = Math.round(performance.now() - stageStart);
    }
  };
  const stage = async <T>(name: string, work: () => Promise<T>): Promise<T | undefined> => {
    // Once the store has failed (a full disk, a lock held too long) the run is failed: the
    // stages that would write it again are not tried, each would only wait out the same lock.
    if (STORE_STAGES.has(name) && storeFailed()) return undefined;
    try {
      return await timed(name, work);
    } catch (error) {
      request.signal?.throwIfAborted();
      const storage = deps.storageFailure?.(error);
      errors.push(storage ? { stage: name, message: storage.message, fatal: true } : { stage: name, message: (error as Error).message });
      return undefined;
    }
  };
  let cacheHits = 0;
  let llm: LlmStageResult | undefined;
  let learning = { suppressed: 0, demoted: 0 };
  const finish = (status: RunStatus, changes: ChangeSet | null, findings: Finding[]): ReviewDocument => {
    const run: ReviewRun = {
      id: runId,
      scope: request.scope,
      base: changes?.base ?? request.base ?? null,
      mergeBase: changes?.mergeBase ?? null,
      head: changes?.head ?? null,
      status,
      startedAt,
      durationMs: Math.round(performance.now() - started),
      files: changes?.files.length ?? 0,
      hunks: changes?.files.reduce((total, file) => total + file.hunks.length, 0) ?? 0,
      cacheHits,
      llmCalls: llm?.calls ?? 0,
      tokens: llm?.tokens ?? { prompt: 0, completion: 0 },
      costUsd: llm?.costUsd ?? 0,
      errors,
      notices,
      skipped,
      llm: llm?.summary ?? deps.llmSkipped ?? null,
      learning,
    };
    const reported = findings.filter((finding) => !finding.suppressed);
    trace.setRootAttributes({
      'diffwise.review.files': run.files, 'diffwise.review.hunks': run.hunks, 'diffwise.review.cache_hits': cacheHits,
      'diffwise.review.findings': reported.length, 'gen_ai.usage.input_tokens': run.tokens.prompt, 'gen_ai.usage.output_tokens': run.tokens.completion,
      'diffwise.llm.cost_usd': run.costUsd,
    });
    const traced = trace.finish(status);
    // A store that already failed is not asked to record the run: the run is failed as it stands.
    if (!storeFailed()) {
      try {
        deps.recordRun(run, reported, { trigger: request.trigger ?? 'cli', stageMs, savedUsd: llm?.summary.savedUsd ?? 0, trace: traced });
      } catch (error) {
        // Not recording a run must not cost the user its findings; a store that cannot be written fails the run.
        const storage = deps.storageFailure?.(error);
        if (storage) run.status = 'failed';
        else if (run.status === 'ok') run.status = 'partial';
        run.errors.push(storage ? { stage: 'record', message: storage.message, fatal: true } : { stage: 'record', message: (error as Error).message });
      }
    }
    return { run, findings: request.showSuppressed ? findings : reported };
  };

  // A change that cannot be collected (no such base, not a repository) is the user's to fix:
  // it is recorded as a failed run, then thrown.
  // The index pass starts with the change's collection, not after it: neither reads what the other
  // produces, and the pass's `git status` (the longest git process of an unchanged re-review, 130 ms
  // on a 16,000-file work tree) runs while the diff's git processes do. The 'index' stage is then
  // what is left of the pass once the change is collected; a pass that fails fails that stage, as before.
  const indexing = request.signal?.aborted ? undefined : deps.refreshIndex(request.signal);
  indexing?.catch(() => undefined);
  let changes: ChangeSet;
  try {
    changes = await timed('diff', () => collectChanges(deps.repo, { scope: request.scope, base: request.base, since: request.since }));
  } catch (error) {
    // Not left running: the workspace (its database) closes once this throws.
    await indexing?.catch(() => undefined);
    if (!request.signal?.aborted) {
      errors.push({ stage: 'diff', message: (error as Error).message });
      finish('failed', null, []);
    }
    throw error;
  }
  await stage('index', () => indexing ?? deps.refreshIndex(request.signal));
  const allFiles = (await stage('read', () => loadChangedFiles(changes, deps.rules, skip))) ?? [];
  // Files whose every hunk is in the cache skip the rules; a broken cache only costs speed.
  const cached = deps.cache ? await stage('cache', async () => deps.cache!.partition(allFiles)) : undefined;
  const files = cached?.missed ?? allFiles;
  cacheHits = cached?.hits ?? 0;
  notices.push(...(cached?.cachedNotices ?? []));

  const found: RuleFinding[] = [];
  const runRule = async (rule: StaticRule) => {
    const judged = rule.wholeChange ? allFiles : files;
    const results = await stage(`rule:${rule.id}`, () => rule.run({
      files: judged, allFiles, workspace: deps.workspace, head: changes.head,
      notice: (message) => notices.push(message),
      skip: (file, reason, detail) => skip(file, reason, [rule.id], detail),
    }));
    if (results) found.push(...results.filter((finding) => onReviewableLine(rule, finding, judged)));
  };
  for (const rule of deps.rules.filter((candidate) => !candidate.typeChecked)) await runRule(rule);
  // The LLM's answers take seconds: its calls start now, told what the quick rules found, and run
  // while the type-checked rules do (the model is not told their findings, which the prompt would
  // only ask it not to repeat).
  // The same quick findings whether a file's were cached or not: they are part of the prompt,
  // and so of the LLM cache's key, which must not depend on what the review cache held.
  const typeChecked = new Set(deps.rules.filter((rule) => rule.typeChecked).map((rule) => rule.id));
  const quickCached = (cached?.cachedFindings ?? []).filter((finding) => !typeChecked.has(finding.ruleId as StaticRule['id']));
  const llmStarted = deps.llm
    ? stage('llm', () => deps.llm!(allFiles, [...quickCached, ...assignIds(withoutSecretsInFixes(found))], request.signal))
    : undefined;
  // A failed or cancelled type-checked rule must not leave the LLM's promise unobserved.
  llmStarted?.catch(() => undefined);
  for (const rule of deps.rules.filter((candidate) => candidate.typeChecked)) await runRule(rule);
  const reviewed = assignIds(withoutSecretsInFixes(found));
  // Only a complete result may be cached: a rule that failed would otherwise be remembered as "nothing found".
  // (The LLM stage may have failed meanwhile: that is no reason not to cache what the rules found.)
  if (deps.cache && errors.every((error) => error.stage === 'llm')) {
    // A file a rule could not judge is not cached: the next review says so again, and judges it once it can.
    const unjudged = new Set(skipped.filter((entry) => entry.rules.length > 0).map((entry) => entry.file));
    // A notice is cached with its file's findings (a comparison only partly made is made the same way
    // again, its probe budget being in the key), and said again when they are served.
    const judged = files.filter((file) => !unjudged.has(file.path));
    const wholeChange = new Set(deps.rules.filter((rule) => rule.wholeChange).map((rule) => rule.id as string));
    await stage('cache-store', async () => deps.cache!.store(judged, reviewed.filter((finding) => !wholeChange.has(finding.ruleId)), notices));
  }
  const staticFindings = [...(cached?.cachedFindings ?? []), ...reviewed];
  let llmFindings: Finding[] = [];
  if (llmStarted) {
    llm = await llmStarted;
    if (llm?.error) errors.push({ stage: 'llm', message: llm.error });
    llmFindings = assignIds(llm?.findings ?? []);
  }
  const ignoredIds = deps.ignoredFindingIds();
  const kept = [...staticFindings, ...llmFindings].filter((finding) => !ignoredIds.has(finding.id));
  // Ignored findings skip remembering and learning: the user's choice is no vote, and learning's
  // counts are of what it suppressed. They are only listed, when asked, so that an ignore can be undone.
  const ignored = request.showSuppressed
    ? [...staticFindings, ...llmFindings].filter((finding) => ignoredIds.has(finding.id)).map((finding): Finding => ({ ...finding, ignored: true, suppressed: true }))
    : [];
  const texts = new Map(allFiles.map((file) => [file.path, file.newText]));
  const fingerprinted = kept.map((finding) => fingerprint(finding, texts.get(finding.file) ?? null));
  // Fingerprints are of the code as it is; what is kept of the code has its secrets redacted.
  // Failing to redact fails the stage, and then nothing is stored in clear: remembering is skipped.
  const redact = deps.redactStored;
  const storable = redact
    ? await stage('redact', async () => {
      const codes = await redact(fingerprinted.map((item) => item.code));
      return fingerprinted.map((item, i) => ({ ...item, code: codes[i] }));
    })
    : fingerprinted;
  // Remembering and learning only cost speed or noise when they fail: the findings stand as found.
  if (deps.rememberFindings && storable) await stage('remember', async () => deps.rememberFindings!(runId, storable));
  let findings = kept;
  if (deps.learn) {
    const outcome = await stage('learning', async () => deps.learn!(storable ?? fingerprinted));
    if (outcome) {
      findings = outcome.findings;
      learning = { suppressed: outcome.suppressed, demoted: outcome.demoted };
    }
  }
  // A file some rule could not judge makes the run partial: "no problems" would claim more than was checked.
  const complete = errors.length === 0 && skipped.every((entry) => entry.rules.length === 0);
  const status: RunStatus = storeFailed() ? 'failed' : complete ? 'ok' : 'partial';
  const impact = deps.impactOf && status !== 'failed' ? await timed('impact', () => deps.impactOf!(changes, findings)).catch(() => undefined) : undefined;
  const document = finish(status, changes, sortFindings([...findings, ...ignored]));
  if (impact) document.impact = impact;
  return document;
}

/**
 * A fix is the text of its lines rewritten, so on a line that holds a secret it
 * holds the secret too, and would be kept in the cache, the recent findings and
 * the editor's last review. Such a fix is dropped: the secret has to go first.
 */
function withoutSecretsInFixes(found: RuleFinding[]): RuleFinding[] {
  const secretLines = new Set<string>();
  for (const finding of found) {
    if (finding.ruleId !== 'secret') continue;
    for (let line = finding.line; line <= finding.endLine; line++) secretLines.add(`${finding.file}\u0000${line}`);
  }
  if (!secretLines.size) return found;
  return found.map((finding) => {
    if (!finding.suggestion || finding.ruleId === 'secret') return finding;
    for (let line = finding.line; line <= finding.endLine; line++) {
      if (secretLines.has(`${finding.file}\u0000${line}`)) return { ...finding, suggestion: null };
    }
    return finding;
  });
}

/**
 * Findings belong on lines the change added, the way reviewdog's `added` filter
 * works; `breaking-change` is the exception, since its point can be a declaration
 * whose own line did not change (or was deleted).
 */
function onReviewableLine(rule: StaticRule, finding: RuleFinding, files: readonly ChangedFile[]): boolean {
  if (rule.id === 'breaking-change') return true;
  const file = files.find((candidate) => candidate.path === finding.file);
  if (!file) return false;
  for (let line = finding.line; line <= finding.endLine; line++) if (file.added.has(line)) return true;
  return false;
}

/**
 * Both versions of every changed file, and what could not be read, as skips:
 * binary content (no rule reads it), a file over the parse limit (only the line
 * rules see it), over the line limit, a name that is not UTF-8, an unmerged
 * file in `--staged`, a file that vanished or could not be opened.
 */
async function loadChangedFiles(
  changes: ChangeSet,
  rules: readonly StaticRule[],
  skip: (file: string, reason: SkipReason, rules: string[], detail: string) => void,
): Promise<ChangedFile[]> {
  const allRules = rules.map((rule) => rule.id);
  for (const file of changes.unmerged ?? []) {
    skip(file, 'conflicted', allRules, 'not reviewed: it is unmerged in the index (a conflict); resolve it and `git add` it, then review again');
  }
  const reviewable: DiffFile[] = [];
  for (const diff of changes.files) {
    if (diff.submodule) continue; // a commit id changed: nothing for a rule to read
    if (diff.binary) skip(displayPath(diff), 'binary', [], 'not reviewed: binary content, which no rule reads');
    else reviewable.push(diff);
  }
  const [newTexts, oldTexts] = await Promise.all([
    changes.readNewMany(reviewable.flatMap((diff) => (diff.newPath ? [diff.newPath] : []))),
    changes.readOldMany(reviewable.flatMap((diff) => (diff.oldPath ? [diff.oldPath] : []))),
  ]);
  const files: ChangedFile[] = [];
  for (const diff of reviewable) {
    const path = displayPath(diff);
    const newBytes = diff.newPath ? newTexts.get(diff.newPath) ?? null : null;
    const oldBytes = diff.oldPath ? oldTexts.get(diff.oldPath) ?? null : null;
    if (diff.newPath !== null && newBytes === null && diff.status !== 'deleted') {
      // Git listed a new version, but it could not be read back by its name.
      if (path.includes('\uFFFD')) skip(path, 'name-not-utf8', allRules, 'not reviewed: its name is not valid UTF-8, so it cannot be read back by name; rename it');
      else skip(path, 'unreadable', allRules, 'not reviewed: it could not be read (removed during the review, or no permission to read it)');
      continue;
    }
    if (newBytes && isBinary(newBytes)) {
      // Git's diff saw text (or the untracked file was read before it changed): its bytes say otherwise now.
      skip(path, 'binary', [], 'not reviewed: binary content, which no rule reads');
      continue;
    }
    if (newBytes && newBytes.length > MAX_LINE_CHECK_BYTES) {
      skip(path, 'too-large', allRules, `not reviewed: ${megabytes(newBytes.length)} is over the ${megabytes(MAX_LINE_CHECK_BYTES)} that any rule reads`);
      continue;
    }
    const adapter = adapterFor(path);
    if (adapter && newBytes) {
      // Python, Go and Java: code nobody wrote by hand, or in an encoding the rules cannot read, is indexed but not judged.
      if (!isValidUtf8(newBytes)) {
        skip(path, 'not-utf8', allRules, 'not reviewed: it is not UTF-8 (it is indexed, read as Latin-1); convert it to UTF-8 to have it reviewed');
        continue;
      }
      if (adapter.isGenerated(newBytes.toString('utf8'))) {
        skip(path, 'generated', allRules, 'not reviewed: generated code (it says so in its header); it is indexed, and its uses of changed code are still found');
        continue;
      }
    }
    // The rules that parse need both versions within their limit; the line rules read only the new one.
    const largest = Math.max(newBytes?.length ?? 0, oldBytes?.length ?? 0);
    const tooLargeToParse = largest > MAX_REVIEW_FILE_BYTES;
    if (tooLargeToParse) {
      const parsing = allRules.filter((id) => !LINE_RULES.has(id) && !TEXTLESS_RULES.has(id));
      const size = (newBytes?.length ?? 0) === largest ? megabytes(largest) : `its old version (${megabytes(largest)})`;
      skip(path, 'too-large', [], `only the line rules (secrets, conflict markers) read it: ${size} is over the ${megabytes(MAX_REVIEW_FILE_BYTES)} that ${parsing.join(' and ')} parse`);
    }
    files.push({
      diff,
      path,
      newText: newBytes ? newBytes.toString('utf8') : null,
      oldText: oldBytes && !tooLargeToParse && !isBinary(oldBytes) ? oldBytes.toString('utf8') : null,
      ...(tooLargeToParse ? { tooLargeToParse } : {}),
      added: addedLines(diff),
    });
  }
  return files;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.ruleId.localeCompare(b.ruleId));
}


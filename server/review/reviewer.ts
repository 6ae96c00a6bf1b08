/**
 * One review, start to finish: collect the change, bring the index up to date,
 * load both versions of every changed file, run every rule, give findings stable
 * ids, record the run. A stage that fails is recorded and the run is `partial`:
 * what the other stages found is still delivered.
 */
import { randomUUID } from 'node:crypto';
import type { Finding, LlmRunSummary, ReviewDocument, ReviewRun, ReviewScope, RunError, RunStatus } from '../../shared/review';
import { collectChanges, type ChangeSet } from '../git/changes';
import { addedLines, displayPath } from '../git/diffModel';
import type { GitRepository } from '../git/repository';
import { assignIds } from './findingIds';
import type { ChangedFile, RuleFinding, StaticRule, WorkspaceQueries } from './rule';
import type { RunDetails } from '../store/runStore';
import type { ReviewCache } from './reviewCache';
import type { LlmStageResult } from '../llm/llmReviewer';
import { fingerprint, type FingerprintedFinding } from '../learning/fingerprints';
import type { LearningOutcome } from '../learning/policy';

/** Files larger than this are not read for review: they are data or generated, and slow to scan. */
export const MAX_REVIEW_FILE_BYTES = 2 * 1024 * 1024;

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
  /** Keep the findings learning suppressed in the document (marked `suppressed: true`). */
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
  /** Findings the user ignored; they are left out of every review. */
  ignoredFindingIds: () => ReadonlySet<string>;
  recordRun: (run: ReviewRun, findings: readonly Finding[], details: RunDetails) => void;
  /**
   * The LLM stage, when one is configured: asked about every changed file (cached
   * or not) after the static rules, told what they found. It may throw (a bad
   * config file); the run is then `partial` and the static findings stand.
   */
  llm?: (files: readonly ChangedFile[], staticFindings: readonly Finding[], signal?: AbortSignal) => Promise<LlmStageResult>;
  /** The LLM part of the run when no stage runs but the user should know why (an untrusted workspace). */
  llmSkipped?: LlmRunSummary;
  /** Applies what the team's votes taught (learning/policy.ts); without it findings are reported as the rules gave them. */
  learn?: (found: readonly FingerprintedFinding[]) => LearningOutcome;
  /** Remembers a run's findings (before learning) so that a vote by id can be cast on them later. */
  rememberFindings?: (runId: string, found: readonly FingerprintedFinding[]) => void;
}

export async function review(deps: ReviewDependencies, request: ReviewRequest): Promise<ReviewDocument> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const errors: RunError[] = [];
  const notices: string[] = [];
  const stageMs: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    request.signal?.throwIfAborted();
    request.onStage?.(name);
    const stageStart = performance.now();
    try {
      return await work();
    } finally {
      stageMs[name] = Math.round(performance.now() - stageStart);
    }
  };
  const stage = async <T>(name: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await timed(name, work);
    } catch (error) {
      request.signal?.throwIfAborted();
      errors.push({ stage: name, message: (error as Error).message });
      return undefined;
    }
  };
  let cacheHits = 0;
  let llm: LlmStageResult | undefined;
  let learning = { suppressed: 0, demoted: 0 };
  const runId = randomUUID();
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
      llm: llm?.summary ?? deps.llmSkipped ?? null,
      learning,
    };
    const reported = findings.filter((finding) => !finding.suppressed);
    try {
      deps.recordRun(run, reported, { trigger: request.trigger ?? 'cli', stageMs, savedUsd: llm?.summary.savedUsd ?? 0 });
    } catch (error) {
      // Not recording a run must not cost the user its findings.
      if (run.status === 'ok') run.status = 'partial';
      run.errors.push({ stage: 'record', message: (error as Error).message });
    }
    return { run, findings: request.showSuppressed ? findings : reported };
  };

  // A change that cannot be collected (no such base, not a repository) is the user's to fix:
  // it is recorded as a failed run, then thrown.
  let changes: ChangeSet;
  try {
    changes = await timed('diff', () => collectChanges(deps.repo, { scope: request.scope, base: request.base, since: request.since }));
  } catch (error) {
    if (!request.signal?.aborted) {
      errors.push({ stage: 'diff', message: (error as Error).message });
      finish('failed', null, []);
    }
    throw error;
  }
  await stage('index', () => deps.refreshIndex(request.signal));
  const allFiles = (await stage('read', () => loadChangedFiles(changes))) ?? [];
  // Files whose every hunk is in the cache skip the rules; a broken cache only costs speed.
  const cached = deps.cache ? await stage('cache', async () => deps.cache!.partition(allFiles)) : undefined;
  const files = cached?.missed ?? allFiles;
  cacheHits = cached?.hits ?? 0;

  const found: RuleFinding[] = [];
  for (const rule of deps.rules) {
    const results = await stage(`rule:${rule.id}`, () => rule.run({ files, allFiles, workspace: deps.workspace, notice: (message) => notices.push(message) }));
    if (results) found.push(...results.filter((finding) => onReviewableLine(rule, finding, files)));
  }
  const reviewed = assignIds(found);
  // Only a complete result may be cached: a rule that failed would otherwise be remembered as "nothing found".
  if (deps.cache && errors.length === 0) {
    // A file a rule could not judge is not cached: the next review says so again, and judges it once it can.
    const judged = files.filter((file) => !notices.some((message) => message.startsWith(`${file.path}:`)));
    await stage('cache-store', async () => deps.cache!.store(judged, reviewed));
  }
  const staticFindings = [...(cached?.cachedFindings ?? []), ...reviewed];
  let llmFindings: Finding[] = [];
  if (deps.llm) {
    llm = await stage('llm', () => deps.llm!(allFiles, staticFindings, request.signal));
    if (llm?.error) errors.push({ stage: 'llm', message: llm.error });
    llmFindings = assignIds(llm?.findings ?? []);
  }
  const ignored = deps.ignoredFindingIds();
  const kept = [...staticFindings, ...llmFindings].filter((finding) => !ignored.has(finding.id));
  const texts = new Map(allFiles.map((file) => [file.path, file.newText]));
  const fingerprinted = kept.map((finding) => fingerprint(finding, texts.get(finding.file) ?? null));
  // Remembering and learning only cost speed or noise when they fail: the findings stand as found.
  if (deps.rememberFindings) await stage('remember', async () => deps.rememberFindings!(runId, fingerprinted));
  let findings = kept;
  if (deps.learn) {
    const outcome = await stage('learning', async () => deps.learn!(fingerprinted));
    if (outcome) {
      findings = outcome.findings;
      learning = { suppressed: outcome.suppressed, demoted: outcome.demoted };
    }
  }
  return finish(errors.length === 0 ? 'ok' : 'partial', changes, sortFindings(findings));
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

async function loadChangedFiles(changes: ChangeSet): Promise<ChangedFile[]> {
  const reviewable = changes.files.filter((diff) => !diff.binary && !diff.submodule);
  const [newTexts, oldTexts] = await Promise.all([
    changes.readNewMany(reviewable.flatMap((diff) => (diff.newPath ? [diff.newPath] : []))),
    changes.readOldMany(reviewable.flatMap((diff) => (diff.oldPath ? [diff.oldPath] : []))),
  ]);
  return reviewable.map((diff) => ({
    diff,
    path: displayPath(diff),
    newText: diff.newPath ? decodeText(newTexts.get(diff.newPath) ?? null) : null,
    oldText: diff.oldPath ? decodeText(oldTexts.get(diff.oldPath) ?? null) : null,
    added: addedLines(diff),
  }));
}

/** Text for review, or null for content that is too large or not text. */
function decodeText(buffer: Buffer | null): string | null {
  if (!buffer || buffer.length > MAX_REVIEW_FILE_BYTES) return null;
  if (buffer.subarray(0, 8000).includes(0)) return null;
  return buffer.toString('utf8');
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.ruleId.localeCompare(b.ruleId));
}


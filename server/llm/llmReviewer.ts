/**
 * The LLM stage of a review: the changed hunks with the context the index
 * supplies, several small hunks per Chat Completions call (grouping.ts),
 * redacted, within the budget, cached per hunk by content. It never throws for
 * a failed call: failures are counted and reported, and the review's static
 * findings stand whatever happens here.
 */
import { createHash } from 'node:crypto';
import type { Finding, LlmRunSummary } from '../../shared/review';
import type { DiffHunk } from '../git/diffModel';
import { syntaxTreeOf } from '../review/syntaxTrees';
import type { ChangedFile, RuleFinding } from '../review/rule';
import type { CacheStore } from '../store/cacheStore';
import type { BudgetGuard } from './budget';
import { LlmError, type ChatClient } from './chatClient';
import { buildHunkPrompt, type ContextSources, type HunkPrompt } from './context';
import { composePrompt, groupHunks } from './grouping';
import type { TokenUsage } from './prices';
import { ANSWER_SCHEMA_NAME, answerSchema, MAX_FINDINGS_PER_HUNK, PROMPT_VERSION, SYSTEM_PROMPT, type AnswerFinding } from './prompt';
import { redactForLlm } from './redaction';

export interface LlmReviewerOptions {
  client: ChatClient;
  model: string;
  maxConcurrency: number;
  /** Context tokens per hunk beyond its lines; a prompt holding several hunks stays within it, their lines included. */
  maxContextTokens: number;
  sources: ContextSources;
  budget: BudgetGuard;
  /**
   * A rough cost of asking `user` (with the system prompt and a typical answer), for the budget's
   * reservation; `hunks` is how many hunks it holds, each of which may add to the answer.
   */
  estimateCostUsd: (user: string, hunks: number) => number;
  /** The review cache's table; answers are kept there per hunk, by content. */
  cache?: CacheStore;
}

/** What the LLM stage adds to a run. */
export interface LlmStageResult {
  findings: RuleFinding[];
  /** Chat Completions calls made (one per prompt, failed ones included, retries not). */
  calls: number;
  tokens: TokenUsage;
  costUsd: number;
  /** Per hunk, whatever the calls: `hunksSent` are the hunks asked about, in `calls` calls. */
  summary: LlmRunSummary;
  /** One line for the run's errors when some hunks could not be reviewed; null when all were. */
  error: string | null;
}

/**
 * One hunk's answer as cached: lines relative to the hunk's first new line, and its share of what
 * the call cost (a call for several hunks is split in proportion to each hunk's part of the prompt).
 */
interface CachedAnswer {
  costUsd: number;
  findings: Array<Omit<AnswerFinding, 'hunk' | 'line' | 'endLine'> & { lineOffset: number; endLineOffset: number }>;
}

/** A hunk the cache did not answer. */
interface Pending {
  file: ChangedFile;
  hunk: DiffHunk;
  prompt: HunkPrompt;
  key: string;
}

export async function reviewWithLlm(
  options: LlmReviewerOptions,
  files: readonly ChangedFile[],
  staticFindings: readonly Finding[],
  signal?: AbortSignal,
): Promise<LlmStageResult> {
  const summary = emptyLlmSummary(options.model);
  const findings: RuleFinding[] = [];
  const tokens: TokenUsage = { prompt: 0, completion: 0 };
  let costUsd = 0;
  let calls = 0;
  const failures: string[] = [];

  // Every hunk's prompt first: the cache answers hunk by hunk, and only the hunks it missed are grouped.
  let reviewable = 0;
  const missed: Pending[] = [];
  for (const file of files) {
    const included = file.newText !== null && !options.sources.isExcluded(file.path);
    const hunks = file.diff.hunks.filter((hunk) => hunk.lines.some((line) => line.kind === 'add'));
    summary.hunksExcluded += file.diff.hunks.length - (included ? hunks.length : 0);
    if (!included) continue;
    // The same tree the cache keys and the rules parsed (one parse per file version per review).
    const parsed = syntaxTreeOf(file, 'new') ?? undefined;
    const fileStatic = staticFindings.filter((finding) => finding.file === file.path);
    for (const hunk of hunks) {
      signal?.throwIfAborted();
      reviewable++;
      const prompt = await buildHunkPrompt(file, hunk, parsed, fileStatic, options.sources, options.maxContextTokens, files);
      if (prompt.omitted.length) summary.contextOmitted.push(`${file.path}:${prompt.range.first}: ${prompt.omitted.join(', ')}`);
      const key = createHash('sha256').update(`llm\u0000${PROMPT_VERSION}\u0000${options.model}\u0000${SYSTEM_PROMPT}\u0000${prompt.contextHash}`).digest('hex');
      const cached = options.cache?.getJson(key, Date.now(), isCachedAnswer);
      if (!cached) {
        missed.push({ file, hunk, prompt, key });
        continue;
      }
      summary.hunksCached++;
      summary.savedUsd += cached.costUsd;
      for (const entry of cached.findings) {
        const { lineOffset, endLineOffset, ...rest } = entry;
        findings.push(toRuleFinding({ ...rest, line: hunk.newStart + lineOffset, endLine: hunk.newStart + endLineOffset }, file));
      }
    }
  }

  const ask = async (group: readonly Pending[]): Promise<void> => {
    const composed = composePrompt(group.map((item) => item.prompt));
    const redacted = await Promise.all(composed.parts.map((part) => redactForLlm(part)));
    const user = redacted.map((part) => part.text).join('\n\n');
    const estimate = options.estimateCostUsd(user, group.length);
    if (!options.budget.reserve(estimate)) {
      summary.hunksOverBudget += group.length;
      return;
    }
    summary.redactions += redacted.reduce((total, part) => total + part.count, 0);
    summary.hunksSent += group.length;
    calls++;
    let answer;
    try {
      answer = await options.client.complete({ system: SYSTEM_PROMPT, user, schema: answerSchema(), schemaName: ANSWER_SCHEMA_NAME, signal });
    } catch (error) {
      options.budget.settle(estimate, 0);
      signal?.throwIfAborted();
      // Every hunk the call held goes unreviewed: each is counted, as if asked alone.
      summary.hunksFailed += group.length;
      const message = error instanceof LlmError ? error.message : `LLM call failed: ${(error as Error).message}`;
      for (let i = 0; i < group.length; i++) failures.push(message);
      return;
    }
    tokens.prompt += answer.usage.prompt;
    tokens.completion += answer.usage.completion;
    costUsd += answer.costUsd;
    options.budget.settle(estimate, answer.costUsd);
    const byHunk = attribute(answer.value.findings, composed.labels);
    const shares = splitCost(answer.costUsd, group.map((item) => item.prompt.tokens.own));
    group.forEach((item, index) => {
      const accepted = (byHunk.get(composed.labels[index]) ?? []).filter((finding) => insideHunk(finding, item.prompt.range)).slice(0, MAX_FINDINGS_PER_HUNK);
      for (const finding of accepted) findings.push(toRuleFinding(finding, item.file));
      // Under the hunk's own key: the next review asks only about the hunks that changed.
      options.cache?.put(item.key, JSON.stringify(toCached(accepted, item.hunk, shares[index])), Date.now());
    });
  };
  const groups = groupHunks(missed, options.maxContextTokens);
  await runPool(groups.map((group) => () => ask(group)), options.maxConcurrency, signal);

  summary.savedUsd = Number(summary.savedUsd.toFixed(6));
  summary.budget = options.budget.state();
  if (reviewable > 0 && summary.hunksOverBudget === reviewable) summary.skipped = 'budget';
  summary.contextOmitted.sort();
  return { findings, calls, tokens, costUsd: Number(costUsd.toFixed(6)), summary, error: failureLine(failures, summary.hunksSent) };
}

/** The LLM part of a run before anything was sent; `skipped` says why nothing will be. */
export function emptyLlmSummary(model: string, skipped: LlmRunSummary['skipped'] = null): LlmRunSummary {
  return {
    model, skipped, hunksSent: 0, hunksCached: 0, hunksExcluded: 0, hunksOverBudget: 0, hunksFailed: 0, savedUsd: 0, redactions: 0,
    contextOmitted: [], budget: null,
  };
}

/**
 * The findings by the label of their hunk. A finding without a label (a model
 * that left it out) belongs to the only hunk of a one-hunk prompt; in a prompt
 * of several, it is dropped, like one with a label the prompt did not give.
 */
function attribute(answer: readonly AnswerFinding[], labels: readonly string[]): Map<string, AnswerFinding[]> {
  const byHunk = new Map<string, AnswerFinding[]>();
  for (const finding of answer) {
    const label = finding.hunk === null ? (labels.length === 1 ? labels[0] : undefined) : normaliseLabel(finding.hunk);
    if (label === undefined || !labels.includes(label)) continue;
    byHunk.set(label, [...(byHunk.get(label) ?? []), finding]);
  }
  return byHunk;
}

/** "H2", "h2", " H2 " and "2" are all H2. */
function normaliseLabel(label: string): string {
  const trimmed = label.trim().toUpperCase();
  return /^\d+$/.test(trimmed) ? `H${trimmed}` : trimmed;
}

/** `cost` in shares proportional to `weights` that add up to it exactly (an even split when all weigh nothing). */
function splitCost(cost: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const shares = weights.map((weight) => (total > 0 ? (cost * weight) / total : cost / weights.length));
  shares[shares.length - 1] = cost - shares.slice(0, -1).reduce((sum, share) => sum + share, 0);
  return shares;
}

function insideHunk(finding: AnswerFinding, range: { first: number; last: number }): boolean {
  return finding.line >= range.first && finding.endLine >= finding.line && finding.endLine <= range.last;
}

function toRuleFinding(finding: Omit<AnswerFinding, 'hunk'>, file: ChangedFile): RuleFinding {
  // The flagged code, not the model's wording: the same problem on the same code keeps its id.
  const code = (file.newText ?? '').split('\n').slice(finding.line - 1, finding.endLine).map((line) => line.trim()).join('\n');
  return {
    ruleId: `llm/${finding.category}`,
    severity: finding.severity,
    file: file.path,
    line: finding.line,
    endLine: finding.endLine,
    message: finding.message.trim(),
    suggestion: finding.suggestion,
    fingerprint: createHash('sha256').update(code).digest('hex').slice(0, 16),
  };
}

function toCached(findings: readonly AnswerFinding[], hunk: DiffHunk, cost: number): CachedAnswer {
  return {
    costUsd: cost,
    findings: findings.map(({ hunk: _label, line, endLine, ...rest }) => ({ ...rest, lineOffset: line - hunk.newStart, endLineOffset: endLine - hunk.newStart })),
  };
}

function isCachedAnswer(value: unknown): value is CachedAnswer {
  const answer = value as CachedAnswer;
  return typeof answer === 'object' && answer !== null && typeof answer.costUsd === 'number' && Array.isArray(answer.findings);
}

function failureLine(failures: readonly string[], asked: number): string | null {
  if (!failures.length) return null;
  const distinct = [...new Set(failures)];
  const others = distinct.length > 1 ? ` (and ${distinct.length - 1} other error(s))` : '';
  return `${failures.length} of ${asked} hunk(s) were not reviewed by the LLM: ${distinct[0]}${others}`;
}

/** Runs `jobs` with at most `limit` at once; stops starting new ones when `signal` aborts. */
async function runPool(jobs: ReadonlyArray<() => Promise<void>>, limit: number, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      signal?.throwIfAborted();
      await jobs[next++]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
}

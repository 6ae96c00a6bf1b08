/**
 * The LLM stage of a review: one Chat Completions call per changed hunk, with
 * the context the index supplies, redacted, within the budget, cached by
 * content. It never throws for a failed call: failures are counted and
 * reported, and the review's static findings stand whatever happens here.
 */
import { createHash } from 'node:crypto';
import type { Finding, LlmRunSummary } from '../../shared/review';
import type { DiffHunk } from '../git/diffModel';
import { parseSource, scriptKindOf } from '../index/languages';
import type { ChangedFile, RuleFinding } from '../review/rule';
import type { CacheStore } from '../store/cacheStore';
import type { BudgetGuard } from './budget';
import { LlmError, type ChatClient } from './chatClient';
import { buildHunkPrompt, type ContextSources } from './context';
import type { TokenUsage } from './prices';
import { ANSWER_SCHEMA_NAME, answerSchema, MAX_FINDINGS_PER_HUNK, PROMPT_VERSION, SYSTEM_PROMPT, type AnswerFinding } from './prompt';
import { redactForLlm } from './redaction';

export interface LlmReviewerOptions {
  client: ChatClient;
  model: string;
  maxConcurrency: number;
  maxContextTokens: number;
  sources: ContextSources;
  budget: BudgetGuard;
  /** A rough cost of asking `user` (with the system prompt and a typical answer), for the budget's reservation. */
  estimateCostUsd: (user: string) => number;
  /** The review cache's table; answers are kept there by content. */
  cache?: CacheStore;
}

/** What the LLM stage adds to a run. */
export interface LlmStageResult {
  findings: RuleFinding[];
  calls: number;
  tokens: TokenUsage;
  costUsd: number;
  summary: LlmRunSummary;
  /** One line for the run's errors when some hunks could not be reviewed; null when all were. */
  error: string | null;
}

/** An answer as cached: lines relative to the hunk's first new line, and what the call cost. */
interface CachedAnswer {
  costUsd: number;
  findings: Array<Omit<AnswerFinding, 'line' | 'endLine'> & { lineOffset: number; endLineOffset: number }>;
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
  const failures: string[] = [];

  const jobs: Array<() => Promise<void>> = [];
  for (const file of files) {
    const reviewable = file.newText !== null && !options.sources.isExcluded(file.path);
    const hunks = file.diff.hunks.filter((hunk) => hunk.lines.some((line) => line.kind === 'add'));
    summary.hunksExcluded += file.diff.hunks.length - (reviewable ? hunks.length : 0);
    if (!reviewable) continue;
    const parsed = scriptKindOf(file.path) === undefined ? undefined : parseSource(file.path, file.newText!);
    const fileStatic = staticFindings.filter((finding) => finding.file === file.path);
    for (const hunk of hunks) {
      jobs.push(async () => {
        const prompt = await buildHunkPrompt(file, hunk, parsed, fileStatic, options.sources, options.maxContextTokens);
        if (prompt.omitted.length) summary.contextOmitted.push(`${file.path}:${prompt.range.first}: ${prompt.omitted.join(', ')}`);
        const key = createHash('sha256').update(`llm\u0000${PROMPT_VERSION}\u0000${options.model}\u0000${SYSTEM_PROMPT}\u0000${prompt.contextHash}`).digest('hex');
        const cached = options.cache?.getJson(key, Date.now(), isCachedAnswer);
        if (cached) {
          summary.hunksCached++;
          summary.savedUsd += cached.costUsd;
          for (const entry of cached.findings) {
            const { lineOffset, endLineOffset, ...rest } = entry;
            findings.push(toRuleFinding({ ...rest, line: hunk.newStart + lineOffset, endLine: hunk.newStart + endLineOffset }, file));
          }
          return;
        }
        const redacted = await redactForLlm(prompt.user);
        const estimate = options.estimateCostUsd(redacted.text);
        if (!options.budget.reserve(estimate)) {
          summary.hunksOverBudget++;
          return;
        }
        summary.redactions += redacted.count;
        summary.hunksSent++;
        let answer;
        try {
          answer = await options.client.complete({ system: SYSTEM_PROMPT, user: redacted.text, schema: answerSchema, schemaName: ANSWER_SCHEMA_NAME, signal });
        } catch (error) {
          options.budget.settle(estimate, 0);
          signal?.throwIfAborted();
          summary.hunksFailed++;
          failures.push(error instanceof LlmError ? error.message : `LLM call failed: ${(error as Error).message}`);
          return;
        }
        tokens.prompt += answer.usage.prompt;
        tokens.completion += answer.usage.completion;
        costUsd += answer.costUsd;
        options.budget.settle(estimate, answer.costUsd);
        const accepted = answer.value.findings.filter((finding) => insideHunk(finding, prompt.range)).slice(0, MAX_FINDINGS_PER_HUNK);
        for (const finding of accepted) findings.push(toRuleFinding(finding, file));
        options.cache?.put(key, JSON.stringify(toCached(accepted, hunk, answer.costUsd)), Date.now());
      });
    }
  }
  await runPool(jobs, options.maxConcurrency, signal);

  summary.savedUsd = Number(summary.savedUsd.toFixed(6));
  summary.budget = options.budget.state();
  if (jobs.length > 0 && summary.hunksOverBudget === jobs.length) summary.skipped = 'budget';
  summary.contextOmitted.sort();
  return { findings, calls: summary.hunksSent, tokens, costUsd: Number(costUsd.toFixed(6)), summary, error: failureLine(failures, summary.hunksSent) };
}

/** The LLM part of a run before anything was sent; `skipped` says why nothing will be. */
export function emptyLlmSummary(model: string, skipped: LlmRunSummary['skipped'] = null): LlmRunSummary {
  return {
    model, skipped, hunksSent: 0, hunksCached: 0, hunksExcluded: 0, hunksOverBudget: 0, hunksFailed: 0, savedUsd: 0, redactions: 0,
    contextOmitted: [], budget: null,
  };
}

function insideHunk(finding: AnswerFinding, range: { first: number; last: number }): boolean {
  return finding.line >= range.first && finding.endLine >= finding.line && finding.endLine <= range.last;
}

function toRuleFinding(finding: AnswerFinding, file: ChangedFile): RuleFinding {
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
    findings: findings.map(({ line, endLine, ...rest }) => ({ ...rest, lineOffset: line - hunk.newStart, endLineOffset: endLine - hunk.newStart })),
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

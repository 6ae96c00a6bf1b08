/**
 * The check run that shows a review on the pull request's head commit, as
 * GitHub's REST reference "Check runs" gives it: started in progress when the
 * review starts (or found again when a retried job starts over: one check run
 * per head, never two), completed with a conclusion that follows `--fail-on`,
 * a summary table and one annotation per finding. GitHub takes at most 50
 * annotations per request and appends those of every update, so more findings
 * go in several PATCHes; all but the last are sent while the run is still in
 * progress, so that a failure half-way never leaves a completed run with only
 * part of its annotations.
 */
import type { ReviewDocument, Finding, Severity } from '../../shared/review';
import { SEVERITY_RANK } from '../../shared/review';
import { checkAnswer } from './answers';
import { describeGitHubError, endpointFor, type GitHubOctokit } from './client';
import { excerpt, GitHubError, isPermissionRefusal, refusalWords } from './errors';
import { repoPath } from './prSync';
import type { GitHubRepository } from './remote';
import { restCheckRunListSchema, restCheckRunSchema } from './restTypes';

/** The check run's name: what GitHub lists under the pull request's checks, and branch protection requires. */
export const CHECK_RUN_NAME = 'Diffwise';

/** GitHub's limit of annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

/** Past this many, findings are counted in the summary but not annotated (20 requests is enough for anyone to read). */
const MAX_ANNOTATIONS = 1000;

/** How many rules the summary's table lists (the noisiest first). */
const SUMMARY_RULES = 15;

/** The conclusions GitHub documents for a completed check run. */
export type CheckConclusion = 'action_required' | 'cancelled' | 'failure' | 'neutral' | 'success' | 'skipped' | 'stale' | 'timed_out';

/** `--fail-on`: the lowest severity that fails the check; `never` never does. */
export type CheckFailOn = Severity | 'never';

const LEVEL: Record<Severity, 'failure' | 'warning' | 'notice'> = { error: 'failure', warning: 'warning', info: 'notice' };

/**
 * The id of the check run named `name` on `headSha`: the one already there (a
 * retried job, a second delivery for the same head), else a new one in progress.
 */
export async function startCheckRun(octokit: GitHubOctokit, repository: GitHubRepository, headSha: string, options: { name?: string; externalId?: string } = {}): Promise<number> {
  const name = options.name ?? CHECK_RUN_NAME;
  const base = repoPath(repository);
  try {
    const listUrl = `${base}/commits/${encodeURIComponent(headSha)}/check-runs?check_name=${encodeURIComponent(name)}&filter=latest&per_page=100`;
    const listed = await octokit.request(`GET ${listUrl}`);
    const known = checkAnswer(restCheckRunListSchema(), listed.data, { endpoint: endpointFor(octokit, 'GET', listUrl), status: listed.status }, 'a list of check runs')
      .check_runs.find((run) => run.name === name && run.head_sha === headSha);
    if (known) return known.id;
    const created = await octokit.request(`POST ${base}/check-runs`, {
      name, head_sha: headSha, status: 'in_progress', started_at: new Date().toISOString(),
      ...(options.externalId !== undefined ? { external_id: options.externalId } : {}),
    });
    return checkAnswer(restCheckRunSchema(), created.data, { endpoint: endpointFor(octokit, 'POST', `${base}/check-runs`), status: created.status }, 'the check run it created').id;
  } catch (error) {
    if (isPermissionRefusal(error)) throw new CheckRunsUnavailableError(repository, error);
    throw describeGitHubError(error, repository, true);
  }
}

/**
 * GitHub lets only a GitHub App with the Checks permission write check runs: a
 * personal token (the simple mode) gets 403. The review can still be published;
 * the worker tells this failure from the others by its class.
 */
export class CheckRunsUnavailableError extends GitHubError {
  override name = 'CheckRunsUnavailableError';
  constructor(repository: GitHubRepository, cause: unknown) {
    super(`cannot write check runs on ${repository.owner}/${repository.repo} (403${refusalWords(cause)}): GitHub lets only a GitHub App with the Checks permission (read and write) do so; with GITHUB_TOKEN the review is published without a check run`);
  }
}

/**
 * The conclusion of a review under `failOn`: `failure` when an unsuppressed
 * finding is at or above it (what a partial review found is still found),
 * else `neutral` when the review failed or was partial (the summary says why:
 * a green check must not claim files nobody looked at), else `success`.
 */
export function conclusionFor(document: ReviewDocument, failOn: CheckFailOn): CheckConclusion {
  if (document.run.status === 'failed') return 'neutral';
  const failing = failOn !== 'never' && document.findings.some((finding) => !finding.suppressed && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]);
  if (failing) return 'failure';
  return document.run.status === 'partial' ? 'neutral' : 'success';
}

/**
 * Completes check run `id` with `conclusion`. With the review's document, the
 * summary counts its findings by severity and rule and each finding is an
 * annotation; without one (the review could not be done, or a newer push
 * superseded it) the summary says so, with `message` when given.
 */
export async function completeCheckRun(
  octokit: GitHubOctokit, repository: GitHubRepository, id: number, document: ReviewDocument | null, conclusion: CheckConclusion, message?: string,
): Promise<void> {
  const url = `${repoPath(repository)}/check-runs/${id}`;
  const { title, summary, text } = document ? reportOf(document, conclusion) : outcomeWithoutReview(conclusion, message);
  const annotations = document ? document.findings.filter((finding) => !finding.suppressed).slice(0, MAX_ANNOTATIONS).map(annotationOf) : [];
  const batches: Annotation[][] = [];
  for (let start = 0; start < annotations.length; start += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(start, start + ANNOTATIONS_PER_REQUEST));
  const last = batches.pop() ?? [];
  try {
    // GitHub appends each update's annotations; output's title and summary are required in every one.
    for (const batch of batches) await patch({ output: { title, summary, annotations: batch } });
    await patch({
      status: 'completed', conclusion, completed_at: new Date().toISOString(),
      output: { title, summary, ...(text ? { text } : {}), annotations: last },
    });
  } catch (error) {
    throw describeGitHubError(error, repository, true);
  }

  async function patch(body: Record<string, unknown>): Promise<void> {
    const response = await octokit.request(`PATCH ${url}`, body);
    checkAnswer(restCheckRunSchema(), response.data, { endpoint: endpointFor(octokit, 'PATCH', url), status: response.status }, 'the check run it updated');
  }
}

interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title: string;
}

function annotationOf(finding: Finding): Annotation {
  const endLine = Math.max(finding.line, finding.endLine);
  // GitHub takes columns only on a one-line annotation.
  const columns = finding.line === endLine && finding.column !== undefined && finding.endColumn !== undefined ? { start_column: finding.column, end_column: finding.endColumn } : {};
  return { path: finding.file, start_line: finding.line, end_line: endLine, ...columns, annotation_level: LEVEL[finding.severity], message: finding.message.slice(0, 4000), title: finding.ruleId };
}

/** The title, the summary (counts by severity and by rule) and, for a neutral run, why. */
function reportOf(document: ReviewDocument, conclusion: CheckConclusion): { title: string; summary: string; text?: string } {
  const reported = document.findings.filter((finding) => !finding.suppressed);
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byRule = new Map<string, Record<Severity, number>>();
  for (const finding of reported) {
    counts[finding.severity]++;
    const rule = byRule.get(finding.ruleId) ?? { error: 0, warning: 0, info: 0 };
    rule[finding.severity]++;
    byRule.set(finding.ruleId, rule);
  }
  const total = reported.length;
  const title = document.run.status === 'failed' ? 'The review failed'
    : total === 0 ? `No problems found${document.run.status === 'partial' ? ' (partial review)' : ''}`
      : `${total} problem${total === 1 ? '' : 's'}: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')}`;
  const lines: string[] = [];
  const why = neutralReason(document);
  if (conclusion === 'neutral' && why) lines.push(`**${why}**`, '');
  if (total) {
    lines.push('| Severity | Findings |', '| --- | ---: |');
    for (const severity of ['error', 'warning', 'info'] as const) if (counts[severity]) lines.push(`| ${severity} | ${counts[severity]} |`);
    lines.push('', '| Rule | Errors | Warnings | Info |', '| --- | ---: | ---: | ---: |');
    const rules = [...byRule].sort(([a, x], [b, y]) => sum(y) - sum(x) || a.localeCompare(b));
    for (const [ruleId, rule] of rules.slice(0, SUMMARY_RULES)) lines.push(`| \`${ruleId}\` | ${rule.error} | ${rule.warning} | ${rule.info} |`);
    if (rules.length > SUMMARY_RULES) lines.push(`| ${rules.length - SUMMARY_RULES} more rule(s) | | | |`);
  } else if (document.run.status !== 'failed') {
    lines.push('Diffwise found nothing to report in this change.');
  }
  const notes: string[] = [];
  if (document.run.learning.suppressed) notes.push(`${document.run.learning.suppressed} finding(s) left out: the team voted them down`);
  if (total > MAX_ANNOTATIONS) notes.push(`the first ${MAX_ANNOTATIONS} findings are annotated`);
  if (notes.length) lines.push('', `${notes.join('; ')}.`);
  const details = [...document.run.errors.map((error) => `- ${error.stage}: ${excerpt(error.message, 300)}`), ...document.run.skipped.map((file) => `- ${file.file}: ${excerpt(file.detail, 300)}`)];
  return { title, summary: lines.join('\n'), ...(details.length ? { text: ['What the review could not do:', '', ...details.slice(0, 50)].join('\n') } : {}) };
}

/** Why a review's check is neutral: it failed, or it was partial. */
function neutralReason(document: ReviewDocument): string | undefined {
  if (document.run.status === 'failed') {
    const decisive = document.run.errors.find((error) => error.fatal) ?? document.run.errors[0];
    return `The review failed${decisive ? ` (${decisive.stage}: ${excerpt(decisive.message, 200)})` : ''}: no conclusion can be drawn from it.`;
  }
  if (document.run.status === 'partial') {
    const skipped = document.run.skipped.filter((file) => file.rules.length).length;
    return `The review was partial (${[skipped ? `${skipped} file(s) not wholly reviewed` : '', document.run.errors.length ? `${document.run.errors.length} error(s)` : ''].filter(Boolean).join(', ') || 'see below'}): a pass would claim more than was checked.`;
  }
  return undefined;
}

function outcomeWithoutReview(conclusion: CheckConclusion, message: string | undefined): { title: string; summary: string; text?: string } {
  if (conclusion === 'cancelled') return { title: 'Superseded', summary: `Superseded by a newer push: that head gets its own review.${message ? `\n\n${excerpt(message, 500)}` : ''}` };
  return { title: 'The review could not be done', summary: message ? excerpt(message, 1000) : 'The review could not be done; the service\'s log says why.' };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
const sum = (counts: Record<Severity, number>): number => counts.error + counts.warning + counts.info;

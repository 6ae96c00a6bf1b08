/**
 * What a GitHub webhook delivery means for the team service, decided from its event
 * name and parsed payload alone (no I/O, so every case is a unit test): review the pull
 * request, only record it (a draft, a close), ignore it with a reason, or refuse it as
 * malformed. The payloads' fields are those of GitHub's webhook documentation; zod checks
 * only the ones we read, so GitHub adding fields never breaks a delivery.
 */
import { z } from 'zod';
import type { PullRequestEvent } from '../store/serviceStore';

/** What the deliveries table keeps of a delivery, whatever its fate. */
export interface DeliverySummary {
  action: string | null;
  repository: string | null;
  pullNumber: number | null;
}

export type DeliveryPlan =
  /** Not the shape GitHub sends for this event: 400, nothing recorded. */
  | { kind: 'malformed'; reason: string }
  /** An event or action we do not act on: recorded as `ignored`, 202. */
  | { kind: 'ignore'; summary: DeliverySummary; reason: string }
  /** A draft's opened/synchronize/reopened: its head is recorded, no review until ready_for_review. */
  | { kind: 'track'; summary: DeliverySummary; event: PullRequestEvent }
  /** The pull request was closed: its state is recorded, no review. */
  | { kind: 'close'; summary: DeliverySummary; repository: string; number: number }
  /** Queue a review (`reason`: the pull_request action, or `command`). */
  | { kind: 'review'; summary: DeliverySummary; event: PullRequestEvent; reason: string };

/** The pull_request actions that ask for a review of the head. */
const REVIEW_ACTIONS: ReadonlySet<string> = new Set(['opened', 'synchronize', 'reopened', 'ready_for_review']);

/** Who may ask for a review by comment: people with write access (GitHub's author_association). */
export const COMMAND_ASSOCIATIONS: ReadonlySet<string> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** The comment that asks for a review, on its first line (any case, spaces around allowed). */
export const REVIEW_COMMAND = '/diffwise review';

const repositorySchema = z.object({
  full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
  clone_url: z.string().min(1),
});

const installationSchema = z.object({ id: z.number().int() }).nullish();

const refSchema = z.object({ sha: z.string().min(1), ref: z.string().min(1) });

const pullRequestPayload = z.object({
  action: z.string(),
  repository: repositorySchema,
  installation: installationSchema,
  pull_request: z.object({
    number: z.number().int().positive(),
    state: z.enum(['open', 'closed']),
    draft: z.boolean().optional(),
    updated_at: z.string().min(1),
    head: refSchema,
    base: refSchema,
  }),
});

const issueCommentPayload = z.object({
  action: z.string(),
  repository: repositorySchema,
  installation: installationSchema,
  issue: z.object({
    number: z.number().int().positive(),
    // Present (with its API URLs) only when the issue is a pull request.
    pull_request: z.object({}).passthrough().nullish(),
  }),
  comment: z.object({
    body: z.string().nullable(),
    author_association: z.string(),
  }),
});

/** Any other event: its action and repository, when it has them, for the deliveries table. */
const otherPayload = z.object({
  action: z.string().optional(),
  repository: z.object({ full_name: z.string() }).passthrough().nullish(),
});

/** Whether a comment's body is the review command. */
export function isReviewCommand(body: string | null): boolean {
  const firstLine = (body ?? '').split(/\r?\n/, 1)[0]!;
  return firstLine.trim().toLowerCase() === REVIEW_COMMAND;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : 'payload does not match';
}

export function planDelivery(event: string, payload: unknown): DeliveryPlan {
  if (event === 'pull_request') return planPullRequest(payload);
  if (event === 'issue_comment') return planIssueComment(payload);
  const parsed = otherPayload.safeParse(payload);
  if (!parsed.success) return { kind: 'malformed', reason: `${event} ${firstIssue(parsed.error)}` };
  const summary = { action: parsed.data.action ?? null, repository: parsed.data.repository?.full_name ?? null, pullNumber: null };
  const reason = event === 'ping' ? 'ping: the webhook reaches Diffwise' : `event ${event} is not one Diffwise acts on`;
  return { kind: 'ignore', summary, reason };
}

function planPullRequest(payload: unknown): DeliveryPlan {
  const parsed = pullRequestPayload.safeParse(payload);
  if (!parsed.success) return { kind: 'malformed', reason: `pull_request ${firstIssue(parsed.error)}` };
  const { action, repository, installation, pull_request: pull } = parsed.data;
  const summary: DeliverySummary = { action, repository: repository.full_name, pullNumber: pull.number };
  if (action === 'closed') return { kind: 'close', summary, repository: repository.full_name, number: pull.number };
  if (!REVIEW_ACTIONS.has(action)) return { kind: 'ignore', summary, reason: `pull_request ${action} does not change what is reviewed` };
  const draft = pull.draft ?? false;
  const event: PullRequestEvent = {
    repository: repository.full_name,
    number: pull.number,
    installationId: installation?.id ?? null,
    cloneUrl: repository.clone_url,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    baseSha: pull.base.sha,
    baseRef: pull.base.ref,
    state: pull.state,
    draft,
    eventAt: pull.updated_at,
  };
  // A draft is work in progress: its head is kept, and ready_for_review (never a draft) queues the review.
  if (draft) return { kind: 'track', summary, event };
  return { kind: 'review', summary, event, reason: action };
}

function planIssueComment(payload: unknown): DeliveryPlan {
  const parsed = issueCommentPayload.safeParse(payload);
  if (!parsed.success) return { kind: 'malformed', reason: `issue_comment ${firstIssue(parsed.error)}` };
  const { action, repository, installation, issue, comment } = parsed.data;
  const summary: DeliverySummary = { action, repository: repository.full_name, pullNumber: issue.pull_request ? issue.number : null };
  if (action !== 'created') return { kind: 'ignore', summary, reason: `issue_comment ${action}: only a new comment can be a command` };
  if (!isReviewCommand(comment.body)) return { kind: 'ignore', summary, reason: `the comment is not ${REVIEW_COMMAND}` };
  if (!issue.pull_request) return { kind: 'ignore', summary, reason: `${REVIEW_COMMAND} on an issue, not a pull request` };
  if (!COMMAND_ASSOCIATIONS.has(comment.author_association)) {
    return { kind: 'ignore', summary, reason: `${REVIEW_COMMAND} from a ${comment.author_association.toLowerCase()} (only an owner, member or collaborator can ask)` };
  }
  // The comment carries no head: the worker asks GitHub for it.
  const event: PullRequestEvent = { repository: repository.full_name, number: issue.number, installationId: installation?.id ?? null, cloneUrl: repository.clone_url };
  return { kind: 'review', summary, event, reason: 'command' };
}

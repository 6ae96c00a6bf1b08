/**
 * Every custom message between the Diffwise daemon and its clients, defined once
 * (vscode-eslint's `customMessages.ts` form): each in its own namespace with its
 * method string and typed message type. Standard LSP messages need nothing here.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { FeedbackRecord, LearnedDocument } from './feedback';
import type { PrComment, PrCommentsDocument, PrPublishResult, PrSyncResult } from './github';
import type { GraphDocument, ImpactDocument } from './impact';
import type { IndexSummary } from './indexSummary';
import type { Metrics } from './metrics';
import type { AlertReport, HealthReport } from './observability';
import type { ReviewDocument, ReviewScope, Severity, Vote } from './review';

export type { IndexSummary };

/** The `workspace/executeCommand` command that runs a review; arguments: `[ReviewParams]`. */
export const REVIEW_COMMAND = 'diffwise.review';

/**
 * The `workspace/executeCommand` command behind the "Ignore this finding" quick
 * fix; arguments: `[findingId]`. The finding is left out of every later review.
 */
export const IGNORE_FINDING_COMMAND = 'diffwise.ignoreFinding';

/**
 * The `workspace/executeCommand` command that undoes "Ignore this finding";
 * arguments: `[findingId]`. The finding is reported again from now on.
 */
export const UNIGNORE_FINDING_COMMAND = 'diffwise.unignoreFinding';

/**
 * The `workspace/executeCommand` command behind the 👍/👎 quick fixes and hover
 * links; arguments: `[findingId, vote, reason?]` with vote `up`, `down` or `clear`.
 * Any LSP client can run it; VS Code asks for the reason first (client middleware).
 */
export const VOTE_FINDING_COMMAND = 'diffwise.voteFinding';

/** What to review: the same choices as `diffwise review --working|--staged|--base REF`. */
export interface ReviewParams {
  scope: ReviewScope;
  /** Required for the `branch` scope. */
  base?: string;
  /** What started the review (shown in run records): `command`, `save`, … */
  trigger?: string;
  /** Call the LLM even when this month's budget is used up (the user said so). */
  overBudget?: boolean;
  /** Include the findings learning suppressed (marked `suppressed: true`), like `--show-suppressed`. */
  showSuppressed?: boolean;
}

/** What `diffwise/impact` asks for: a change, like a review's, and how far to follow dependents. */
export interface ImpactParams {
  scope: ReviewScope;
  base?: string;
  /** Import steps to follow from the change (default 3). */
  depth?: number;
}

/**
 * Sent by the client: the impact of a change (what `diffwise impact --format json`
 * prints) with its dependency graph (what `diffwise graph --format json` prints),
 * for the impact view and the CodeLens on changed exports. Reads the index only.
 */
export namespace ImpactRequest {
  export const method = 'diffwise/impact' as const;
  export const type = new RequestType<ImpactParams, ImpactDocument & { graph: GraphDocument }, void>(method);
}

/**
 * Sent by the client: runs a review and returns the same document as
 * `diffwise review --format json`. The daemon also publishes the findings as
 * diagnostics. Cancellable with `$/cancelRequest`; reports `$/progress` when the
 * client passes a `workDoneToken`.
 */
export namespace ReviewRequest {
  export const method = 'diffwise/review' as const;
  export const type = new RequestType<ReviewParams & { workDoneToken?: string | number }, ReviewDocument, void>(method);
}

/** Sent by the client: brings the whole index up to date now (Reindex Workspace). */
export namespace ReindexRequest {
  export const method = 'diffwise/reindex' as const;
  export const type = new RequestType<Record<string, never>, IndexSummary, void>(method);
}

/** What the daemon is doing, for a status bar. */
export type DaemonState = 'starting' | 'indexing' | 'idle' | 'reviewing' | 'error';

export interface StatusParams {
  state: DaemonState;
  /** One line for a tooltip: what is being indexed, or what went wrong. */
  message: string;
  /** Counts of the last review's findings, once there has been one. */
  lastReview?: { scope: ReviewScope; findings: Record<Severity, number>; durationMs: number };
}

/** Sent by the daemon whenever its state changes. */
export namespace StatusNotification {
  export const method = 'diffwise/status' as const;
  export const type = new NotificationType<StatusParams>(method);
}

/** The `data` the daemon attaches to each diagnostic it publishes. */
export interface FindingDiagnosticData {
  findingId: string;
  ruleId: string;
  suggestion: string | null;
}

/** A vote on a finding of a recent review, by its id (a unique prefix of at least 6 characters will do). */
export interface VoteParams {
  findingId: string;
  vote: Vote | 'clear';
  reason?: string;
}

/**
 * Sent by the client: records a vote (the same as `diffwise feedback ID --up|--down`).
 * A vote down takes the finding off the diagnostics at once; the daemon then sends
 * `LastReviewChangedNotification`.
 */
export namespace FeedbackRequest {
  export const method = 'diffwise/feedback' as const;
  export const type = new RequestType<VoteParams, FeedbackRecord, void>(method);
}

/**
 * Sent by the client: the last review as the feedback panel shows it: findings on
 * the work tree's lines, suppressed ones included (marked), each with the user's
 * vote. Null before the first review since the daemon started.
 */
export namespace LastReviewRequest {
  export const method = 'diffwise/lastReview' as const;
  export const type = new RequestType<Record<string, never>, ReviewDocument | null, void>(method);
}

/**
 * Sent by the daemon when the last review changed: a review finished, a vote, ignore
 * or unignore changed a finding (`feedback`), or an edit took findings away or brought
 * them back (`edit`: their code was deleted, or an undo restored it).
 */
export interface LastReviewChangedParams {
  runId: string;
  cause: 'review' | 'feedback' | 'edit';
}

export namespace LastReviewChangedNotification {
  export const method = 'diffwise/lastReviewChanged' as const;
  export const type = new NotificationType<LastReviewChangedParams>(method);
}

/**
 * Sent by the daemon when alerts fired or cleared (after a review, and at its start: then
 * also when some fire, so that a new editor session knows). Each alert is in `fired` once
 * per condition: the client shows a notification for those, with the action that fixes it.
 */
export namespace AlertsNotification {
  export const method = 'diffwise/alerts' as const;
  export const type = new NotificationType<AlertReport>(method);
}

/** Sent by the client: the same document as `diffwise metrics --json [--since]`. `since` is an ISO time. */
export namespace MetricsRequest {
  export const method = 'diffwise/metrics' as const;
  export const type = new RequestType<{ since?: string }, Metrics, void>(method);
}

/** What the editor knows and the daemon cannot: whether the user trusts the workspace. */
export interface HealthParams {
  trusted?: boolean;
}

/**
 * Sent by the client: the checks of `diffwise doctor --json` (Node, git, database, disk,
 * index, LLM endpoint, GitHub) with the editor's settings, plus the workspace trust.
 */
export namespace HealthRequest {
  export const method = 'diffwise/health' as const;
  export const type = new RequestType<HealthParams, HealthReport, void>(method);
}

/** Sent by the client: the same document as `diffwise learned --json`. */
export namespace LearnedRequest {
  export const method = 'diffwise/learned' as const;
  export const type = new RequestType<Record<string, never>, LearnedDocument, void>(method);
}

/** Export the votes to a team file, or import one (default `.diffwise/learned.json` in the repository). */
export interface LearnedTransferParams {
  direction: 'export' | 'import';
  /** Absolute, or relative to the repository root. */
  file?: string;
}

export namespace LearnedTransferRequest {
  export const method = 'diffwise/learnedTransfer' as const;
  export const type = new RequestType<LearnedTransferParams, { file: string; votes: number }, void>(method);
}

/**
 * Sent by the client: fetches the pull request of the current branch and its review
 * comments, reviews and threads from GitHub (incrementally: ETags and `since`), the
 * same as `diffwise pr sync`. The token comes from the daemon's environment
 * (GITHUB_TOKEN; VS Code passes its GitHub session there), never from a message.
 */
export namespace PrSyncRequest {
  export const method = 'diffwise/prSync' as const;
  export const type = new RequestType<Record<string, never>, PrSyncResult, void>(method);
}

/** Sent by the client: the synced comments placed on the working tree (no network), like `diffwise pr comments`. */
export namespace PrCommentsRequest {
  export const method = 'diffwise/prComments' as const;
  export const type = new RequestType<Record<string, never>, PrCommentsDocument, void>(method);
}

/** Sent by the client: answers a review comment's thread on GitHub; returns the new comment. */
export namespace PrReplyRequest {
  export const method = 'diffwise/prReply' as const;
  export const type = new RequestType<{ commentId: number; body: string }, PrComment, void>(method);
}

/** Sent by the client: resolves or unresolves a review thread on GitHub. */
export namespace PrResolveRequest {
  export const method = 'diffwise/prResolve' as const;
  export const type = new RequestType<{ threadId: string; resolved: boolean }, { threadId: string; resolved: boolean }, void>(method);
}

/** Sent by the daemon after a sync, a reply or a resolve changed the stored comments (`pullNumber` 0 for a reply or a resolve). */
export namespace PrCommentsChangedNotification {
  export const method = 'diffwise/prCommentsChanged' as const;
  export const type = new NotificationType<{ pullNumber: number }>(method);
}

/**
 * Sent by the client: reviews the pull request's changes and posts the findings
 * (not those voted down) as one review, like `diffwise pr publish [--dry-run]`.
 */
export namespace PrPublishRequest {
  export const method = 'diffwise/prPublish' as const;
  export const type = new RequestType<{ dryRun?: boolean }, PrPublishResult, void>(method);
}

/**
 * Sent by the client: 👍/👎 on a pull-request comment. On a comment Diffwise
 * published it is a vote on that finding; on a teammate's comment it is kept as
 * an example of what the team wants reviewed (for the LLM's prompt). With
 * `react`, the same thumbs go to GitHub as a reaction.
 */
export namespace PrVoteRequest {
  export const method = 'diffwise/prVote' as const;
  export const type = new RequestType<{ commentId: number; vote: Vote | 'clear'; reason?: string; react?: boolean }, FeedbackRecord, void>(method);
}

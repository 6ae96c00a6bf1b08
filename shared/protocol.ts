/**
 * Every custom message between the Diffwise daemon and its clients, defined once
 * (vscode-eslint's `customMessages.ts` form): each in its own namespace with its
 * method string and typed message type. Standard LSP messages need nothing here.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { IndexSummary } from './indexSummary';
import type { ReviewDocument, ReviewScope, Severity } from './review';

export type { IndexSummary };

/** The `workspace/executeCommand` command that runs a review; arguments: `[ReviewParams]`. */
export const REVIEW_COMMAND = 'diffwise.review';

/**
 * The `workspace/executeCommand` command behind the "Ignore this finding" quick
 * fix; arguments: `[findingId]`. The finding is left out of every later review.
 */
export const IGNORE_FINDING_COMMAND = 'diffwise.ignoreFinding';

/** What to review: the same choices as `diffwise review --working|--staged|--base REF`. */
export interface ReviewParams {
  scope: ReviewScope;
  /** Required for the `branch` scope. */
  base?: string;
  /** What started the review (shown in run records): `command`, `save`, … */
  trigger?: string;
  /** Call the LLM even when this month's budget is used up (the user said so). */
  overBudget?: boolean;
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

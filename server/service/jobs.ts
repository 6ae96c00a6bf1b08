/**
 * What the server puts on the queue and a worker takes off it. A job names a pull
 * request, not a head: the worker reviews the newest head the store knows when it
 * starts (store/serviceStore.ts PullRequestState), so a job queued behind a push
 * reviews that push, and an older one finishing late sees it was superseded.
 */
export interface ReviewJob {
  /** owner/name. */
  repository: string;
  number: number;
  /** The GitHub App installation the delivery came through; null in the simple (GITHUB_TOKEN) mode. */
  installationId: number | null;
  /** X-GitHub-Delivery of the delivery that queued it (the first, when several asked while it waited). */
  deliveryId: string;
  /** Why: a pull_request action, or `command` for a `/diffwise review` comment. */
  reason: string;
}

/** The queue's key for a pull request: one job per state (queued, running) per key. */
export function pullRequestKey(repository: string, number: number): string {
  return `${repository.toLowerCase()}#${number}`;
}

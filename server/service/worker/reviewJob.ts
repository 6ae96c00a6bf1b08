/**
 * One review job, start to finish: the pull request's newest head (GitHub's word, not the
 * delivery's), a check run on it (a commit status when the token may not write one), the
 * partial clone checked out, the team's votes and the shared cache copied in, the review
 * core run as the CLI runs it, what it cached copied out, and, unless a newer push arrived
 * meanwhile, the fingerprinted publish and the check run's conclusion (or the status's
 * state). Every outcome is a row in the reviews table.
 *
 * The order is what makes a retry or a redelivery safe: a head already published is left
 * alone (a job retried after a crash that followed its publish), the publish edits rather
 * than duplicates, and a second `published` row for a head is refused by the store.
 */
import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { FailOn } from '../../cli/args';
import type { ReviewTrace } from '../../../shared/observability';
import type { ReviewDocument } from '../../../shared/review';
import { CheckRunsUnavailableError, completeCheckRun, conclusionFor, startCheckRun, type CheckConclusion } from '../../github/checkRuns';
import { CommitStatusUnavailableError, REVIEWING_DESCRIPTION, setCommitStatus, statusDescription, statusFor } from '../../github/commitStatus';
import { fetchPull, publishPullReview, StaleHeadError } from '../../github/pullPublication';
import { monthStartUtc } from '../../llm/budget';
import type { Logger } from '../../observability/logger';
import { Workspace, type WorkspaceOptions } from '../../workspace';
import type { ReviewJob } from '../jobs';
import type { ReviewRecord, ReviewStatus, ServiceStore } from '../store/serviceStore';
import { HeadNotFoundError, type CloneCache } from './cloneCache';
import { isPermanentFailure, oneLine } from './jobFailures';
import { exportSharedCache, importSharedCache } from './sharedCache';
import { importTeamVotes } from './teamLearning';
import type { JobGitHub, WorkerGitHub } from './workerGitHub';

export interface WorkerContext {
  store: ServiceStore;
  clones: CloneCache;
  github: WorkerGitHub;
  failOn: FailOn;
  logger: Logger;
  /** The sinks of one job's review (its logger's lines, Sentry, the OTLP export). */
  onReviewRecorded: (log: Logger) => WorkspaceOptions['onReviewRecorded'];
  /** hostname:pid, recorded with each review. */
  worker: string;
  env: NodeJS.ProcessEnv;
}

/** What the job knows so far, for the row it records whatever happens. */
interface JobRecord {
  headSha: string;
  baseSha: string | null;
  requestedAt: string | null;
  checkRunId: number | null;
}

/** A retry asked for: the delivery's head may be newer than what GitHub answered. */
class DeliveredHeadPending extends Error {
  override name = 'DeliveredHeadPending';
}

export async function reviewJob(context: WorkerContext, job: PgBoss.JobWithMetadata<ReviewJob>): Promise<void> {
  const { store } = context;
  const { repository, number } = job.data;
  const startedAt = new Date();
  const attempt = job.retryCount + 1;
  const lastAttempt = job.retryCount >= job.retryLimit;
  let log = context.logger.child({ repository, number, jobId: job.id, attempt });
  const known: JobRecord = { headSha: '', baseSha: null, requestedAt: null, checkRunId: null };
  const record = async (status: ReviewStatus, extra: Partial<ReviewRecord> = {}): Promise<'recorded' | 'duplicate'> => {
    const finishedAt = new Date();
    const result = await store.recordReview({
      id: randomUUID(), repository, number, headSha: known.headSha, baseSha: known.baseSha, status, run: null, findings: 0, conclusion: null,
      checkRunId: known.checkRunId, reviewUrl: null, requestedAt: known.requestedAt, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(),
      waitMs: known.requestedAt === null ? null : Math.max(0, startedAt.getTime() - Date.parse(known.requestedAt)), runMs: finishedAt.getTime() - startedAt.getTime(),
      attempt, jobId: job.id, worker: context.worker, error: null, ...extra,
    });
    if (result === 'duplicate') log.info({ status }, 'another worker published this head first');
    return result;
  };

  const state = await store.pullRequest(repository, number);
  if (!state || state.state === 'closed') {
    known.headSha = state?.headSha ?? '';
    await record('skipped', { error: state ? 'the pull request is closed' : 'no delivery recorded this pull request' });
    log.info({ reason: state ? 'closed' : 'unknown' }, 'review skipped');
    return;
  }
  known.headSha = state.headSha ?? '';
  known.baseSha = state.baseSha;
  known.requestedAt = state.requestedAt;

  let github: JobGitHub | undefined;
  /** The spans of this job's review, once it has run. */
  let trace: ReviewTrace | null = null;
  let publishedHead: string | undefined;
  /** Set when check runs are refused and a pending `Diffwise` commit status took their place. */
  let commitStatus = false;
  try {
    github = await context.github.forJob(repository, state.installationId ?? job.data.installationId, (rate, resource) => {
      void store.saveRateLimit(resource, rate).catch(() => undefined);
    });
    const { octokit } = github.client;
    const pull = await fetchPull(octokit, github.repository, number);
    known.headSha = pull.headSha;
    known.baseSha = pull.baseSha;
    log = log.child({ head: pull.headSha.slice(0, 12) });
    // Closed says GitHub; a draft says the newest delivery (ready_for_review asks again).
    if (pull.state !== 'open' || state.draft) {
      await record('skipped', { error: pull.state !== 'open' ? 'the pull request is closed' : 'the pull request is a draft' });
      log.info({ reason: pull.state !== 'open' ? 'closed' : 'draft' }, 'review skipped');
      return;
    }
    // A `/diffwise review` command carries no head: the store learns it now.
    if (!state.headSha) await store.learnHead(repository, number, { headSha: pull.headSha, headRef: pull.headRef, baseSha: pull.baseSha, baseRef: pull.baseRef });
    if (await store.publishedReview(repository, number, pull.headSha)) {
      log.info({}, 'this head is published already: nothing to do');
      await retryIfDeliveryNewer(pull.headSha);
      return;
    }

    const timings = { checkoutMs: 0, reviewMs: 0, publishMs: 0 };
    let mark = Date.now();
    github.client.deadline.restart();
    try {
      known.checkRunId = await startCheckRun(octokit, github.repository, pull.headSha, { name: 'Diffwise' });
    } catch (error) {
      // A personal token may not write check runs (only a GitHub App may): a commit status is its gate instead.
      if (!(error instanceof CheckRunsUnavailableError)) throw error;
      log.warn({ error: oneLine(error) }, 'no check run: a Diffwise commit status instead');
      try {
        await setCommitStatus(octokit, github.repository, pull.headSha, 'pending', REVIEWING_DESCRIPTION);
        commitStatus = true;
      } catch (statusError) {
        if (!(statusError instanceof CommitStatusUnavailableError)) throw statusError;
        log.warn({ error: oneLine(statusError) }, 'no commit status either: publishing the review without a gate');
      }
    }
    const checkout = await context.clones.checkout({
      repository, number, cloneUrl: state.cloneUrl, authorization: github.authorizationFor(state.cloneUrl), headSha: pull.headSha, baseRef: pull.baseRef, baseSha: pull.baseSha,
    });
    let document: ReviewDocument;
    let publishedUrl: string | null;
    timings.checkoutMs = Date.now() - mark;
    try {
      // The review's spans go to the sinks (log, OTLP, Sentry) and, kept here, to the reviews table (the dashboard's waterfall).
      const sinks = context.onReviewRecorded(log);
      const workspace = await Workspace.open({
        dir: checkout.dir, onNotice: (message) => log.warn({}, message),
        onReviewRecorded: (run, recorded) => {
          trace = recorded ?? null;
          sinks?.(run, recorded);
        },
      });
      try {
        const votes = await importTeamVotes({ store, workspace, octokit, repository: github.repository, number, log });
        const cache = await importSharedCache(store, workspace);
        const reviewStartMs = Date.now();
        mark = reviewStartMs;
        const base = (await workspace.repo.hasCommit(pull.baseSha)) ? pull.baseSha : 'refs/diffwise/base';
        document = await workspace.review({
          scope: 'branch', base, trigger: 'service', showSuppressed: true,
          llm: { env: context.env, teamSpendUsd: await store.spendSince(monthStartUtc(new Date())) },
        });
        timings.reviewMs = Date.now() - mark;
        const shared = await exportSharedCache(store, workspace, reviewStartMs, cache.keys);
        log.debug({ votesImported: votes, cacheIn: cache.added, cacheOut: shared }, 'team learning and shared cache');

        // A newer push arrived while this ran: the queue holds a job for it; this one publishes nothing.
        // Only a head that moved during the job counts: a store behind GitHub at the start (its
        // delivery still on the way) is not a newer push, and GitHub's head is the one reviewed.
        const now = await store.pullRequest(repository, number);
        if (now?.headSha && now.headSha !== pull.headSha && now.headSha !== state.headSha) {
          github.client.deadline.restart();
          if (known.checkRunId !== null) await completeCheckRun(octokit, github.repository, known.checkRunId, null, 'cancelled');
          else if (commitStatus) await setStatus(null, 'cancelled');
          await record('superseded', { run: document.run, trace, findings: document.findings.length, conclusion: 'cancelled', error: `superseded by ${now.headSha.slice(0, 12)}` });
          log.info({ newer: now.headSha.slice(0, 12) }, 'superseded by a newer push: not published');
          return;
        }
        github.client.deadline.restart();
        mark = Date.now();
        // No sync after posting: this pull request's next publish syncs before it plans (one GraphQL query, paced as a write, saved).
        const result = await publishPullReview({
          octokit, client: github.client, store: workspace.prStore, repo: workspace.repo, repository: github.repository, number, document, headSha: pull.headSha, baseSha: pull.baseSha,
          resyncAfter: false,
        });
        publishedUrl = result.reviewUrl;
      } finally {
        workspace.close();
      }
    } finally {
      checkout.release();
    }
    const conclusion = conclusionFor(document, context.failOn);
    github.client.deadline.restart();
    if (known.checkRunId !== null) await completeCheckRun(octokit, github.repository, known.checkRunId, document, conclusion);
    else if (commitStatus) await setStatus(document, conclusion, undefined, publishedUrl);
    timings.publishMs = Date.now() - mark;
    const reported = document.findings.filter((finding) => !finding.suppressed).length;
    await record('published', { run: document.run, trace, findings: reported, findingsByRule: findingsByRule(document), conclusion, reviewUrl: publishedUrl });
    log.info({ conclusion, findings: reported, reviewUrl: publishedUrl, waitMs: Math.max(0, startedAt.getTime() - Date.parse(state.requestedAt)), runMs: Date.now() - startedAt.getTime(), ...timings }, 'review published');
    publishedHead = pull.headSha;
  } catch (error) {
    await failed(error);
  }

  if (publishedHead !== undefined) await retryIfDeliveryNewer(publishedHead);

  /**
   * The delivery named another head than GitHub's answer, and no delivery came since: GitHub's
   * API may lag behind its webhook, and then the delivery's head is newer and unreviewed. Thrown
   * back to the queue (with its backoff): a retry reviews the head GitHub gives by then, or finds
   * it published and GitHub agreeing with the delivery (nothing to do).
   */
  async function retryIfDeliveryNewer(head: string): Promise<void> {
    if (lastAttempt) return;
    const after = await store.pullRequest(repository, number);
    if (after?.headSha && after.headSha !== head) {
      log.info({ delivered: after.headSha.slice(0, 12) }, 'the delivery\'s head is not the one GitHub gave: retried to review the newest');
      throw new DeliveredHeadPending(`the delivery's head ${after.headSha.slice(0, 12)} is not GitHub's ${head.slice(0, 12)}: retried to review the newest`);
    }
  }

  async function failed(error: unknown): Promise<void> {
    if (error instanceof DeliveredHeadPending) throw error;
    const message = oneLine(error);
    if (error instanceof HeadNotFoundError || error instanceof StaleHeadError) {
      // Force-pushed away or superseded: the newer head has its own job.
      await closeCheckRun(null, 'cancelled');
      await record('superseded', { conclusion: 'cancelled', error: message });
      log.info({ error: message }, 'head gone from the remote: not reviewed');
      return;
    }
    const permanent = isPermanentFailure(error);
    if (!permanent && !lastAttempt) {
      log.warn({ error: message, retryIn: `${job.retryDelay * 2 ** job.retryCount} s` }, 'review failed: retried');
      throw error;
    }
    await closeCheckRun(message, 'neutral');
    await record('failed', { conclusion: 'neutral', error: message }).catch((recordError: unknown) => log.warn({ error: oneLine(recordError) }, 'could not record the failure'));
    log.error({ error: message, permanent }, permanent ? 'review failed: not retried' : 'review failed: out of attempts');
    // Out of attempts: thrown so that pg-boss moves the job to the dead letters.
    if (lastAttempt) throw error;
  }

  async function closeCheckRun(errorLine: string | null, outcome: 'cancelled' | 'neutral'): Promise<void> {
    if (!github || (known.checkRunId === null && !commitStatus)) return;
    try {
      github.client.deadline.restart();
      if (known.checkRunId !== null) await completeCheckRun(github.client.octokit, github.repository, known.checkRunId, null, outcome, errorLine ?? undefined);
      else await setStatus(null, outcome, errorLine ?? undefined);
    } catch (checkError) {
      log.warn({ error: oneLine(checkError) }, known.checkRunId !== null ? 'could not complete the check run' : 'could not set the commit status');
    }
  }

  /** The commit status's state where the check run would have been completed (superseded: it stays pending, saying so). */
  async function setStatus(document: ReviewDocument | null, conclusion: CheckConclusion, message?: string, targetUrl?: string | null): Promise<void> {
    await setCommitStatus(github!.client.octokit, github!.repository, known.headSha, statusFor(conclusion, document), statusDescription(document, conclusion, message), { targetUrl });
  }
}

/** The reported findings (not those learning suppressed) by rule id: the dashboard's noisiest rules. */
function findingsByRule(document: ReviewDocument): Record<string, number> {
  const byRule: Record<string, number> = {};
  for (const finding of document.findings) if (!finding.suppressed) byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  return byRule;
}

/**
 * The team service's shared store in PostgreSQL (schema: migrations.ts): the deliveries
 * seen, what each pull request's newest delivery said, the reviews the workers ran (with
 * their ReviewRun, so that the metrics are the CLI's and the panel's), the team's votes,
 * the shared review cache and the last GitHub rate limit. Every method takes the pool or,
 * where a caller needs it inside its own transaction (a delivery and its job), a client.
 */
import type { Pool } from 'pg';
import type { ReviewRun } from '../../../shared/review';
import type { StoredVote } from '../../learning/policy';
import type { RateLimitState } from '../../github/client';
import type { RunRecord } from '../../store/runStore';
import type { ReviewTrace } from '../../../shared/observability';
import type { Queryable } from './postgres';

/** What a webhook said of a pull request, as the server records it. */
export interface PullRequestEvent {
  repository: string;
  number: number;
  installationId: number | null;
  cloneUrl: string;
  /** Absent for an `issue_comment` command: the worker asks GitHub for the head. */
  headSha?: string;
  headRef?: string;
  baseSha?: string;
  baseRef?: string;
  state?: 'open' | 'closed';
  draft?: boolean;
  /** pull_request.updated_at: an older event redelivered late never moves the head back. */
  eventAt?: string;
}

export interface PullRequestState {
  repository: string;
  number: number;
  installationId: number | null;
  cloneUrl: string;
  headSha: string | null;
  headRef: string | null;
  baseSha: string | null;
  baseRef: string | null;
  state: string;
  draft: boolean;
  /** How many deliveries have asked for a review of this pull request. */
  seq: number;
  /** When the newest of them arrived (ISO): a review's wait is counted from it. */
  requestedAt: string;
}

export type ReviewStatus = 'published' | 'superseded' | 'failed' | 'skipped';

export interface ReviewRecord {
  id: string;
  repository: string;
  number: number;
  headSha: string;
  baseSha: string | null;
  status: ReviewStatus;
  run: ReviewRun | null;
  findings: number;
  /** The reported findings by rule id (suppressed ones left out), as the SQLite store keeps them. */
  findingsByRule?: Record<string, number>;
  /** The review's spans (the dashboard draws the last one as a waterfall). */
  trace?: ReviewTrace | null;
  conclusion: string | null;
  checkRunId: number | null;
  reviewUrl: string | null;
  requestedAt: string | null;
  startedAt: string;
  finishedAt: string;
  waitMs: number | null;
  runMs: number | null;
  attempt: number;
  jobId: string | null;
  worker: string | null;
  error: string | null;
}

export interface DeliveryRecord {
  id: string;
  event: string;
  action: string | null;
  repository: string | null;
  pullNumber: number | null;
  outcome: string;
}

/** A histogram of the reviews table: cumulative counts at each bound, and the count and sum of all. */
export interface StoredHistogram {
  buckets: number[];
  count: number;
  sumSeconds: number;
}

export interface ReviewStatistics {
  byStatus: Array<{ status: string; count: number; prompt: number; completion: number; cost: number }>;
  wait: StoredHistogram;
  run: StoredHistogram;
}

export interface CacheEntry {
  key: string;
  value: string;
  seq: number;
}

const PULL_COLUMNS = `repository, number, installation_id AS "installationId", clone_url AS "cloneUrl", head_sha AS "headSha", head_ref AS "headRef",
  base_sha AS "baseSha", base_ref AS "baseRef", state, draft, seq::float8 AS seq, requested_at AS "requestedAt"`;

const REVIEW_COLUMNS = `id, repository, number, head_sha AS "headSha", base_sha AS "baseSha", status, run, findings, conclusion, check_run_id::float8 AS "checkRunId",
  review_url AS "reviewUrl", requested_at AS "requestedAt", started_at AS "startedAt", finished_at AS "finishedAt", wait_ms AS "waitMs", run_ms AS "runMs",
  attempt, job_id AS "jobId", worker, error`;

const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value));

function toPull(row: Record<string, unknown>): PullRequestState {
  return { ...(row as unknown as PullRequestState), installationId: row.installationId === null ? null : Number(row.installationId), requestedAt: iso(row.requestedAt) };
}

function toReview(row: Record<string, unknown>): ReviewRecord {
  const time = (value: unknown) => (value === null ? null : iso(value));
  return { ...(row as unknown as ReviewRecord), requestedAt: time(row.requestedAt), startedAt: iso(row.startedAt), finishedAt: iso(row.finishedAt) };
}

export class ServiceStore {
  constructor(readonly pool: Pool) {}

  /** Records a delivery once; false when its id was seen before (a redelivery: do nothing). */
  async recordDelivery(db: Queryable, delivery: DeliveryRecord): Promise<boolean> {
    const { rowCount } = await db.query(
      'INSERT INTO diffwise.deliveries (id, event, action, repository, pull_number, outcome) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING',
      [delivery.id, delivery.event, delivery.action, delivery.repository, delivery.pullNumber, delivery.outcome],
    );
    return rowCount === 1;
  }

  /**
   * Records what a delivery asking for a review said of its pull request: the head moves
   * only forward in GitHub's time (an event older than the stored one keeps the stored
   * head), and seq counts the request either way. Returns the new state.
   */
  async requestReview(db: Queryable, event: PullRequestEvent): Promise<PullRequestState> {
    const { rows } = await db.query(
      `INSERT INTO diffwise.pull_requests AS p (repository, number, installation_id, clone_url, head_sha, head_ref, base_sha, base_ref, state, draft, event_at, seq, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, 'open'), coalesce($10, false), $11, 1, now())
       ON CONFLICT (repository, number) DO UPDATE SET
         installation_id = coalesce(excluded.installation_id, p.installation_id),
         clone_url = excluded.clone_url,
         seq = p.seq + 1,
         requested_at = now(),
         head_sha = CASE WHEN excluded.head_sha IS NOT NULL AND (p.event_at IS NULL OR excluded.event_at IS NULL OR excluded.event_at >= p.event_at) THEN excluded.head_sha ELSE p.head_sha END,
         head_ref = CASE WHEN excluded.head_sha IS NOT NULL AND (p.event_at IS NULL OR excluded.event_at IS NULL OR excluded.event_at >= p.event_at) THEN excluded.head_ref ELSE p.head_ref END,
         base_sha = CASE WHEN excluded.base_sha IS NOT NULL AND (p.event_at IS NULL OR excluded.event_at IS NULL OR excluded.event_at >= p.event_at) THEN excluded.base_sha ELSE p.base_sha END,
         base_ref = coalesce(excluded.base_ref, p.base_ref),
         state = CASE WHEN $9::text IS NULL THEN p.state ELSE excluded.state END,
         draft = CASE WHEN $10::boolean IS NULL THEN p.draft ELSE excluded.draft END,
         event_at = greatest(p.event_at, excluded.event_at)
       RETURNING ${PULL_COLUMNS}`,
      [event.repository, event.number, event.installationId, event.cloneUrl, event.headSha ?? null, event.headRef ?? null, event.baseSha ?? null, event.baseRef ?? null,
        event.state ?? null, event.draft ?? null, event.eventAt ?? null],
    );
    return toPull(rows[0]);
  }

  /** Records that a pull request was closed (or reopened), without asking for a review. */
  async setPullState(db: Queryable, repository: string, number: number, state: 'open' | 'closed'): Promise<void> {
    await db.query('UPDATE diffwise.pull_requests SET state = $3 WHERE repository = $1 AND number = $2', [repository, number, state]);
  }

  async pullRequest(repository: string, number: number, db: Queryable = this.pool): Promise<PullRequestState | undefined> {
    const { rows } = await db.query(`SELECT ${PULL_COLUMNS} FROM diffwise.pull_requests WHERE repository = $1 AND number = $2`, [repository, number]);
    return rows[0] ? toPull(rows[0]) : undefined;
  }

  /** Sets the head the worker learnt from GitHub (an issue_comment command carries none). */
  async learnHead(repository: string, number: number, head: { headSha: string; headRef: string; baseSha: string; baseRef: string }): Promise<void> {
    await this.pool.query(
      'UPDATE diffwise.pull_requests SET head_sha = coalesce(head_sha, $3), head_ref = coalesce(head_ref, $4), base_sha = coalesce(base_sha, $5), base_ref = coalesce(base_ref, $6) WHERE repository = $1 AND number = $2',
      [repository, number, head.headSha, head.headRef, head.baseSha, head.baseRef],
    );
  }

  /** The review published for this head, if any worker (or an earlier attempt) published one. */
  async publishedReview(repository: string, number: number, headSha: string): Promise<ReviewRecord | undefined> {
    const { rows } = await this.pool.query(`SELECT ${REVIEW_COLUMNS} FROM diffwise.reviews WHERE repository = $1 AND number = $2 AND head_sha = $3 AND status = 'published'`, [repository, number, headSha]);
    return rows[0] ? toReview(rows[0]) : undefined;
  }

  /**
   * Records a review. A second `published` row for the same head (two workers raced) is
   * refused by the unique index: 'duplicate', and nothing is written.
   */
  async recordReview(review: ReviewRecord): Promise<'recorded' | 'duplicate'> {
    const run = review.run;
    try {
      await this.pool.query(
        `INSERT INTO diffwise.reviews (id, repository, number, head_sha, base_sha, status, run, findings, conclusion, check_run_id, review_url, requested_at, started_at, finished_at,
           wait_ms, run_ms, cost_usd, prompt_tokens, completion_tokens, attempt, job_id, worker, error, findings_by_rule, trace)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)`,
        [review.id, review.repository, review.number, review.headSha, review.baseSha, review.status, run === null ? null : JSON.stringify(run), review.findings, review.conclusion,
          review.checkRunId, review.reviewUrl, review.requestedAt, review.startedAt, review.finishedAt, review.waitMs, review.runMs, run?.costUsd ?? 0,
          run?.tokens.prompt ?? 0, run?.tokens.completion ?? 0, review.attempt, review.jobId, review.worker, review.error, JSON.stringify(review.findingsByRule ?? {}),
          review.trace ? JSON.stringify(review.trace) : null],
      );
      return 'recorded';
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return 'duplicate';
      throw error;
    }
  }

  async reviews(options: { repository?: string; since?: string; limit?: number } = {}): Promise<ReviewRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT ${REVIEW_COLUMNS} FROM diffwise.reviews WHERE ($1::text IS NULL OR repository = $1) AND ($2::timestamptz IS NULL OR started_at >= $2)
       ORDER BY started_at, id LIMIT $3`,
      [options.repository ?? null, options.since ?? null, options.limit ?? 100_000],
    );
    return rows.map(toReview);
  }

  /** The runs recorded (oldest first), of one repository or all: what computeMetrics takes. */
  async runs(options: { repository?: string; since?: string } = {}): Promise<ReviewRun[]> {
    const { rows } = await this.pool.query<{ run: ReviewRun }>(
      `SELECT run FROM diffwise.reviews WHERE run IS NOT NULL AND ($1::text IS NULL OR repository = $1) AND ($2::timestamptz IS NULL OR started_at >= $2) ORDER BY started_at, id`,
      [options.repository ?? null, options.since ?? null],
    );
    return rows.map((row) => row.run);
  }

  /** The runs with their findings by rule (oldest first), as the metrics read them (server/metrics/metrics.ts RunRecord). */
  async runRecords(options: { repository?: string; since?: string } = {}): Promise<RunRecord[]> {
    const { rows } = await this.pool.query<{ run: ReviewRun; findingsByRule: Record<string, number> }>(
      `SELECT run, findings_by_rule AS "findingsByRule" FROM diffwise.reviews
       WHERE run IS NOT NULL AND ($1::text IS NULL OR repository = $1) AND ($2::timestamptz IS NULL OR started_at >= $2) ORDER BY started_at, id`,
      [options.repository ?? null, options.since ?? null],
    );
    return rows.map(({ run, findingsByRule }) => ({
      status: run.status, startedAt: run.startedAt, durationMs: run.durationMs, hunks: run.hunks, cacheHits: run.cacheHits, llmCalls: run.llmCalls,
      promptTokens: run.tokens.prompt, completionTokens: run.tokens.completion, costUsd: run.costUsd, savedUsd: run.llm?.savedUsd ?? 0, findingsByRule,
    }));
  }

  /** The spans of the newest review that has them (of one repository, or any), in the range. */
  async lastTrace(options: { repository?: string; since?: string } = {}): Promise<ReviewTrace | null> {
    const { rows } = await this.pool.query<{ trace: ReviewTrace }>(
      `SELECT trace FROM diffwise.reviews WHERE trace IS NOT NULL AND ($1::text IS NULL OR repository = $1) AND ($2::timestamptz IS NULL OR started_at >= $2)
       ORDER BY started_at DESC LIMIT 1`,
      [options.repository ?? null, options.since ?? null],
    );
    return rows[0]?.trace ?? null;
  }

  /** The repositories that have had a delivery or a review, by name. */
  async repositories(): Promise<string[]> {
    const { rows } = await this.pool.query<{ repository: string }>('SELECT repository FROM diffwise.pull_requests UNION SELECT repository FROM diffwise.reviews ORDER BY 1');
    return rows.map((row) => row.repository);
  }

  /** What the LLM cost the whole team since `isoTime`: the team budget's spending. */
  async spendSince(isoTime: string): Promise<number> {
    const { rows } = await this.pool.query<{ cost: number }>('SELECT coalesce(sum(cost_usd), 0)::float8 AS cost FROM diffwise.reviews WHERE started_at >= $1', [isoTime]);
    return rows[0]?.cost ?? 0;
  }

  /** Adds or replaces team votes (one per comment, voter and kind). */
  async saveTeamVotes(repository: string, votes: ReadonlyArray<{ commentId: number; voter: string; source: 'reaction' | 'reply'; record: StoredVote }>): Promise<void> {
    for (const vote of votes) {
      await this.pool.query(
        `INSERT INTO diffwise.team_votes (repository, comment_id, voter, source, vote, finding_id, rule_id, record, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (repository, comment_id, voter, source) DO UPDATE SET vote = excluded.vote, record = excluded.record, created_at = excluded.created_at`,
        [repository, vote.commentId, vote.voter, vote.source, vote.record.vote, vote.record.findingId, vote.record.ruleId, JSON.stringify(vote.record), vote.record.createdAt],
      );
    }
  }

  /** The team's votes on one repository (all when omitted), oldest first, as learning reads them. */
  async teamVotes(repository?: string): Promise<StoredVote[]> {
    const { rows } = await this.pool.query<{ record: StoredVote }>('SELECT record FROM diffwise.team_votes WHERE ($1::text IS NULL OR repository = $1) ORDER BY created_at', [repository ?? null]);
    return rows.map((row) => row.record);
  }

  /** Shared cache entries added after `seq` (oldest first, at most `limit`). */
  async cacheEntriesAfter(seq: number, limit = 5_000): Promise<CacheEntry[]> {
    const { rows } = await this.pool.query<{ key: string; value: string; seq: string }>('SELECT key, value, seq FROM diffwise.review_cache WHERE seq > $1 ORDER BY seq LIMIT $2', [seq, limit]);
    return rows.map((row) => ({ key: row.key, value: row.value, seq: Number(row.seq) }));
  }

  /** Adds entries to the shared cache; a key already there keeps its value (content-addressed: the same). */
  async putCacheEntries(entries: ReadonlyArray<{ key: string; value: string }>): Promise<void> {
    for (let i = 0; i < entries.length; i += 500) {
      const batch = entries.slice(i, i + 500);
      await this.pool.query(
        `INSERT INTO diffwise.review_cache (key, value, bytes) SELECT k, v, octet_length(v) FROM unnest($1::text[], $2::text[]) AS t(k, v) ON CONFLICT (key) DO NOTHING`,
        [batch.map((entry) => entry.key), batch.map((entry) => entry.value)],
      );
    }
  }

  async saveRateLimit(resource: string, state: RateLimitState): Promise<void> {
    await this.pool.query(
      `INSERT INTO diffwise.rate_limits (resource, remaining, "limit", reset_at, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (resource) DO UPDATE SET remaining = excluded.remaining, "limit" = excluded."limit", reset_at = excluded.reset_at, updated_at = now()`,
      [resource, state.remaining, state.limit, state.resetAt],
    );
  }

  async rateLimits(): Promise<Array<{ resource: string } & RateLimitState>> {
    const { rows } = await this.pool.query<{ resource: string; remaining: number; limit: number; reset_at: Date | null }>('SELECT resource, remaining, "limit", reset_at FROM diffwise.rate_limits ORDER BY resource');
    return rows.map((row) => ({ resource: row.resource, remaining: row.remaining, limit: row.limit, resetAt: row.reset_at ? row.reset_at.toISOString() : '' }));
  }

  /**
   * The reviews table summed for /metrics: reviews and LLM use by status, and the wait and
   * run times as cumulative counts at or below each bound (seconds), as a Prometheus
   * histogram has them. Three statements, one scan of the table each.
   */
  async reviewStatistics(boundsSeconds: readonly number[]): Promise<ReviewStatistics> {
    const byStatus = await this.pool.query<{ status: string; count: number; prompt: number; completion: number; cost: number }>(
      `SELECT status, count(*)::float8 AS count, sum(prompt_tokens)::float8 AS prompt, sum(completion_tokens)::float8 AS completion, sum(cost_usd)::float8 AS cost
       FROM diffwise.reviews GROUP BY status ORDER BY status`,
    );
    const buckets = await this.pool.query<{ wait: number; run: number }>(
      `SELECT count(r.wait_ms) FILTER (WHERE r.wait_ms <= t.bound * 1000)::float8 AS wait, count(r.run_ms) FILTER (WHERE r.run_ms <= t.bound * 1000)::float8 AS run
       FROM unnest($1::float8[]) WITH ORDINALITY AS t(bound, i) LEFT JOIN diffwise.reviews r ON true GROUP BY t.i ORDER BY t.i`,
      [boundsSeconds],
    );
    const totals = await this.pool.query<{ waitCount: number; waitMs: number; runCount: number; runMs: number }>(
      `SELECT count(wait_ms)::float8 AS "waitCount", coalesce(sum(wait_ms), 0)::float8 AS "waitMs", count(run_ms)::float8 AS "runCount", coalesce(sum(run_ms), 0)::float8 AS "runMs" FROM diffwise.reviews`,
    );
    const total = totals.rows[0]!;
    return {
      byStatus: byStatus.rows,
      wait: { buckets: buckets.rows.map((row) => row.wait), count: total.waitCount, sumSeconds: total.waitMs / 1000 },
      run: { buckets: buckets.rows.map((row) => row.run), count: total.runCount, sumSeconds: total.runMs / 1000 },
    };
  }

  /** Deliveries by outcome since the process or the database began (for /metrics). */
  async deliveryCounts(): Promise<Array<{ event: string; outcome: string; count: number }>> {
    const { rows } = await this.pool.query<{ event: string; outcome: string; count: string }>('SELECT event, outcome, count(*) AS count FROM diffwise.deliveries GROUP BY 1, 2 ORDER BY 1, 2');
    return rows.map((row) => ({ event: row.event, outcome: row.outcome, count: Number(row.count) }));
  }
}

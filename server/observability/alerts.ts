/**
 * The alert rules: pure functions of what the store and the file system say now to the
 * conditions that hold, each with its figures and one line of what to do. Whether a
 * condition is new (and so told) is the notifier's business (alertNotifier.ts), not theirs.
 */
import type { Alert } from '../../shared/observability';
import type { RunStatus } from '../../shared/review';
import type { RateLimitState } from '../github/client';

/** An alert as a rule finds it: `since` is added by whoever remembers when it started. */
export type AlertCondition = Omit<Alert, 'since'>;

export interface AlertThresholds {
  /** How many of the newest reviews the failure rate and the p95 are taken over. */
  window: number;
  /** Fewer reviews than this say nothing about a rate or a p95: one failed first review is not a trend. */
  minReviews: number;
  /** The share of failed reviews above which the failure rate alerts (0.2 = more than 20%). */
  failureRate: number;
  /** The p95 of review durations above which it alerts, in ms (the seed's 30 s). */
  p95TargetMs: number;
  databaseMaxBytes: number;
  freeDiskMinBytes: number;
  /** Daemon starts within `restartWindowMs` from which the daemon counts as restarting in a loop. */
  restartCount: number;
  restartWindowMs: number;
  /** The share of the GitHub rate limit left below which it alerts. */
  githubRemainingShare: number;
}

const GB = 1024 ** 3;

export const ALERT_DEFAULTS: AlertThresholds = {
  window: 20,
  minReviews: 5,
  failureRate: 0.2,
  p95TargetMs: 30_000,
  databaseMaxBytes: GB,
  freeDiskMinBytes: GB,
  restartCount: 5,
  restartWindowMs: 10 * 60_000,
  githubRemainingShare: 0.1,
};

export type { RateLimitState };

export interface AlertInputs {
  now: Date;
  /** The newest reviews, newest first, at most `window` of them. */
  recentRuns: ReadonlyArray<{ status: RunStatus; durationMs: number }>;
  /** This month's budget (null: none set) and what this month cost so far. */
  monthlyBudgetUsd: number | null;
  spentThisMonthUsd: number;
  databaseBytes: number;
  /** Free bytes on the database's disk; null when the platform cannot say. */
  freeDiskBytes: number | null;
  /** Daemon starts within the restart window, this one included. */
  recentDaemonStarts: number;
  /** The last answer's rate limit of each GitHub bucket (core, graphql…), by bucket. */
  githubRateLimits: Record<string, RateLimitState>;
}

/** Every condition that holds now, in a stable order. */
export function alertConditions(inputs: AlertInputs, thresholds: AlertThresholds = ALERT_DEFAULTS): AlertCondition[] {
  return [
    failureRate(inputs, thresholds),
    durationP95(inputs, thresholds),
    ...budget(inputs),
    databaseSize(inputs, thresholds),
    freeDisk(inputs, thresholds),
    daemonRestarts(inputs, thresholds),
    githubRateLimit(inputs, thresholds),
  ].filter((condition): condition is AlertCondition => condition !== undefined);
}

function failureRate({ recentRuns }: AlertInputs, t: AlertThresholds): AlertCondition | undefined {
  const runs = recentRuns.slice(0, t.window);
  if (runs.length === 0 || runs.length < t.minReviews) return undefined;
  // A partial review still reported what it could: only a failed one counts.
  const failed = runs.filter((run) => run.status === 'failed').length;
  const rate = failed / runs.length;
  if (rate <= t.failureRate) return undefined;
  return {
    id: 'review-failure-rate', severity: 'warning', value: round(rate, 3), threshold: t.failureRate,
    message: `${failed} of the last ${runs.length} reviews failed (${percent(rate)}, above ${percent(t.failureRate)})`,
    action: 'run diffwise errors to see why they fail (Diffwise: Run Health Check in the editor)',
  };
}

function durationP95({ recentRuns }: AlertInputs, t: AlertThresholds): AlertCondition | undefined {
  const durations = recentRuns.slice(0, t.window).map((run) => run.durationMs);
  if (durations.length === 0 || durations.length < t.minReviews) return undefined;
  const p95 = percentile(durations, 0.95);
  if (p95 <= t.p95TargetMs) return undefined;
  return {
    id: 'review-duration-p95', severity: 'warning', value: Math.round(p95), threshold: t.p95TargetMs,
    message: `the p95 review duration over the last ${durations.length} reviews is ${seconds(p95)}, above the ${seconds(t.p95TargetMs)} target`,
    action: 'open the metrics panel (diffwise metrics) to see which stage takes the time',
  };
}

function budget({ monthlyBudgetUsd, spentThisMonthUsd }: AlertInputs): AlertCondition[] {
  if (monthlyBudgetUsd === null || monthlyBudgetUsd <= 0) return [];
  const share = spentThisMonthUsd / monthlyBudgetUsd;
  const spent = `$${spentThisMonthUsd.toFixed(2)} of the $${monthlyBudgetUsd.toFixed(2)} monthly LLM budget spent (${percent(share)})`;
  // At 100% the 80% alert is still true: both stay, each told once.
  const conditions: AlertCondition[] = [];
  if (share >= 0.8) {
    conditions.push({
      id: 'llm-budget-80', severity: 'warning', value: round(spentThisMonthUsd, 4), threshold: round(monthlyBudgetUsd * 0.8, 4),
      message: spent, action: 'raise the budget (diffwise.llm.monthlyBudgetUsd, or llm.monthlyBudgetUsd in .diffwise/config.json) or review with fewer LLM calls',
    });
  }
  if (share >= 1) {
    conditions.push({
      id: 'llm-budget-100', severity: 'error', value: round(spentThisMonthUsd, 4), threshold: monthlyBudgetUsd,
      message: `${spent}: no more LLM calls this month`, action: 'raise the budget (diffwise.llm.monthlyBudgetUsd) or pass --over-budget for one review',
    });
  }
  return conditions;
}

function databaseSize({ databaseBytes }: AlertInputs, t: AlertThresholds): AlertCondition | undefined {
  if (databaseBytes <= t.databaseMaxBytes) return undefined;
  return {
    id: 'database-size', severity: 'warning', value: databaseBytes, threshold: t.databaseMaxBytes,
    message: `the database is ${bytes(databaseBytes)}, above the ${bytes(t.databaseMaxBytes)} limit`,
    action: 'lower DIFFWISE_CACHE_MAX_MB or delete the database (it is rebuilt; votes are kept in their journal)',
  };
}

function freeDisk({ freeDiskBytes }: AlertInputs, t: AlertThresholds): AlertCondition | undefined {
  if (freeDiskBytes === null || freeDiskBytes >= t.freeDiskMinBytes) return undefined;
  return {
    id: 'free-disk', severity: 'warning', value: freeDiskBytes, threshold: t.freeDiskMinBytes,
    message: `only ${bytes(freeDiskBytes)} free on the database's disk, below ${bytes(t.freeDiskMinBytes)}`,
    action: 'free space on that disk: a full disk stops reviews from being recorded',
  };
}

function daemonRestarts({ recentDaemonStarts }: AlertInputs, t: AlertThresholds): AlertCondition | undefined {
  if (recentDaemonStarts < t.restartCount) return undefined;
  return {
    id: 'daemon-restarts', severity: 'warning', value: recentDaemonStarts, threshold: t.restartCount,
    message: `the daemon started ${recentDaemonStarts} times in ${Math.round(t.restartWindowMs / 60_000)} minutes: it is restarting in a loop`,
    action: 'run the health check (diffwise doctor) and read the Diffwise output channel for the crash',
  };
}

function githubRateLimit({ githubRateLimits, now }: AlertInputs, t: AlertThresholds): AlertCondition | undefined {
  // A bucket's reset clears the condition whatever its last answer said; the emptiest bucket left speaks.
  const [resource, rate] = Object.entries(githubRateLimits)
    .filter(([, state]) => state.limit > 0 && Date.parse(state.resetAt) > now.getTime())
    .sort(([, a], [, b]) => a.remaining / a.limit - b.remaining / b.limit)[0] ?? [];
  if (!rate || rate.remaining / rate.limit >= t.githubRemainingShare) return undefined;
  return {
    id: 'github-rate-limit', severity: 'warning', value: rate.remaining, threshold: Math.ceil(rate.limit * t.githubRemainingShare),
    message: `${rate.remaining} of ${rate.limit} GitHub API requests (${resource}) left until ${rate.resetAt}`,
    action: 'wait for the reset before syncing pull requests again, or use a token with a higher limit',
  };
}

/** The nearest-rank percentile of `values` (not empty). */
export function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function bytes(value: number): string {
  if (value >= GB) return `${(value / GB).toFixed(1)} GB`;
  return `${Math.round(value / 1024 ** 2)} MB`;
}

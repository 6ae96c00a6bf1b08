/**
 * `diffwise metrics --json`, the daemon's answer to `diffwise/metrics` and what the
 * metrics webview draws: one document, defined once. Its shape is in docs/cli-guide.md and docs/metrics-document.schema.json (generated from it).
 */
import type { FeedbackSummary } from './feedback';
import type { ErrorGroup, ReviewTrace } from './observability';

export interface Metrics {
  reviews: { total: number; ok: number; partial: number; failed: number; successRate: number };
  /** hitRate = hits / hunks. */
  cache: { hunks: number; hits: number; hitRate: number };
  duration: { avgMs: number; p50Ms: number; p95Ms: number };
  llm: {
    calls: number;
    promptTokens: number;
    completionTokens: number;
    costUsd: number;
    savedUsd: number;
    /** The monthly budget that applies now (setting, environment or config file); null when none. */
    monthlyBudgetUsd: number | null;
  };
  findings: { byRule: Record<string, number> };
  feedback: FeedbackSummary;
  /** Per rule, noisiest first (most votes down, then fewest accepted, then most findings). */
  rules: RuleMetrics[];
  /** The same figures per hour (spans up to two days) or per day, oldest first; empty buckets left out. */
  timeline: { bucket: 'hour' | 'day'; points: TimelinePoint[] };
  /** The newest review's spans (the webview's waterfall); null before the first traced review. */
  lastTrace: ReviewTrace | null;
  /** Failures by fingerprint, the most recently seen first (all time, not just the period). */
  errors: ErrorGroup[];
}

export interface RuleMetrics {
  ruleId: string;
  findings: number;
  up: number;
  down: number;
  /** up / (up + down); null without votes. */
  acceptanceRate: number | null;
}

export interface TimelinePoint {
  /** ISO 8601 start of the bucket (UTC). */
  start: string;
  reviews: number;
  successRate: number;
  hunks: number;
  cacheHitRate: number;
  p50Ms: number;
  p95Ms: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  savedUsd: number;
  findings: number;
}

/**
 * What Diffwise knows about its own running (issue 18), defined once for the core, the
 * CLI's --json, the daemon's answers and the webviews: a review's trace, the failures
 * grouped by fingerprint, the alerts and the health checks.
 */
import type { RunStatus } from './review';

/** An attribute's value, as OpenTelemetry allows it (arrays left out: we never need them). */
export type SpanAttributeValue = string | number | boolean;

/** One timed piece of a review: the review itself, a stage, a rule, an LLM or GitHub request. */
export interface TraceSpan {
  /** 16 hex digits, as OpenTelemetry's span ids. */
  spanId: string;
  /** The span this one ran inside; null for the review's root span. */
  parentSpanId: string | null;
  /** `review`, `diff`, `index`, `rule:secret`, `llm.call`, `github.request`… */
  name: string;
  /** Milliseconds from the start of the review (its root span starts at 0). */
  startMs: number;
  durationMs: number;
  status: 'ok' | 'error';
  /** OpenTelemetry's semantic names where there is one (`error.type`, `gen_ai.usage.input_tokens`, `http.response.status_code`). */
  attributes: Record<string, SpanAttributeValue>;
}

/** A review's spans, as kept in the database for the last reviews and drawn as a waterfall. */
export interface ReviewTrace {
  runId: string;
  /** 32 hex digits, as OpenTelemetry's trace ids: the same id the OTLP export carries. */
  traceId: string;
  startedAt: string;
  durationMs: number;
  status: RunStatus;
  spans: TraceSpan[];
}

/** Failures with one cause, counted together: stage + error class + normalised message. */
export interface ErrorGroup {
  /** A stable hash of stage, error class and normalised message (12 hex digits). */
  fingerprint: string;
  stage: string;
  errorClass: string;
  /** The message with its variable parts (numbers, paths, ids, quoted text) replaced. */
  message: string;
  /** The last message as it was said, for the reader (redacted like every log line). */
  example: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  exampleRunId: string | null;
}

/** The conditions Diffwise watches; each fires once until it clears. */
export type AlertId =
  | 'review-failure-rate'
  | 'review-duration-p95'
  | 'llm-budget-80'
  | 'llm-budget-100'
  | 'database-size'
  | 'free-disk'
  | 'daemon-restarts'
  | 'github-rate-limit';

export interface Alert {
  id: AlertId;
  severity: 'warning' | 'error';
  /** What is wrong, in one sentence with the figures. */
  message: string;
  /** What to do about it, in one line. */
  action: string;
  value: number;
  threshold: number;
  /** When the condition started to hold (ISO time). */
  since: string;
}

/** What `diffwise alerts` and the editor are told: what fires now, and what just started to. */
export interface AlertReport {
  firing: Alert[];
  /** The alerts that started with this evaluation (told once: a notification, a stderr line, a webhook POST). */
  fired: Alert[];
  /** The alerts that cleared with this evaluation. */
  cleared: AlertId[];
}

export type HealthStatus = 'ok' | 'warning' | 'error';

export interface HealthCheck {
  /** `node`, `git`, `database`, `disk`, `index`, `llm`, `github`, `trust`… */
  id: string;
  title: string;
  status: HealthStatus;
  /** What was found, in one line. */
  detail: string;
  /** The fix, in one line; given for a warning or an error. */
  fix?: string;
}

export interface HealthReport {
  /** The worst of the checks'. */
  status: HealthStatus;
  checks: HealthCheck[];
  checkedAt: string;
}

/**
 * Error tracking in Sentry (or anything that accepts its envelopes), only when `SENTRY_DSN`
 * is set: each failure of a recorded review becomes one event, grouped by our own fingerprint
 * (stage + error class + normalised message, the one `diffwise errors` counts by), so that
 * Sentry's issues and the local groups are the same causes. Without a DSN `@sentry/node` is
 * never loaded (its bundle is lazy: build/lazyModules.mjs).
 *
 * Sentry is told, never in charge: no default integrations (no global handlers for uncaught
 * errors, no console or HTTP instrumentation), no OpenTelemetry set-up of its own (the
 * traces exporter owns the global OpenTelemetry registry) and no ESM loader hooks. Sending is
 * in the background; a front end waits for it at most FLUSH_TIMEOUT_MS when it ends, so a
 * Sentry that cannot be reached never fails a review and delays an exit by that at most.
 */
import * as Sentry from '@sentry/node';
import type { ReviewTrace } from '../../shared/observability';
import type { ReviewRun } from '../../shared/review';
import { failuresOf } from '../store/errorStore';
import { groupOf } from './errorFingerprint';
import { redactLogValue } from './logRedaction';

/** The longest a front end waits, as it ends, for the events still being sent. */
export const FLUSH_TIMEOUT_MS = 2000;

/** Whether this process initialised Sentry (once: a second `init` would make a second client). */
let started = false;

/**
 * A sink for `WorkspaceOptions.onReviewRecorded`; undefined when no `SENTRY_DSN` is set. Sentry
 * is loaded and started at the first run that failed somewhere, so that a command that records
 * no failure (an index, a clean review) pays nothing for it.
 */
export function sentrySink(release: string, env: NodeJS.ProcessEnv = process.env): ((run: ReviewRun, trace: ReviewTrace | undefined) => void) | undefined {
  const dsn = env.SENTRY_DSN?.trim();
  if (!dsn) return undefined;
  return (run, trace) => {
    if (!run.errors.length) return;
    start(dsn, release, env);
    reportFailures(run, trace);
  };
}

function start(dsn: string, release: string, env: NodeJS.ProcessEnv): void {
  if (started) return;
  started = true;
  Sentry.init({
    dsn,
    release,
    environment: env.SENTRY_ENVIRONMENT?.trim() || undefined,
    defaultIntegrations: false,
    skipOpenTelemetrySetup: true,
    registerEsmLoaderHooks: false,
    // The outcomes of events dropped on the way are Sentry's bookkeeping, not a cause of failure.
    sendClientReports: false,
    // What is sent passes the same redaction as every log line, whatever put it in the event.
    beforeSend: (event) => redactLogValue(event, env),
  });
}

/** One event per failure of the run, with the run's trace id, so that Sentry links to the trace. */
export function reportFailures(run: ReviewRun, trace: ReviewTrace | undefined): void {
  const root = trace?.spans.find((span) => span.parentSpanId === null);
  for (const failure of failuresOf(run.errors, trace)) {
    const fingerprint = groupOf(failure).fingerprint;
    Sentry.captureEvent({
      level: run.status === 'failed' ? 'error' : 'warning',
      // No stack: a run's failure is a recorded outcome, and the stack of this loop would say nothing.
      exception: { values: [{ type: failure.errorClass, value: failure.message }] },
      fingerprint: [fingerprint],
      tags: { stage: failure.stage, 'error.class': failure.errorClass, 'diffwise.run.id': run.id, 'diffwise.run.status': run.status },
      contexts: {
        ...(trace ? { trace: { trace_id: trace.traceId, span_id: root?.spanId ?? trace.traceId.slice(0, 16) } } : {}),
        diffwise: { runId: run.id, fingerprint, scope: run.scope, durationMs: Math.round(run.durationMs) },
      },
    });
  }
}

/** Waits for the events still being sent, at most `timeoutMs`; at once when Sentry was never started. */
export async function flushSentry(timeoutMs = FLUSH_TIMEOUT_MS): Promise<void> {
  if (!started) return;
  try {
    await Sentry.flush(timeoutMs);
  } catch {
    // A Sentry that fails to flush loses its events; the command's outcome stands.
  }
}

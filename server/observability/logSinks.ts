/**
 * A recorded review as log lines, for `WorkspaceOptions.onReviewRecorded`: one line per span
 * of its trace below the review (each stage, rule, LLM or GitHub request: debug, or warn when
 * it failed) and one `review finished` line at info with what the run did and cost. Written
 * after the run is stored, from its trace, so logging adds nothing to the review's own time.
 */
import type { ReviewRun } from '../../shared/review';
import type { ReviewTrace } from '../../shared/observability';
import type { Logger } from './logger';

type ReviewSink = (run: ReviewRun, trace: ReviewTrace | undefined) => void;

export function reviewLogSink(logger: Logger): ReviewSink {
  return (run, trace) => {
    const log = logger.child({ reviewId: run.id });
    const root = trace?.spans.find((span) => span.parentSpanId === null);
    if (trace && log.enabled('debug')) {
      for (const span of trace.spans) {
        if (span === root) continue;
        const fields = { stage: span.name, durationMs: round(span.durationMs), status: span.status, ...spanDetails(span.attributes) };
        if (span.status === 'error') log.warn(fields, `${span.name} failed`);
        else log.debug(fields, `${span.name} done`);
      }
    } else if (trace) {
      // Failures are warnings: worth a line even when debug is off.
      for (const span of trace.spans) {
        if (span !== root && span.status === 'error') log.warn({ stage: span.name, durationMs: round(span.durationMs), status: span.status, ...spanDetails(span.attributes) }, `${span.name} failed`);
      }
    }
    const findings = root?.attributes['diffwise.review.findings'];
    const fields = {
      status: run.status,
      scope: run.scope,
      ...(run.base ? { base: run.base } : {}),
      durationMs: round(run.durationMs),
      files: run.files,
      hunks: run.hunks,
      ...(typeof findings === 'number' ? { findings } : {}),
      cacheHits: run.cacheHits,
      llmCalls: run.llmCalls,
      tokens: run.tokens.prompt + run.tokens.completion,
      costUsd: run.costUsd,
      ...(run.errors.length ? { errors: run.errors.map((error) => `${error.stage}: ${error.message}`) } : {}),
    };
    if (run.status === 'failed') log.error(fields, 'review failed');
    else log.info(fields, 'review finished');
  };
}

/** Several sinks as one; each sink's failure is its own (the others still run). */
export function allSinks(...sinks: ReadonlyArray<ReviewSink | undefined>): ReviewSink | undefined {
  const present = sinks.filter((sink): sink is ReviewSink => sink !== undefined);
  if (present.length <= 1) return present[0];
  return (run, trace) => {
    for (const sink of present) {
      try {
        sink(run, trace);
      } catch {
        // Never the review's problem, nor the next sink's.
      }
    }
  };
}

/** The attributes a reader of the log wants beside a span: its error, tokens, HTTP status. */
function spanDetails(attributes: ReviewTrace['spans'][number]['attributes']): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'error.type' || key === 'error.message' || key.startsWith('gen_ai.usage.') || key.startsWith('http.') || key === 'diffwise.cost_usd' || key === 'diffwise.llm.cost_usd') details[key] = value;
  }
  return details;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

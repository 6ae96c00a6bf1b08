/**
 * A review's spans, recorded by the core itself: the review, each stage, each rule, each
 * LLM and GitHub request. Recording is a few numbers per span (a review has a few dozen),
 * always on, because the last reviews' spans are kept in the database and drawn as a
 * waterfall. Exporting them over OTLP is otelExport.ts's, and only when configured: the
 * OpenTelemetry SDK is not loaded otherwise.
 *
 * The current span travels with the async context (AsyncLocalStorage), so the LLM client
 * and the GitHub transport open their spans with `withSpan` and need no tracer passed down:
 * outside a review (`diffwise pr sync`) they record nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { RunStatus } from '../../shared/review';
import type { ReviewTrace, SpanAttributeValue, TraceSpan } from '../../shared/observability';

/** A span being recorded: what code inside it may add to. */
export interface ActiveSpan {
  readonly spanId: string;
  setAttributes(attributes: Record<string, SpanAttributeValue | undefined>): void;
}

/** No review is being traced: what `currentSpan` gives then, which records nothing. */
const NO_SPAN: ActiveSpan = { spanId: '', setAttributes: () => undefined };

interface Context {
  recorder: TraceRecorder;
  span: TraceSpan;
}

const context = new AsyncLocalStorage<Context>();

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A span's class of failure: the error's own name where it has one (`GitError`), else its constructor's. */
export function errorClassOf(error: unknown): string {
  if (error instanceof Error) {
    if (error.name && error.name !== 'Error') return error.name;
    return error.constructor?.name || 'Error';
  }
  return typeof error;
}

/** The spans of one review, from its root span (`review`) down. */
export class TraceRecorder {
  readonly traceId = hex(16);
  private readonly spans: TraceSpan[] = [];
  private readonly origin = performance.now();
  private readonly root: TraceSpan;

  constructor(readonly runId: string, readonly startedAt: string, attributes: Record<string, SpanAttributeValue> = {}) {
    this.root = { spanId: hex(8), parentSpanId: null, name: 'review', startMs: 0, durationMs: 0, status: 'ok', attributes: { 'diffwise.run.id': runId, ...attributes } };
    this.spans.push(this.root);
  }

  /**
   * Runs `work` inside a span named `name`, a child of the span current in this async
   * context (the review's root when none). A throw marks the span failed, with the
   * error's class and message, and is rethrown.
   */
  async span<T>(name: string, work: (span: ActiveSpan) => Promise<T>, attributes: Record<string, SpanAttributeValue> = {}): Promise<T> {
    const current = context.getStore();
    const parent = current?.recorder === this ? current.span : this.root;
    const span: TraceSpan = { spanId: hex(8), parentSpanId: parent.spanId, name, startMs: this.now(), durationMs: 0, status: 'ok', attributes: { ...attributes } };
    this.spans.push(span);
    try {
      return await context.run({ recorder: this, span }, () => work(activeSpan(span)));
    } catch (error) {
      span.status = 'error';
      span.attributes['error.type'] = errorClassOf(error);
      span.attributes['exception.message'] = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      span.durationMs = this.now() - span.startMs;
    }
  }

  /** Runs `work` with the review's root span current, so that spans opened inside it are the review's. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return context.run({ recorder: this, span: this.root }, work);
  }

  /** Adds to the review's root span (its status, counts). */
  setRootAttributes(attributes: Record<string, SpanAttributeValue | undefined>): void {
    activeSpan(this.root).setAttributes(attributes);
  }

  /** The trace as it stands: the root span ends now, with the run's status. */
  finish(status: RunStatus): ReviewTrace {
    this.root.durationMs = this.now();
    this.root.status = status === 'failed' ? 'error' : 'ok';
    this.root.attributes['diffwise.run.status'] = status;
    return { runId: this.runId, traceId: this.traceId, startedAt: this.startedAt, durationMs: this.root.durationMs, status, spans: this.spans.map((span) => ({ ...span, attributes: { ...span.attributes } })) };
  }

  private now(): number {
    return Math.round((performance.now() - this.origin) * 1000) / 1000;
  }
}

function activeSpan(span: TraceSpan): ActiveSpan {
  return {
    spanId: span.spanId,
    setAttributes(attributes) {
      for (const [key, value] of Object.entries(attributes)) if (value !== undefined) span.attributes[key] = value;
    },
  };
}

/**
 * Runs `work` in a span of the review being traced in this async context; outside a review,
 * just runs it. For the LLM client and the GitHub transport: `withSpan('llm.call', …)`.
 */
export function withSpan<T>(name: string, work: (span: ActiveSpan) => Promise<T>, attributes?: Record<string, SpanAttributeValue>): Promise<T> {
  const current = context.getStore();
  return current ? current.recorder.span(name, work, attributes) : work(NO_SPAN);
}

/** The span current in this async context, or one that records nothing. */
export function currentSpan(): ActiveSpan {
  const current = context.getStore();
  return current ? activeSpan(current.span) : NO_SPAN;
}

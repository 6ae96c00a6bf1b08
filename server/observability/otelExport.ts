/**
 * A recorded review's trace exported over OTLP/HTTP, only when the standard variables ask
 * for it (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; off again with
 * OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true). The exporter reads the endpoints and
 * OTEL_EXPORTER_OTLP_HEADERS itself; we read OTEL_SERVICE_NAME (default `diffwise`). Without
 * them the OpenTelemetry SDK is never loaded (its bundle is lazy: build/lazyModules.mjs).
 *
 * The core records its spans itself (trace.ts) and keeps them with the run; here a finished
 * `ReviewTrace` is replayed into the SDK with its recorded times, parents and ids, so that
 * the backend's trace and the waterfall of `diffwise metrics` have the same trace id. The
 * provider is our own, never registered as the global one: nothing else in the process is
 * instrumented by it. A collector that cannot be reached is a debug line, never the user's error.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace as otelTrace, type HrTime } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type IdGenerator, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ReviewTrace, TraceSpan } from '../../shared/observability';
import type { ReviewRun } from '../../shared/review';

/** The longest a front end waits, as it ends, for the spans still being sent. */
export const OTLP_FLUSH_TIMEOUT_MS = 2000;

/** The spans that leave the process: the rest are the process's own work. */
const CLIENT_SPANS = new Set(['llm.call', 'github.request']);

/** Whether the standard variables ask for traces to be exported. */
export function otlpExportConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = env.OTEL_TRACES_EXPORTER?.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  if (exporters?.length && !exporters.includes('otlp')) return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/**
 * Hands the SDK the ids a replayed span must carry: the tracer asks for a span id for each
 * span it starts, and for a trace id for a root, synchronously inside `startSpan`.
 */
class RecordedIds implements IdGenerator {
  traceId = '';
  spanId = '';
  generateTraceId = () => this.traceId;
  generateSpanId = () => this.spanId;
}

/** The exporter, with a failed export said at debug level instead of lost silently. */
function reportingFailures(exporter: SpanExporter, debug: (message: string) => void): SpanExporter {
  return {
    export(spans: ReadableSpan[], done) {
      exporter.export(spans, (result) => {
        if (result.error || result.code !== 0) debug(`OTLP export of ${spans.length} spans failed: ${result.error?.message ?? 'unknown error'}`);
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

/** An exporter of review traces: one provider per process, made at the first trace. */
export class TraceExporter {
  private provider: BasicTracerProvider | undefined;
  private readonly ids = new RecordedIds();

  constructor(private readonly version: string, private readonly env: NodeJS.ProcessEnv, private readonly debug: (message: string) => void) {}

  /** Queues the trace's spans for export (sent in the background, in batches). */
  export(trace: ReviewTrace): void {
    const tracer = this.started().getTracer('diffwise', this.version);
    const origin = Date.parse(trace.startedAt);
    // Each span is started with its own ids and an explicit parent context (no context manager is registered).
    for (const span of trace.spans) {
      this.ids.traceId = trace.traceId;
      this.ids.spanId = span.spanId;
      const parent = span.parentSpanId
        ? otelTrace.setSpanContext(ROOT_CONTEXT, { traceId: trace.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: false })
        : ROOT_CONTEXT;
      const replayed = tracer.startSpan(span.name, { kind: CLIENT_SPANS.has(span.name) ? SpanKind.CLIENT : SpanKind.INTERNAL, startTime: hrTime(origin + span.startMs), attributes: span.attributes }, parent);
      if (span.status === 'error') replayed.setStatus({ code: SpanStatusCode.ERROR, message: errorMessageOf(span) });
      replayed.end(hrTime(origin + span.startMs + span.durationMs));
    }
  }

  /** Sends what is queued, waiting at most `timeoutMs`: a dead collector never holds an exit longer. */
  async flush(timeoutMs = OTLP_FLUSH_TIMEOUT_MS): Promise<void> {
    if (!this.provider) return;
    await bounded(this.provider.forceFlush(), timeoutMs, this.debug);
  }

  /** Sends what is queued and stops (the daemon's shutdown), at most `timeoutMs`. */
  async shutdown(timeoutMs = OTLP_FLUSH_TIMEOUT_MS): Promise<void> {
    if (!this.provider) return;
    const provider = this.provider;
    this.provider = undefined;
    await bounded(provider.shutdown(), timeoutMs, this.debug);
  }

  private started(): BasicTracerProvider {
    if (this.provider) return this.provider;
    const resource = resourceFromAttributes({ 'service.name': this.env.OTEL_SERVICE_NAME?.trim() || 'diffwise', 'service.version': this.version });
    const exporter = reportingFailures(new OTLPTraceExporter(), this.debug);
    this.provider = new BasicTracerProvider({ resource, idGenerator: this.ids, spanProcessors: [new BatchSpanProcessor(exporter)] });
    return this.provider;
  }
}

/**
 * A sink for `WorkspaceOptions.onReviewRecorded` and the exporter to flush, or undefined
 * when the variables ask for no export (then nothing of OpenTelemetry is loaded).
 */
export function otlpTraceSink(version: string, options: { env?: NodeJS.ProcessEnv; debug?: (message: string) => void } = {}): { sink: (run: ReviewRun, trace: ReviewTrace | undefined) => void; exporter: TraceExporter } | undefined {
  const env = options.env ?? process.env;
  if (!otlpExportConfigured(env)) return undefined;
  const debug = options.debug ?? (() => undefined);
  const exporter = new TraceExporter(version, env, debug);
  return {
    exporter,
    sink: (_run, trace) => {
      if (!trace) return;
      try {
        exporter.export(trace);
      } catch (error) {
        debug(`OTLP export failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

/** A debug line on stderr when DIFFWISE_LOG_LEVEL asks for debug records: what the CLI says of a failed export. */
export function stderrDebug(env: NodeJS.ProcessEnv = process.env): (message: string) => void {
  const level = env.DIFFWISE_LOG_LEVEL?.trim().toLowerCase();
  return level === 'debug' || level === 'trace' ? (message) => process.stderr.write(`diffwise: debug: ${message}\n`) : () => undefined;
}

function errorMessageOf(span: TraceSpan): string {
  const message = span.attributes['exception.message'] ?? span.attributes['error.message'];
  return typeof message === 'string' ? message : String(span.attributes['error.type'] ?? 'error');
}

/** Epoch milliseconds (with a fraction) as OpenTelemetry's [seconds, nanoseconds]. */
function hrTime(epochMs: number): HrTime {
  const seconds = Math.floor(epochMs / 1000);
  return [seconds, Math.min(999_999_999, Math.round((epochMs - seconds * 1000) * 1e6))];
}

async function bounded(work: Promise<void>, timeoutMs: number, debug: (message: string) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  try {
    if ((await Promise.race([work.then(() => 'done' as const), timeout])) === 'timeout') debug(`OTLP export still under way after ${timeoutMs} ms: left behind`);
  } catch (error) {
    debug(`OTLP export failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

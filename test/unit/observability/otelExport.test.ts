/**
 * The OTLP export in process: which standard variables turn it on and off, and a recorded
 * trace replayed with its own trace and span ids, parents, times (the run's start plus each
 * span's offset, to the microsecond), kinds and error status, to a receiver on 127.0.0.1.
 */
import * as assert from 'node:assert/strict';
import type { ReviewTrace } from '../../../shared/observability';
import { otlpExportConfigured, otlpTraceSink } from '../../../server/observability/otelExport';
import { startOtlpReceiver } from '../../helpers/otlpReceiver';
import type { ReviewRun } from '../../../shared/review';

const trace: ReviewTrace = {
  runId: 'run-7',
  traceId: 'a'.repeat(32),
  startedAt: '2026-12-03T07:00:00.000Z',
  durationMs: 1500.25,
  status: 'partial',
  spans: [
    { spanId: '1'.repeat(16), parentSpanId: null, name: 'review', startMs: 0, durationMs: 1500.25, status: 'ok', attributes: { 'diffwise.run.id': 'run-7' } },
    { spanId: '2'.repeat(16), parentSpanId: '1'.repeat(16), name: 'llm', startMs: 10.5, durationMs: 1400, status: 'error', attributes: { 'error.type': 'LlmError', 'exception.message': 'LLM call failed: HTTP 500' } },
    { spanId: '3'.repeat(16), parentSpanId: '2'.repeat(16), name: 'llm.call', startMs: 11, durationMs: 900, status: 'ok', attributes: { 'gen_ai.usage.input_tokens': 12, 'diffwise.llm.cost_usd': 0.25, 'gen_ai.system': 'openai' } },
  ],
};

describe('OTLP export', () => {
  it('is on with an endpoint and off without one, or when OTEL_TRACES_EXPORTER or OTEL_SDK_DISABLED say so', () => {
    assert.equal(otlpExportConfigured({}), false);
    assert.equal(otlpExportConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }), false);
    assert.equal(otlpExportConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }), true);
    assert.equal(otlpExportConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }), true);
    assert.equal(otlpExportConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x', OTEL_TRACES_EXPORTER: 'none' }), false);
    assert.equal(otlpExportConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x', OTEL_TRACES_EXPORTER: 'console, otlp' }), true);
    assert.equal(otlpExportConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x', OTEL_SDK_DISABLED: 'TRUE' }), false);
    assert.equal(otlpTraceSink('1.0.0', { env: {} }), undefined, 'no sink, nothing loaded');
  });

  it('replays a trace with its ids, parents, times, kinds and error status', async () => {
    const receiver = await startOtlpReceiver();
    try {
      // The exporter reads the endpoint from process.env itself, as the standard says.
      const saved = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint;
      const traces = otlpTraceSink('1.2.3', { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'svc' } })!;
      // The SDK is started, and reads the variables, at the first trace.
      traces.sink({} as ReviewRun, trace);
      if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved;
      await traces.exporter.shutdown();
      const spans = receiver.spans();
      assert.deepEqual(spans.map((span) => [span.name, span.traceId, span.spanId, span.parentSpanId]), [
        ['review', trace.traceId, '1'.repeat(16), ''],
        ['llm', trace.traceId, '2'.repeat(16), '1'.repeat(16)],
        ['llm.call', trace.traceId, '3'.repeat(16), '2'.repeat(16)],
      ]);
      const origin = BigInt(Date.parse(trace.startedAt)) * 1_000_000n;
      assert.equal(spans[0].startTimeUnixNano, origin);
      assert.equal(spans[0].endTimeUnixNano, origin + 1_500_250_000n);
      assert.equal(spans[1].startTimeUnixNano, origin + 10_500_000n);
      assert.deepEqual(spans[1].status, { code: 2, message: 'LLM call failed: HTTP 500' });
      assert.equal(spans[0].status.code, 0, 'ok spans are left unset, as the specification asks');
      assert.deepEqual([spans[0].kind, spans[2].kind], [1, 3], 'internal; an LLM call is a client span');
      assert.equal(spans[2].attributes['gen_ai.usage.input_tokens'], 12);
      assert.equal(spans[2].attributes['diffwise.llm.cost_usd'], 0.25);
      assert.deepEqual([spans[0].resource['service.name'], spans[0].resource['service.version'], spans[0].scope.name], ['svc', '1.2.3', 'diffwise']);
    } finally {
      await receiver.close();
    }
  });

  it('a collector that refuses the connection is a debug line, not a throw, and the flush is bounded', async () => {
    const lines: string[] = [];
    const saved = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:9';
    // The exporter's own timeout, short: its retries of the refused connection end with the test.
    process.env.OTEL_EXPORTER_OTLP_TIMEOUT = '400';
    try {
      const traces = otlpTraceSink('1.0.0', { env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }, debug: (line) => lines.push(line) })!;
      traces.sink({} as ReviewRun, trace);
      // The exporter retries a refused connection until its own timeout; the flush gives up first.
      await traces.exporter.flush(300);
      assert.ok(lines.some((line) => /OTLP export/.test(line)), lines.join('\n'));
      await traces.exporter.shutdown(300);
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_TIMEOUT;
      if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved;
    }
  });
});

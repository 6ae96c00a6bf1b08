/**
 * Traces over OTLP (issue 18): with OTEL_EXPORTER_OTLP_ENDPOINT set, `diffwise review` sends
 * its recorded spans to a receiver on 127.0.0.1 that decodes OTLP/HTTP JSON — the review span,
 * its stages under it, an LLM call with its tokens — with the trace id `diffwise metrics`
 * shows; unset (or turned off) nothing is sent; a collector that never answers costs the CLI
 * its flush timeout at most, and the review still passes.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Metrics } from '../../shared/metrics';
import type { TraceSpan } from '../../shared/observability';
import { runCliAsync, runCliJsonAsync } from '../helpers/cli';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fakeOpenAi';
import { cleanupRepos, featureBranchRepo } from '../helpers/gitRepo';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlpReceiver';
import { TestLspClient } from '../helpers/lspClient';
import { REVIEW_COMMAND } from '../../shared/protocol';

const REVIEW = ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never'];

function changedRepo(): string {
  return featureBranchRepo(
    { 'src/a.ts': 'export function double(n: number): number {\n  return n * 2;\n}\n' },
    { 'src/a.ts': 'export function double(n: number, by = 2): number {\n  return n * by;\n}\n', 'src/b.ts': "import { double } from './a';\n\nexport const four = double(2);\n" },
  );
}

describe('traces over OTLP/HTTP', function () {
  this.timeout(90_000);
  after(cleanupRepos);

  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => receiver.close());

  it('a review sends its spans with the stored trace id, parents, service name and an LLM call with tokens', async () => {
    const fake: FakeOpenAi = await startFakeOpenAi();
    try {
      fake.setDefault({ kind: 'success', content: JSON.stringify({ findings: [] }), usage: { prompt: 321, completion: 45 } });
      const repo = changedRepo();
      const review = await runCliAsync(repo, REVIEW, {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'diffwise-under-test', OTEL_EXPORTER_OTLP_HEADERS: 'x-team=reviewers',
        DIFFWISE_LLM_BASE_URL: fake.baseUrl, DIFFWISE_LLM_API_KEY: 'sk-test-0123456789abcdef', DIFFWISE_LLM_MODEL: 'review-model',
      });
      assert.equal(review.code, 0, review.stderr);
      // The CLI flushes before it exits: everything is in by the time it has.
      const spans = receiver.spans();
      assert.ok(spans.length > 3, `spans received: ${spans.map((span) => span.name).join(', ')}`);
      assert.equal(receiver.requestHeaders[0]['x-team'], 'reviewers', 'OTEL_EXPORTER_OTLP_HEADERS is sent');

      const { json: metrics } = await runCliJsonAsync<Metrics>(repo, ['metrics', '--json']);
      const stored = metrics.lastTrace;
      assert.ok(stored, 'the review was recorded with its trace');
      assert.ok(spans.every((span) => span.traceId === stored.traceId), 'one trace, the id diffwise metrics shows');
      assert.deepEqual(spans.map((span) => span.spanId).sort(), stored.spans.map((span) => span.spanId).sort(), 'the same spans, by id');

      const root = spans.find((span) => span.name === 'review');
      assert.ok(root);
      assert.equal(root.parentSpanId, '');
      assert.equal(root.resource['service.name'], 'diffwise-under-test');
      assert.equal(root.scope.name, 'diffwise');
      const byId = new Map(spans.map((span) => [span.spanId, span]));
      for (const span of spans) {
        const recorded: TraceSpan | undefined = stored.spans.find((candidate) => candidate.spanId === span.spanId);
        assert.equal(span.parentSpanId, recorded?.parentSpanId ?? '', `${span.name}'s parent`);
        if (span !== root) assert.ok(byId.has(span.parentSpanId), `${span.name}'s parent was sent too`);
        assert.ok(span.endTimeUnixNano >= span.startTimeUnixNano, `${span.name} ends after it starts`);
        assert.ok(span.startTimeUnixNano >= root.startTimeUnixNano, `${span.name} starts within the review`);
      }
      const diff = spans.find((span) => span.name === 'diff');
      assert.ok(diff, 'the diff stage');
      assert.equal(diff.parentSpanId, root.spanId);
      assert.ok(spans.some((span) => span.name.startsWith('rule:')), 'a rule stage');

      const call = spans.find((span) => span.name === 'llm.call');
      assert.ok(call, 'an LLM call');
      assert.equal(call.kind, 3, 'a client span');
      assert.equal(call.attributes['gen_ai.system'], 'openai');
      assert.equal(call.attributes['gen_ai.request.model'], 'review-model');
      assert.equal(call.attributes['gen_ai.usage.input_tokens'], 321);
      assert.equal(call.attributes['gen_ai.usage.output_tokens'], 45);
      assert.equal(call.attributes['http.response.status_code'], 200);
      assert.equal(typeof call.attributes['diffwise.llm.cost_usd'], 'number');
      assert.ok(!JSON.stringify(spans, (_key, value) => (typeof value === 'bigint' ? String(value) : value)).includes('sk-test-0123456789abcdef'), 'no key in what is sent');
    } finally {
      await fake.close();
    }
  });

  it('a failed span is sent with the error status and its message', async () => {
    const fake: FakeOpenAi = await startFakeOpenAi();
    try {
      fake.setDefault({ kind: 'status', status: 400, message: 'the model is unknown' });
      const repo = changedRepo();
      const review = await runCliAsync(repo, REVIEW, {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces`,
        DIFFWISE_LLM_BASE_URL: fake.baseUrl, DIFFWISE_LLM_API_KEY: 'sk-test-0123456789abcdef', DIFFWISE_LLM_MODEL: 'review-model',
      });
      assert.equal(review.code, 0, review.stderr);
      const call = receiver.spans().find((span) => span.name === 'llm.call');
      assert.ok(call, `spans: ${receiver.spans().map((span) => span.name).join(', ')}`);
      assert.equal(call.status.code, 2, 'error');
      assert.match(call.status.message ?? '', /HTTP 400/);
      assert.equal(call.attributes['http.response.status_code'], 400);
      assert.equal(call.attributes['error.type'], 'LlmError');
      assert.equal(receiver.spans().find((span) => span.name === 'review')?.resource['service.name'], 'diffwise', 'the default service name');
    } finally {
      await fake.close();
    }
  });

  it('the daemon exports each review too, and has sent its spans by the time it has shut down', async () => {
    const repo = changedRepo();
    const client = await TestLspClient.start(repo, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'diffwise-daemon' });
    await client.connection.sendRequest('workspace/executeCommand', { command: REVIEW_COMMAND, arguments: [{ scope: 'branch', base: 'main' }] });
    await client.stop();
    const spans = receiver.spans();
    const root = spans.find((span) => span.name === 'review');
    assert.ok(root, `spans: ${spans.map((span) => span.name).join(', ')}\n${client.stderr}`);
    assert.equal(root.resource['service.name'], 'diffwise-daemon');
    assert.ok(spans.some((span) => span.name === 'diff' && span.parentSpanId === root.spanId));
    assert.ok(spans.every((span) => span.traceId === root.traceId));
  });

  it('sends nothing when no endpoint is set, or when OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true', async () => {
    const repo = changedRepo();
    for (const env of [{ OTEL_EXPORTER_OTLP_ENDPOINT: '' }, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_TRACES_EXPORTER: 'none' }, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SDK_DISABLED: 'true' }]) {
      const review = await runCliAsync(repo, [...REVIEW, '--no-llm'], env);
      assert.equal(review.code, 0, review.stderr);
    }
    assert.equal(receiver.requests, 0);
  });

  it('a collector that never answers costs the CLI its flush timeout at most, and the review still passes', async () => {
    const sockets = new Set<Socket>();
    const silent = http.createServer(() => undefined);
    silent.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const repo = changedRepo();
      const plainStart = Date.now();
      const plain = await runCliAsync(repo, [...REVIEW, '--no-llm']);
      const plainMs = Date.now() - plainStart;
      assert.equal(plain.code, 0, plain.stderr);

      const start = Date.now();
      const stuck = await runCliAsync(repo, [...REVIEW, '--no-llm'], { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, DIFFWISE_LOG_LEVEL: 'debug' });
      const stuckMs = Date.now() - start;
      assert.equal(stuck.code, 0, stuck.stderr);
      assert.equal(JSON.parse(stuck.stdout).run.status, 'ok');
      assert.ok(stuckMs < plainMs + 4000, `with a silent collector ${stuckMs} ms, without ${plainMs} ms`);
      assert.ok(!/\berror\b.*otlp|otlp.*\berror\b/i.test(stuck.stderr.split('\n').filter((line) => !line.includes('debug')).join('\n')), 'no error for the user');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

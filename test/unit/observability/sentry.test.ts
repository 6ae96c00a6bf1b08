import { strict as assert } from 'node:assert';
import type { ReviewTrace } from '../../../shared/observability';
import type { ReviewRun } from '../../../shared/review';
import { errorFingerprint, normaliseMessage } from '../../../server/observability/errorFingerprint';
import { flushSentry, sentrySink } from '../../../server/observability/sentry';
import { errorsText, timeAgo } from '../../../server/report/errorsText';
import { parseEnvelope, startSentryReceiver, type SentryReceiver } from '../../helpers/sentryReceiver';

function run(overrides: Partial<ReviewRun>): ReviewRun {
  return {
    id: '674cb300-8eb2-440c-8933-6e2a4ee8a053', scope: 'branch', base: 'main', mergeBase: null, head: null, status: 'partial',
    startedAt: '2026-12-03T07:00:00.000Z', durationMs: 812.4, files: 1, hunks: 1, cacheHits: 0, llmCalls: 1,
    tokens: { prompt: 0, completion: 0 }, costUsd: 0, errors: [], notices: [], skipped: [], llm: null, learning: { suppressed: 0, demoted: 0 },
    ...overrides,
  };
}

const trace: ReviewTrace = {
  runId: '674cb300-8eb2-440c-8933-6e2a4ee8a053', traceId: '0af7651916cd43dd8448eb211c80319c', startedAt: '2026-12-03T07:00:00.000Z', durationMs: 812, status: 'partial',
  spans: [
    { spanId: 'b7ad6b7169203331', parentSpanId: null, name: 'review', startMs: 0, durationMs: 812, status: 'ok', attributes: {} },
    { spanId: '00f067aa0ba902b7', parentSpanId: 'b7ad6b7169203331', name: 'llm', startMs: 100, durationMs: 700, status: 'error', attributes: { 'error.type': 'APIError' } },
  ],
};

describe('Sentry sink', () => {
  let receiver: SentryReceiver;
  before(async () => {
    receiver = await startSentryReceiver();
  });
  after(() => receiver.close());

  it('is no sink at all without SENTRY_DSN', () => {
    assert.equal(sentrySink('1.0.0', {}), undefined);
    assert.equal(sentrySink('1.0.0', { SENTRY_DSN: '  ' }), undefined);
  });

  it('sends one event per failure, grouped by our fingerprint, with the span\'s class, the trace, and redacted', async () => {
    const env = { SENTRY_DSN: receiver.dsn, SENTRY_ENVIRONMENT: 'staging', DIFFWISE_LLM_API_KEY: 'local-key-0123456789' };
    const sink = sentrySink('1.2.3', env)!;
    sink(run({ errors: [] }), trace);
    await flushSentry();
    assert.equal(receiver.envelopes.length, 0, 'a run that failed nowhere sends nothing');

    const message = 'the LLM endpoint refused key local-key-0123456789 (401)';
    sink(run({ errors: [{ stage: 'llm', message }, { stage: 'rule:secret', message: 'secretlint crashed' }] }), trace);
    await flushSentry();
    const events = await receiver.waitForEvents(2);
    assert.equal(events.length, 2);
    const [llm, rule] = events;
    assert.deepEqual(llm.fingerprint, [errorFingerprint('llm', 'APIError', normaliseMessage(message))]);
    assert.deepEqual(llm.tags, { stage: 'llm', 'error.class': 'APIError', 'diffwise.run.id': trace.runId, 'diffwise.run.status': 'partial' });
    assert.deepEqual(llm.contexts.trace, { trace_id: trace.traceId, span_id: 'b7ad6b7169203331' });
    assert.equal(llm.exception.values[0].value, 'the LLM endpoint refused key [REDACTED] (401)');
    assert.equal(llm.release, '1.2.3');
    assert.equal(llm.environment, 'staging');
    assert.equal(llm.level, 'warning', 'a partial run');
    assert.equal(rule.tags['error.class'], 'Error');
    assert.ok(!JSON.stringify(receiver.envelopes).includes('local-key-0123456789'));
  });
});

describe('the envelope receiver', () => {
  it('reads items with and without a length, binary-safe', () => {
    const payload = Buffer.from('{"a":"é\\n"}');
    const body = Buffer.concat([
      Buffer.from('{"event_id":"x"}\n{"type":"event","length":' + payload.length + '}\n'), payload,
      Buffer.from('\n{"type":"attachment"}\nplain text\n'),
    ]);
    const { header, items } = parseEnvelope(body);
    assert.deepEqual(header, { event_id: 'x' });
    assert.deepEqual(items, [{ header: { type: 'event', length: payload.length }, payload: { a: 'é\n' } }, { header: { type: 'attachment' }, payload: 'plain text' }]);
  });
});

describe('diffwise errors text', () => {
  const now = new Date('2026-12-03T12:00:00.000Z');
  it('says when, in words', () => {
    assert.equal(timeAgo('2026-12-03T11:59:30.000Z', now), 'just now');
    assert.equal(timeAgo('2026-12-03T11:00:00.000Z', now), '1 hour ago');
    assert.equal(timeAgo('2026-11-30T12:00:00.000Z', now), '3 days ago');
    assert.equal(timeAgo('2026-09-01T12:00:00.000Z', now), 'on 2026-09-01');
  });

  it('one block per group, and an empty state that says so', () => {
    assert.match(errorsText([], now), /^No review has failed/);
    const text = errorsText([{
      fingerprint: '6040948f86da', stage: 'diff', errorClass: 'GitError', message: 'unknown base ref: <value>', example: 'unknown base ref: nope',
      count: 3, firstSeen: '2026-12-01T12:00:00.000Z', lastSeen: '2026-12-03T10:00:00.000Z', exampleRunId: 'r1',
    }], now);
    assert.match(text, /^6040948f86da {2}3 times {2}.+ {2}GitError\n {4}unknown base ref: <value>\n {4}first seen 2 days ago, last seen 2 hours ago; in run r1\n {4}last: unknown base ref: nope\n\n3 failures of 1 cause\n$/);
  });
});

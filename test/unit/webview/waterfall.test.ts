/**
 * The metrics page's waterfall layout on a review's trace: rows nested under their parents
 * in start order, bars as fractions of the review's time (concurrent stages overlapping),
 * failed spans marked with their error, round gridlines, and a damaged trace still drawn.
 */
import * as assert from 'node:assert/strict';
import type { ReviewTrace, TraceSpan } from '../../../shared/observability';
import { ticksOf, waterfallOf } from '../../../webview/metrics/waterfallModel';

const span = (spanId: string, parentSpanId: string | null, name: string, startMs: number, durationMs: number, extra: Partial<TraceSpan> = {}): TraceSpan => ({
  spanId, parentSpanId, name, startMs, durationMs, status: 'ok', attributes: {}, ...extra,
});

/** A review of 1 s: diff, index, then the LLM beside the type-checked rules, one of whose compatibility check failed. */
const trace: ReviewTrace = {
  runId: 'run-1',
  traceId: '0123456789abcdef0123456789abcdef',
  startedAt: '2026-12-03T07:00:00.000Z',
  durationMs: 1000,
  status: 'partial',
  spans: [
    span('r', null, 'review', 0, 1000),
    span('l', 'r', 'llm', 300, 600),
    span('d', 'r', 'diff', 0, 100),
    span('c', 'l', 'llm.call', 310, 500, { attributes: { 'gen_ai.usage.input_tokens': 100 } }),
    span('b', 'r', 'rule:breaking-change', 300, 400),
    span('k', 'b', 'compatibility', 320, 350, { status: 'error', attributes: { 'error.type': 'TypeError', 'exception.message': 'checker crashed' } }),
    span('i', 'r', 'index', 100, 200),
  ],
};

describe('metrics webview: the waterfall', () => {
  it('nests each span under its parent, siblings in start order', () => {
    const { rows } = waterfallOf(trace);
    assert.deepEqual(rows.map((row) => `${'-'.repeat(row.depth)}${row.name}`), [
      'review', '-diff', '-index', '-llm', '--llm.call', '-rule:breaking-change', '--compatibility',
    ]);
  });

  it('places bars as fractions of the review, so that concurrent stages overlap', () => {
    const { rows, totalMs } = waterfallOf(trace);
    assert.equal(totalMs, 1000);
    const byName = new Map(rows.map((row) => [row.name, row]));
    assert.deepEqual([byName.get('review')!.offset, byName.get('review')!.width], [0, 1]);
    assert.deepEqual([byName.get('index')!.offset, byName.get('index')!.width], [0.1, 0.2]);
    const llm = byName.get('llm')!;
    const rule = byName.get('rule:breaking-change')!;
    assert.ok(llm.offset < rule.offset + rule.width && rule.offset < llm.offset + llm.width, 'the LLM runs beside the type-checked rule');
  });

  it('marks a failed span with its class and message', () => {
    const failed = waterfallOf(trace).rows.filter((row) => row.failed);
    assert.deepEqual(failed.map((row) => [row.name, row.error]), [['compatibility', 'TypeError: checker crashed']]);
  });

  it('keeps a bar inside the axis when a span outlasts the recorded review, and shows an orphan under the review', () => {
    const damaged: ReviewTrace = { ...trace, durationMs: 100, spans: [span('r', null, 'review', 0, 100), span('x', 'gone', 'github.request', 50, 150)] };
    const { rows, totalMs } = waterfallOf(damaged);
    assert.equal(totalMs, 200, 'the axis reaches the longest span');
    assert.deepEqual(rows.map((row) => [row.name, row.depth]), [['review', 0], ['github.request', 1]]);
    assert.ok(rows.every((row) => row.offset + row.width <= 1));
  });

  it('puts four to eight gridlines at round steps', () => {
    for (const total of [1, 7, 95, 1000, 2345, 61_000]) {
      const ticks = ticksOf(total);
      assert.ok(ticks.length >= 3 && ticks.length <= 9, `${total} ms: ${ticks.length} ticks`);
      assert.equal(ticks[0].ms, 0);
      assert.ok(ticks.every((tick) => tick.at >= 0 && tick.at <= 1));
      const step = ticks[1].ms;
      assert.match(String(step / 10 ** Math.floor(Math.log10(step))), /^(1|2|5)$/, `${total} ms: step ${step}`);
    }
  });
});

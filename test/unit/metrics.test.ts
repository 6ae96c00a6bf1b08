import * as assert from 'node:assert/strict';
import { computeMetrics, parseDuration, percentile } from '../../server/metrics/metrics';
import type { RunRecord } from '../../server/store/runStore';

const run = (status: RunRecord['status'], durationMs: number, byRule: Record<string, number> = {}, hunks = 2, cacheHits = 0): RunRecord => ({
  status, startedAt: '2026-11-25T00:00:00.000Z', durationMs, hunks, cacheHits, llmCalls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, savedUsd: 0, findingsByRule: byRule,
});

describe('metrics', () => {
  it('adds up runs: success rate, hit rate, duration percentiles (failed runs left out), findings by rule', () => {
    const metrics = computeMetrics([
      run('ok', 100, { secret: 1 }, 4, 3),
      run('ok', 300, { secret: 1, 'debug-leftover': 2 }, 4, 1),
      run('partial', 200),
      run('failed', 5),
    ]);
    assert.deepEqual(metrics.reviews, { total: 4, ok: 2, partial: 1, failed: 1, successRate: 0.75 });
    assert.deepEqual(metrics.cache, { hunks: 12, hits: 4, hitRate: 0.3333 });
    assert.deepEqual(metrics.duration, { avgMs: 200, p50Ms: 200, p95Ms: 300 });
    assert.deepEqual(metrics.findings.byRule, { secret: 2, 'debug-leftover': 2 });
  });

  it('is all zeros without runs', () => {
    const metrics = computeMetrics([]);
    assert.equal(metrics.reviews.successRate, 0);
    assert.equal(metrics.cache.hitRate, 0);
    assert.equal(metrics.duration.p95Ms, 0);
  });

  it('takes nearest-rank percentiles and human durations', () => {
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
    assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
    assert.equal(parseDuration('30m'), 1_800_000);
    assert.equal(parseDuration('7d'), 604_800_000);
    assert.throws(() => parseDuration('7 days'), /not a duration/);
  });
});

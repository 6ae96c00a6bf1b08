import * as assert from 'node:assert/strict';
import { computeMetrics, parseDuration, percentile } from '../../server/metrics/metrics';
import type { RunRecord } from '../../server/store/runStore';

const run = (status: RunRecord['status'], durationMs: number, byRule: Record<string, number> = {}, hunks = 2, cacheHits = 0): RunRecord => ({
  status, startedAt: '2026-11-25T00:00:00.000Z', durationMs, hunks, cacheHits, llmCalls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, savedUsd: 0, findingsByRule: byRule,
});

describe('metrics', () => {
  it('adds up runs: success rate, hit rate, duration percentiles (failed runs left out), findings by rule', () => {
    const metrics = computeMetrics({
      runs: [
        run('ok', 100, { secret: 1 }, 4, 3),
        run('ok', 300, { secret: 1, 'debug-leftover': 2 }, 4, 1),
        run('partial', 200),
        run('failed', 5),
      ],
      votes: [],
      monthlyBudgetUsd: null,
    });
    assert.deepEqual(metrics.reviews, { total: 4, ok: 2, partial: 1, failed: 1, successRate: 0.75 });
    assert.deepEqual(metrics.cache, { hunks: 12, hits: 4, hitRate: 0.3333 });
    assert.deepEqual(metrics.duration, { avgMs: 200, p50Ms: 200, p95Ms: 300 });
    assert.deepEqual(metrics.findings.byRule, { secret: 2, 'debug-leftover': 2 });
  });

  it('is all zeros without runs', () => {
    const metrics = computeMetrics({ runs: [], votes: [], monthlyBudgetUsd: null });
    assert.equal(metrics.reviews.successRate, 0);
    assert.equal(metrics.cache.hitRate, 0);
    assert.equal(metrics.duration.p95Ms, 0);
  });

  it('adds votes per rule, ranks rules noisiest first and buckets runs per hour or per day', () => {
    const vote = (ruleId: string, kind: 'up' | 'down') => ({
      id: `${ruleId}-${kind}-${Math.random()}`, findingId: 'f', vote: kind, reason: null, ruleId, category: ruleId, source: 'static' as const,
      severity: 'warning' as const, file: 'a.ts', line: 1, message: 'm', codeFingerprint: 'c', messageFingerprint: 'm', createdAt: '2026-11-25T00:00:00.000Z', origin: 'local' as const,
    });
    const at = (startedAt: string, durationMs: number) => ({ ...run('ok', durationMs, { 'debug-leftover': 1 }), startedAt });
    const metrics = computeMetrics({
      runs: [at('2026-11-20T10:00:00.000Z', 100), at('2026-11-25T09:00:00.000Z', 300), at('2026-11-25T11:00:00.000Z', 500)],
      votes: [vote('secret', 'up'), vote('debug-leftover', 'down'), vote('debug-leftover', 'down'), vote('debug-leftover', 'up')],
      monthlyBudgetUsd: 5,
    });
    assert.deepEqual(metrics.feedback, { up: 2, down: 2, acceptanceRate: 0.5, byRule: { secret: { up: 1, down: 0 }, 'debug-leftover': { up: 1, down: 2 } } });
    assert.deepEqual(metrics.rules.map((rule) => [rule.ruleId, rule.acceptanceRate]), [['debug-leftover', 0.3333], ['secret', 1]]);
    assert.equal(metrics.llm.monthlyBudgetUsd, 5);
    assert.equal(metrics.timeline.bucket, 'day');
    assert.deepEqual(metrics.timeline.points.map((point) => [point.start, point.reviews, point.p50Ms]), [['2026-11-20T00:00:00.000Z', 1, 100], ['2026-11-25T00:00:00.000Z', 2, 300]]);
    const recent = computeMetrics({ runs: [at('2026-11-25T09:10:00.000Z', 100), at('2026-11-25T11:00:00.000Z', 200)], votes: [], monthlyBudgetUsd: null });
    assert.equal(recent.timeline.bucket, 'hour');
    assert.deepEqual(recent.timeline.points.map((point) => point.start), ['2026-11-25T09:00:00.000Z', '2026-11-25T11:00:00.000Z']);
  });

  it('takes nearest-rank percentiles and human durations', () => {
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
    assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
    assert.equal(parseDuration('30m'), 1_800_000);
    assert.equal(parseDuration('7d'), 604_800_000);
    assert.throws(() => parseDuration('7 days'), /not a duration/);
  });
});

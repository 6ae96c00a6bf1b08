/** `diffwise metrics` for people: one line per concern. */
import type { Metrics } from '../../shared/metrics';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export function metricsText(metrics: Metrics, since: string | undefined): string {
  const { reviews, cache, duration, llm, findings, feedback } = metrics;
  const rules = Object.entries(findings.byRule).sort((a, b) => b[1] - a[1]);
  return [
    `Reviews${since ? ` in the last ${since}` : ''}: ${reviews.total} (${reviews.ok} ok, ${reviews.partial} partial, ${reviews.failed} failed); success rate ${percent(reviews.successRate)}`,
    `Cache:    ${cache.hits} of ${cache.hunks} hunks from the cache (${percent(cache.hitRate)})`,
    `Duration: ${duration.avgMs} ms on average, p50 ${duration.p50Ms} ms, p95 ${duration.p95Ms} ms`,
    `LLM:      ${llm.calls} calls, ${llm.promptTokens} prompt + ${llm.completionTokens} completion tokens, $${llm.costUsd.toFixed(4)} (saved by the cache: $${llm.savedUsd.toFixed(4)})`,
    `Findings: ${rules.length ? rules.map(([rule, n]) => `${rule} ${n}`).join(', ') : 'none'}`,
    `Feedback: ${feedback.up} helpful, ${feedback.down} not helpful${feedback.up + feedback.down ? ` (acceptance ${percent(feedback.acceptanceRate)})` : ''}${Object.keys(feedback.byRule).length ? `; ${Object.entries(feedback.byRule).map(([rule, v]) => `${rule} ${v.up}/${v.down}`).join(', ')} (up/down)` : ''}`,
    '',
  ].join('\n');
}

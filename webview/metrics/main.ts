/**
 * The metrics dashboard: headline figures, charts over time and per rule, and the
 * noisiest rules, for a chosen time range. Each chart comes with a one-line summary
 * (also its canvas's accessible name) and its data as a table, so that everything
 * drawn can also be read.
 */
import './metrics.css';
import type { Metrics, TimelinePoint } from '../../shared/metrics';
import { Channel } from '../common/channel';
import { button, h, icon, labelledSelect, replaceContent, statusBlock } from '../common/dom';
import { formatDate, plural } from '../common/format';
import { applyTheme, Chart, onThemeChange, readTheme, type ChartConfiguration, type Theme } from './charts';
import { bucketLabel, count, duration, percent, usd } from './format';
import { dataTable } from './dataTable';
import { errorsSection, waterfallSection } from './traceSections';

const channel = new Channel<'metrics'>();
const root = document.getElementById('diffwise-metrics')!;

const RANGES = {
  '24h': { label: 'Last 24 hours', during: 'in the last 24 hours', hours: 24 },
  '7d': { label: 'Last 7 days', during: 'in the last 7 days', hours: 24 * 7 },
  '30d': { label: 'Last 30 days', during: 'in the last 30 days', hours: 24 * 30 },
  all: { label: 'All time', during: 'yet', hours: null },
} as const;
type Range = keyof typeof RANGES;

interface SavedState {
  range: Range;
}

const saved = channel.getState<SavedState>();
let range: Range = saved.range && saved.range in RANGES ? saved.range : '7d';
let loaded: { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'metrics'; metrics: Metrics; at: Date } = { kind: 'loading' };
let charts: Chart[] = [];
let requestSerial = 0;

async function load(): Promise<void> {
  const serial = ++requestSerial;
  const hours = RANGES[range].hours;
  const since = hours === null ? undefined : new Date(Date.now() - hours * 3_600_000).toISOString();
  try {
    const metrics = await channel.request('metrics', since ? { since } : {});
    if (serial === requestSerial) loaded = { kind: 'metrics', metrics, at: new Date() };
  } catch (error) {
    if (serial === requestSerial) loaded = { kind: 'error', message: (error as Error).message };
  }
  if (serial === requestSerial) render();
}

interface ChartSpec {
  id: string;
  title: string;
  summary: string;
  config: (theme: Theme) => ChartConfiguration;
  table: HTMLElement;
}

function chartSection(spec: ChartSpec): { section: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': `${spec.title}: ${spec.summary}` } });
  const section = h('section', { class: 'chart', attrs: { 'aria-labelledby': `${spec.id}-title`, 'data-chart': spec.id } },
    h('h2', { attrs: { id: `${spec.id}-title` } }, spec.title),
    h('p', { class: 'chart-summary' }, spec.summary),
    h('div', { class: 'canvas-box' }, canvas),
    h('vscode-collapsible', { attrs: { heading: 'Data table', 'data-focus': `${spec.id}-data` } }, spec.table));
  return { section, canvas };
}

function timelineSpecs(metrics: Metrics): ChartSpec[] {
  const { bucket, points } = metrics.timeline;
  const labels = points.map((point) => bucketLabel(point.start, bucket));
  const per = bucket === 'day' ? 'day' : 'hour';
  const row = (point: TimelinePoint, ...cells: Array<string | number>) => [bucketLabel(point.start, bucket), ...cells];
  const axisTitle = `${bucket === 'day' ? 'Day' : 'Hour'} (UTC)`;
  const budget = metrics.llm.monthlyBudgetUsd;
  const budgetPerBucket = budget === null ? null : bucket === 'day' ? budget / 30 : budget / (30 * 24);
  const budgetLabel = budget === null ? '' : `Budget per ${per} (${usd(budget)} a month / ${bucket === 'day' ? '30' : '720'})`;
  const overBudget = budgetPerBucket === null ? 0 : points.filter((point) => point.costUsd > budgetPerBucket).length;

  return [
    {
      id: 'rates',
      title: 'Review success and cache hit rate',
      summary: `${plural(metrics.reviews.total, 'review')}: ${percent(metrics.reviews.successRate)} succeeded (${metrics.reviews.partial} partial, ${metrics.reviews.failed} failed); the cache answered ${percent(metrics.cache.hitRate)} of hunks (${count(metrics.cache.hits)} of ${plural(metrics.cache.hunks, 'hunk')}).`,
      config: (theme) => ({
        type: 'line',
        data: {
          labels,
          datasets: [
            { label: 'Review success rate (%)', data: points.map((p) => p.successRate * 100), borderColor: theme.series.green, backgroundColor: theme.series.green },
            { label: 'Cache hit rate (%)', data: points.map((p) => p.cacheHitRate * 100), borderColor: theme.series.blue, backgroundColor: theme.series.blue },
          ],
        },
        options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } }, x: { offset: true, title: { display: true, text: axisTitle } } } },
      }),
      table: dataTable('Review success and cache hit rate per bucket', [axisTitle, 'Reviews', 'Succeeded', 'Hunks', 'Cache hit rate'],
        points.map((p) => row(p, p.reviews, percent(p.successRate), p.hunks, percent(p.cacheHitRate)))),
    },
    {
      id: 'duration',
      title: 'Review duration',
      summary: `Median ${duration(metrics.duration.p50Ms)}, 95th percentile ${duration(metrics.duration.p95Ms)}, average ${duration(metrics.duration.avgMs)} (failed reviews left out).`,
      config: (theme) => ({
        type: 'line',
        data: {
          labels,
          datasets: [
            { label: 'p50 (ms)', data: points.map((p) => p.p50Ms), borderColor: theme.series.blue, backgroundColor: theme.series.blue },
            { label: 'p95 (ms)', data: points.map((p) => p.p95Ms), borderColor: theme.series.orange, backgroundColor: theme.series.orange },
          ],
        },
        options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'ms' } }, x: { offset: true, title: { display: true, text: axisTitle } } } },
      }),
      table: dataTable('Review duration per bucket', [axisTitle, 'p50', 'p95'], points.map((p) => row(p, duration(p.p50Ms), duration(p.p95Ms)))),
    },
    {
      id: 'cost',
      title: 'LLM cost against the budget',
      summary: `${usd(metrics.llm.costUsd)} spent on ${plural(metrics.llm.calls, 'LLM call')}; the review cache saved ${usd(metrics.llm.savedUsd)}. ${budget === null
        ? 'No monthly budget is set (diffwise.llm.monthlyBudgetUsd).'
        : `${budgetLabel}: ${usd(budgetPerBucket!)}, exceeded in ${overBudget} of ${plural(points.length, per)}.`}`,
      config: (theme) => ({
        type: 'bar',
        data: {
          labels,
          datasets: [
            { type: 'bar', label: 'Cost (USD)', data: points.map((p) => p.costUsd), backgroundColor: theme.series.red, borderColor: theme.series.red },
            { type: 'bar', label: 'Saved by the cache (USD)', data: points.map((p) => p.savedUsd), backgroundColor: theme.series.green, borderColor: theme.series.green },
            ...(budgetPerBucket === null ? [] : [{
              type: 'line' as const, label: budgetLabel, data: points.map(() => budgetPerBucket),
              borderColor: theme.series.yellow, backgroundColor: theme.series.yellow, borderDash: [6, 4], pointRadius: 0,
            }]),
          ],
        },
        options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'USD' } }, x: { offset: true, title: { display: true, text: axisTitle } } } },
      }) as ChartConfiguration,
      table: dataTable('LLM cost per bucket', [axisTitle, 'Cost', 'Saved by the cache', ...(budgetPerBucket === null ? [] : ['Budget'])],
        points.map((p) => row(p, usd(p.costUsd), usd(p.savedUsd), ...(budgetPerBucket === null ? [] : [usd(budgetPerBucket)])))),
    },
    {
      id: 'tokens',
      title: 'LLM tokens',
      summary: `${count(metrics.llm.promptTokens)} prompt and ${count(metrics.llm.completionTokens)} completion tokens.`,
      config: (theme) => ({
        type: 'bar',
        data: {
          labels,
          datasets: [
            { label: 'Prompt tokens', data: points.map((p) => p.promptTokens), backgroundColor: theme.series.blue, borderColor: theme.series.blue },
            { label: 'Completion tokens', data: points.map((p) => p.completionTokens), backgroundColor: theme.series.purple, borderColor: theme.series.purple },
          ],
        },
        options: { scales: { x: { stacked: true, title: { display: true, text: axisTitle } }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'tokens' } } } },
      }),
      table: dataTable('LLM tokens per bucket', [axisTitle, 'Prompt', 'Completion'], points.map((p) => row(p, count(p.promptTokens), count(p.completionTokens)))),
    },
  ];
}

function rulesSpec(metrics: Metrics): ChartSpec {
  const rules = [...metrics.rules].sort((a, b) => b.findings - a.findings);
  const feedback = metrics.feedback;
  return {
    id: 'rules',
    title: 'Findings and acceptance per rule',
    summary: `${plural(rules.reduce((sum, rule) => sum + rule.findings, 0), 'finding')} from ${plural(rules.length, 'rule')}; votes: ${feedback.up} helpful, ${feedback.down} not helpful (acceptance ${feedback.up + feedback.down ? percent(feedback.acceptanceRate) : '– without votes'}).`,
    config: (theme) => ({
      type: 'bar',
      data: {
        labels: rules.map((rule) => rule.ruleId),
        datasets: [
          { type: 'bar', label: 'Findings', data: rules.map((rule) => rule.findings), backgroundColor: theme.series.blue, borderColor: theme.series.blue, yAxisID: 'y' },
          {
            type: 'line', label: 'Acceptance (%)', data: rules.map((rule) => (rule.acceptanceRate === null ? null : rule.acceptanceRate * 100)),
            borderColor: theme.series.green, backgroundColor: theme.series.green, showLine: false, pointRadius: 5, yAxisID: 'acceptance',
          },
        ],
      },
      options: {
        scales: {
          y: { beginAtZero: true, title: { display: true, text: 'findings' } },
          acceptance: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: 'acceptance %' } },
        },
      },
    }) as ChartConfiguration,
    table: dataTable('Findings and votes per rule', ['Rule', 'Findings', 'Helpful', 'Not helpful', 'Acceptance'],
      rules.map((rule) => [rule.ruleId, rule.findings, rule.up, rule.down, percent(rule.acceptanceRate)])),
  };
}

function headline(metrics: Metrics): HTMLElement {
  const figure = (label: string, value: string, detail: string) => h('div', { class: 'figure' }, h('dt', {}, label), h('dd', {}, h('span', { class: 'value' }, value), h('span', { class: 'muted' }, ` ${detail}`)));
  const votes = metrics.feedback.up + metrics.feedback.down;
  return h('dl', { class: 'headline', attrs: { 'aria-label': 'Headline figures' } },
    figure('Reviews', count(metrics.reviews.total), `${percent(metrics.reviews.successRate)} succeeded`),
    figure('Cache hit rate', percent(metrics.cache.hitRate), `${count(metrics.cache.hits)} of ${count(metrics.cache.hunks)} hunks`),
    figure('Duration', duration(metrics.duration.p50Ms), `p50, p95 ${duration(metrics.duration.p95Ms)}`),
    figure('LLM cost', usd(metrics.llm.costUsd), `${usd(metrics.llm.savedUsd)} saved by the cache`),
    figure('Acceptance', votes ? percent(metrics.feedback.acceptanceRate) : '–', `${metrics.feedback.up} helpful, ${metrics.feedback.down} not helpful`));
}

function noisiestRules(metrics: Metrics): HTMLElement {
  const rules = metrics.rules.slice(0, 10);
  return h('section', { attrs: { 'aria-labelledby': 'noisiest-title' } },
    h('h2', { attrs: { id: 'noisiest-title' } }, 'Noisiest rules'),
    rules.length
      ? dataTable('Rules with the most votes down first', ['Rule', 'Findings', 'Not helpful', 'Helpful', 'Acceptance'], rules.map((rule) => [rule.ruleId, rule.findings, rule.down, rule.up, percent(rule.acceptanceRate)]))
      : h('p', { class: 'muted' }, 'No findings in this range: the rules found nothing to report.'));
}

function toolbar(): HTMLElement {
  const select = labelledSelect('Time range', 'range', Object.entries(RANGES).map(([value, { label }]): [string, string] => [value, label]), range, (value) => {
    range = value as Range;
    channel.setState<SavedState>({ range });
    void load();
  });
  const at = loaded.kind === 'metrics' ? h('span', { class: 'muted' }, `Updated ${formatDate(loaded.at)}`) : null;
  return h('header', { class: 'toolbar' },
    h('h1', {}, 'Diffwise metrics'),
    select,
    button('Refresh', () => void load(), { icon: 'refresh', secondary: true, attrs: { 'data-focus': 'refresh' } }),
    at);
}

/**
 * In place of the LLM cost and token charts when no LLM call was made in the range:
 * their axes would be empty. Says why that may be, and opens the settings to change it.
 */
function llmOff(): HTMLElement {
  return h('section', { class: 'chart llm-off', attrs: { 'aria-labelledby': 'llm-off-title', 'data-chart': 'llm-off' } },
    h('h2', { attrs: { id: 'llm-off-title' } }, icon('sparkle'), ' LLM review'),
    statusBlock('LLM review is off — set it up.',
      `No LLM calls ${RANGES[range].during}: the LLM reviewer is turned off, has no endpoint or key, or found no hunk to ask about. Its cost and tokens are charted here once it runs.`,
      button('Set Up LLM Review', () => void channel.request('setUpLlm', {}), { icon: 'settings-gear', attrs: { 'data-focus': 'set-up-llm' } })));
}

function render(): void {
  for (const chart of charts) chart.destroy();
  charts = [];
  if (loaded.kind === 'loading') return replaceContent(root, toolbar(), statusBlock('Loading the metrics…', undefined, undefined, { busy: true }));
  if (loaded.kind === 'error') {
    return replaceContent(root, toolbar(), statusBlock('Could not load the metrics.', loaded.message, button('Retry', () => void load(), { icon: 'refresh', attrs: { 'data-focus': 'retry' } })));
  }
  const metrics = loaded.metrics;
  if (metrics.reviews.total === 0) {
    return replaceContent(root, toolbar(), statusBlock(`No reviews ${RANGES[range].during} — Review Working Tree.`,
      'Every review, from the editor or the terminal, is recorded here.',
      button('Review Working Tree', () => void channel.request('reviewWorkingTree', {}), { icon: 'play', attrs: { 'data-focus': 'review' } })));
  }
  const theme = readTheme();
  applyTheme(theme);
  const llmRan = metrics.llm.calls > 0;
  const specs = [...timelineSpecs(metrics).filter((spec) => llmRan || !LLM_CHARTS.has(spec.id)), ...(metrics.rules.length ? [rulesSpec(metrics)] : [])];
  const sections = specs.map((spec) => ({ spec, ...chartSection(spec) }));
  replaceContent(root, toolbar(), headline(metrics),
    h('div', { class: 'charts' }, ...sections.map(({ section }) => section), llmRan ? null : llmOff()),
    waterfallSection(metrics.lastTrace),
    errorsSection(metrics.errors),
    noisiestRules(metrics));
  // Charts measure their canvas: create them once it is in the page.
  charts = sections.map(({ spec, canvas }) => new Chart(canvas, spec.config(theme)));
}

/** The charts that draw only LLM calls: empty axes without any. */
const LLM_CHARTS = new Set(['cost', 'tokens']);

channel.onPush('refresh', () => void load());
onThemeChange(render);
render();
channel.start();
void load();

/**
 * The dashboard's sections of issue 18: the last review as a waterfall (stage bars on a
 * time axis, nested by parent, failed spans marked, with a table of the same spans as its
 * text alternative), and the failures grouped by cause. Bars are placed through CSSOM
 * (`style.setProperty`), which the page's CSP allows where an inline style attribute is not.
 */
import type { ErrorGroup, ReviewTrace } from '../../shared/observability';
import { h, icon } from '../common/dom';
import { formatDate, plural } from '../common/format';
import { dataTable } from './dataTable';
import { count, duration } from './format';
import { waterfallOf, type WaterfallRow } from './waterfallModel';

/** A fraction of the axis as a CSS percentage. */
const pct = (fraction: number) => `${Math.round(fraction * 100_000) / 1000}%`;

function bar(row: WaterfallRow): HTMLElement {
  const label = `${row.name}: starts at ${duration(row.startMs)}, takes ${duration(row.durationMs)}${row.failed ? `, failed (${row.error})` : ''}`;
  const element = h('div', { class: `waterfall-bar${row.failed ? ' failed' : ''}`, attrs: { title: label } });
  element.style.setProperty('--offset', pct(row.offset));
  element.style.setProperty('--width', pct(row.width));
  return element;
}

function waterfallRow(row: WaterfallRow): HTMLElement {
  const name = h('span', { class: 'waterfall-name' }, row.failed ? icon('error', 'failed') : null, row.name);
  name.style.setProperty('--depth', String(row.depth));
  return h('li', { class: 'waterfall-row', attrs: { 'data-span': row.name, 'data-status': row.failed ? 'error' : 'ok' } },
    name,
    h('span', { class: 'waterfall-track' }, bar(row)),
    h('span', { class: 'waterfall-duration' }, duration(row.durationMs)));
}

/** The last review's waterfall, or why there is none. */
export function waterfallSection(trace: ReviewTrace | null): HTMLElement {
  const heading = h('h2', { attrs: { id: 'waterfall-title' } }, 'Last review');
  if (!trace || !trace.spans.length) {
    return h('section', { class: 'waterfall', attrs: { 'aria-labelledby': 'waterfall-title', 'data-section': 'waterfall' } },
      heading, h('p', { class: 'muted' }, 'No review has recorded its stages yet: the next review is drawn here, stage by stage.'));
  }
  const { rows, totalMs, ticks } = waterfallOf(trace);
  const failed = rows.filter((row) => row.failed);
  const summary = `${formatDate(trace.startedAt)}: ${duration(totalMs)} in ${plural(rows.length, 'span')} (${trace.status})${failed.length ? `; failed: ${failed.map((row) => row.name).join(', ')}` : ''}. Trace ${trace.traceId}.`;
  const axis = h('div', { class: 'waterfall-axis', attrs: { 'aria-hidden': 'true' } }, ...ticks.map((tick) => {
    const mark = h('span', { class: 'waterfall-tick' }, duration(tick.ms));
    mark.style.setProperty('--at', pct(tick.at));
    return mark;
  }));
  return h('section', { class: 'waterfall', attrs: { 'aria-labelledby': 'waterfall-title', 'data-section': 'waterfall', 'data-trace': trace.traceId } },
    heading,
    h('p', { class: 'chart-summary' }, summary),
    h('div', { class: 'waterfall-chart', attrs: { role: 'img', 'aria-label': `Waterfall of the last review: ${summary}` } },
      axis,
      h('ol', { class: 'waterfall-rows' }, ...rows.map(waterfallRow))),
    h('vscode-collapsible', { attrs: { heading: 'Data table', 'data-focus': 'waterfall-data' } },
      dataTable('Spans of the last review', ['Span', 'Depth', 'Start', 'Duration', 'Status'],
        rows.map((row) => [`${'\u2003'.repeat(row.depth)}${row.name}`, row.depth, duration(row.startMs), duration(row.durationMs), row.failed ? `failed: ${row.error}` : 'ok']))));
}

/** The failures of recorded reviews, one row per cause, most recent first. */
export function errorsSection(errors: readonly ErrorGroup[]): HTMLElement {
  const heading = h('h2', { attrs: { id: 'errors-title' } }, 'Errors');
  if (!errors.length) {
    return h('section', { class: 'errors', attrs: { 'aria-labelledby': 'errors-title', 'data-section': 'errors' } },
      heading, h('p', { class: 'muted' }, 'No failures recorded: every stage of every review has succeeded.'));
  }
  const sorted = [...errors].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
  return h('section', { class: 'errors', attrs: { 'aria-labelledby': 'errors-title', 'data-section': 'errors' } },
    heading,
    h('p', { class: 'chart-summary' }, `${plural(sorted.reduce((sum, group) => sum + group.count, 0), 'failure')} from ${plural(sorted.length, 'cause')}; diffwise errors lists them in a terminal.`),
    dataTable('Failures grouped by cause', ['Fingerprint', 'Stage', 'Class', 'Message', 'Count', 'First seen', 'Last seen', 'Example run'],
      sorted.map((group) => [group.fingerprint, group.stage, group.errorClass, group.example || group.message, count(group.count), formatDate(group.firstSeen), formatDate(group.lastSeen), group.exampleRunId ?? '–']), 4));
}

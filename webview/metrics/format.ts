/** How the dashboard writes rates, durations and money; dates and counts are webview/common/format.ts's. */
import { formatCount, formatDate } from '../common/format';

export const percent = (rate: number | null): string => (rate === null ? '–' : `${Math.round(rate * 1000) / 10}%`);

export const duration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);

/** US dollars, with enough decimals that a cheap call does not read as $0.00. */
export function usd(value: number): string {
  if (value === 0) return '$0';
  return value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

export const count = (value: number): string => formatCount(value);

/** A bucket's start in the webviews' one date format, in UTC (the daemon's buckets are UTC hours or days). */
export function bucketLabel(start: string, bucket: 'hour' | 'day'): string {
  return formatDate(start, { timeZone: 'UTC', dayOnly: bucket === 'day' });
}

/** How the dashboard writes numbers, times and money. */
export const percent = (rate: number | null): string => (rate === null ? '–' : `${Math.round(rate * 1000) / 10}%`);

export const duration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);

/** US dollars, with enough decimals that a cheap call does not read as $0.00. */
export function usd(value: number): string {
  if (value === 0) return '$0';
  return value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

export const count = (value: number): string => value.toLocaleString('en-US');

/** A bucket's start as a short label, in UTC (the daemon's buckets are UTC hours or days). */
export function bucketLabel(start: string, bucket: 'hour' | 'day'): string {
  const date = new Date(start);
  const day = date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return bucket === 'day' ? day : `${day} ${String(date.getUTCHours()).padStart(2, '0')}:00`;
}

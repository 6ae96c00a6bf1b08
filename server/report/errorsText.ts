/**
 * `diffwise errors` for people: one block per cause of failure (errorStore.ts), the most
 * recently seen first, with how often and since when, and the last message as it was said,
 * so that the reader can tell a ref typed wrong once from an LLM endpoint down for a week.
 */
import type { ErrorGroup } from '../../shared/observability';
import { stageLabel } from './text';

export function errorsText(groups: readonly ErrorGroup[], now: Date = new Date()): string {
  if (!groups.length) return 'No review has failed. (A failed or partial review\'s causes are counted here, by fingerprint.)\n';
  const blocks = groups.map((group) => {
    const times = group.count === 1 ? 'once' : `${group.count} times`;
    const lines = [
      `${group.fingerprint}  ${times}  ${stageLabel(group.stage)}  ${group.errorClass}`,
      `    ${group.message}`,
      `    first seen ${timeAgo(group.firstSeen, now)}, last seen ${timeAgo(group.lastSeen, now)}${group.exampleRunId ? `; in run ${group.exampleRunId}` : ''}`,
    ];
    // The normalised message hides what varied; the last one as said shows it (when it differs).
    if (group.example && group.example !== group.message) lines.push(`    last: ${group.example}`);
    return lines.join('\n');
  });
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  return `${blocks.join('\n\n')}\n\n${total} failure${total === 1 ? '' : 's'} of ${groups.length} cause${groups.length === 1 ? '' : 's'}\n`;
}

const UNITS: Array<[string, number]> = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]];

/** `3 hours ago`, `just now`; a date beyond a month, where "41 days ago" says less than the day. */
export function timeAgo(iso: string, now: Date): string {
  const at = new Date(iso);
  const elapsed = now.getTime() - at.getTime();
  if (!Number.isFinite(elapsed)) return iso;
  if (elapsed < 60_000) return 'just now';
  if (elapsed >= 31 * 86_400_000) return `on ${iso.slice(0, 10)}`;
  const [unit, size] = UNITS.find(([, length]) => elapsed >= length)!;
  const count = Math.floor(elapsed / size);
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}

/**
 * `diffwise doctor`'s text: one line per check, its status word first and padded so the
 * column reads at a glance, the fix indented under a check that is not ok.
 */
import type { HealthReport, HealthStatus } from '../../shared/observability';

const WORDS: Record<HealthStatus, string> = { ok: 'ok', warning: 'WARNING', error: 'ERROR' };

export function healthText(report: HealthReport): string {
  const width = Math.max(...report.checks.map((check) => check.title.length));
  const lines = report.checks.flatMap((check) => [
    `${WORDS[check.status].padEnd(7)}  ${check.title.padEnd(width)}  ${check.detail}`,
    ...(check.status !== 'ok' && check.fix ? [`${' '.repeat(9)}fix: ${check.fix}`] : []),
  ]);
  const errors = report.checks.filter((check) => check.status === 'error').length;
  const warnings = report.checks.filter((check) => check.status === 'warning').length;
  const summary = errors || warnings ? `${errors} error(s), ${warnings} warning(s)` : 'all checks ok';
  return `${lines.join('\n')}\n\n${summary}\n`;
}

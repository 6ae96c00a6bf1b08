/**
 * Stable finding ids. An id is a hash of what the finding is about (rule, file,
 * the rule's line-independent fingerprint) plus its rank among identical ones, so
 * the same finding on the same code keeps its id when lines above it move.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../../shared/review';
import type { RuleFinding } from './rule';

export function assignIds(found: readonly RuleFinding[]): Finding[] {
  const ordered = [...found].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId));
  const occurrences = new Map<string, number>();
  return ordered.map((finding) => {
    const key = `${finding.ruleId}\u0000${finding.file}\u0000${finding.fingerprint}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    const id = createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 16);
    return {
      id,
      ruleId: finding.ruleId,
      source: finding.ruleId.startsWith('llm/') ? 'llm' : 'static',
      severity: finding.severity,
      file: finding.file,
      line: finding.line,
      endLine: Math.max(finding.line, finding.endLine),
      // Columns are where the code is, not what it is: they stay out of the id, which must not change when they do.
      ...(finding.column !== undefined && finding.endColumn !== undefined ? { column: finding.column, endColumn: finding.endColumn } : {}),
      message: finding.message,
      suggestion: finding.suggestion ?? null,
      symbol: finding.symbol ?? null,
      related: finding.related ?? [],
    };
  });
}

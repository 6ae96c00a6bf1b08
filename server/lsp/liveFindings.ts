/**
 * Keeps findings on their code while the user types, until the next review:
 * each edit shifts the findings below it by the lines it added or removed.
 */
import type { Finding } from '../../shared/review';

/** An incremental text change as LSP sends it: 0-based lines. */
export interface LineEdit {
  range: { start: { line: number }; end: { line: number } };
  text: string;
}

export function shiftFindings(findings: readonly Finding[], edit: LineEdit): Finding[] {
  const start = edit.range.start.line;
  const end = edit.range.end.line;
  const added = edit.text.split('\n').length - 1;
  const delta = added - (end - start);
  if (delta === 0) return [...findings];
  const shift = (line: number): number => {
    const index = line - 1;
    if (index <= start) return line;
    if (index > end) return line + delta;
    // Inside lines the edit replaced: it stays within what replaced them.
    return Math.min(line, start + added + 1);
  };
  return findings.map((finding) => ({ ...finding, line: shift(finding.line), endLine: Math.max(shift(finding.line), shift(finding.endLine)) }));
}

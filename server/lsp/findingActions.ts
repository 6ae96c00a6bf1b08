/**
 * What the editor offers on a finding: quick fixes (apply the finding's
 * suggestion; ignore the finding) and a hover with the full message and links
 * to the related places. Works from the findings of the last review.
 */
import { CodeActionKind, MarkupKind, type CodeAction, type Diagnostic, type Hover, type Position } from 'vscode-languageserver';
import { IGNORE_FINDING_COMMAND, type FindingDiagnosticData } from '../../shared/protocol';
import type { Finding } from '../../shared/review';
import { fileUri } from './diagnostics';

export function codeActionsFor(uri: string, diagnostics: readonly Diagnostic[], findings: ReadonlyMap<string, Finding>): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'diffwise') continue;
    const data = diagnostic.data as FindingDiagnosticData | undefined;
    const finding = data && findings.get(data.findingId);
    if (!finding) continue;
    if (finding.suggestion !== null) {
      // Whole lines: from the start of the first to the start of the line after the last.
      const range = { start: { line: diagnostic.range.start.line, character: 0 }, end: { line: diagnostic.range.end.line + 1, character: 0 } };
      actions.push({
        title: finding.suggestion === '' ? `Remove the line (${finding.ruleId})` : `Apply the suggested fix (${finding.ruleId})`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: { changes: { [uri]: [{ range, newText: finding.suggestion === '' ? '' : `${finding.suggestion.replace(/\n?$/, '\n')}` }] } },
      });
    }
    actions.push({
      title: `Ignore this finding (${finding.ruleId})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: 'Ignore this finding', command: IGNORE_FINDING_COMMAND, arguments: [finding.id] },
    });
  }
  return actions;
}

export function hoverFor(root: string, position: Position, findings: readonly Finding[]): Hover | null {
  const here = findings.filter((finding) => finding.line - 1 <= position.line && position.line <= finding.endLine - 1);
  if (!here.length) return null;
  const sections = here.map((finding) => {
    const related = finding.related.map((place) => `- [${place.file}:${place.line}](${fileUri(root, place.file)}#L${place.line}) ${place.message}`);
    return [`**Diffwise · ${finding.ruleId}** (${finding.severity})`, '', finding.message, ...(related.length ? ['', ...related] : [])].join('\n');
  });
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') } };
}

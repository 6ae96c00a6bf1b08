/**
 * What the editor offers on a finding: quick fixes (apply the finding's
 * suggestion; ignore the finding) and a hover with the full message and links
 * to the related places. Works from the findings of the last review.
 */
import { CodeActionKind, MarkupKind, type CodeAction, type Diagnostic, type Hover, type Position } from 'vscode-languageserver';
import { IGNORE_FINDING_COMMAND, VOTE_FINDING_COMMAND, type FindingDiagnosticData } from '../../shared/protocol';
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
    // Votes teach Diffwise (see learning/policy.ts); a vote down also hides the finding at this code.
    actions.push(
      {
        title: `👍 Helpful (${finding.ruleId})`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: 'Helpful', command: VOTE_FINDING_COMMAND, arguments: [finding.id, 'up'] },
      },
      {
        title: `👎 Not helpful… (${finding.ruleId})`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: 'Not helpful', command: VOTE_FINDING_COMMAND, arguments: [finding.id, 'down'] },
      },
    );
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
    const demoted = finding.learned === 'demoted' ? ['', `_${finding.learnedReason}_`] : [];
    return [`**Diffwise · ${finding.ruleId}** (${finding.severity})`, '', finding.message, ...demoted, ...(related.length ? ['', ...related] : []), '', voteLinks(finding)].join('\n');
  });
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') } };
}

/**
 * Command links for the hover. Clients that do not trust command links show
 * them as text; VS Code's client enables exactly this command (extension/daemon.ts).
 */
function voteLinks(finding: Finding): string {
  const link = (label: string, vote: 'up' | 'down') => `[${label}](command:${VOTE_FINDING_COMMAND}?${encodeURIComponent(JSON.stringify([finding.id, vote]))} "${vote === 'up' ? 'This finding is helpful' : 'This finding is not helpful: stop reporting it here'}")`;
  const current = finding.vote === 'up' ? ' · you found this helpful' : '';
  return `${link('👍 Helpful', 'up')} · ${link('👎 Not helpful', 'down')}${current}`;
}

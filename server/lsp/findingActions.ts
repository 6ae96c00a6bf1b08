/**
 * What the editor offers on a finding: quick fixes (apply the finding's
 * suggestion, vote, ignore the finding) and a hover with what the diagnostic
 * itself does not show: the actions first, then the related places and why
 * learning changed the finding. Works from the findings as they are now placed.
 */
import { CodeActionKind, MarkupKind, type CodeAction, type Diagnostic, type Hover, type Position } from 'vscode-languageserver';
import { IGNORE_FINDING_COMMAND, VOTE_FINDING_COMMAND, type FindingDiagnosticData } from '../../shared/protocol';
import type { Finding } from '../../shared/review';
import { fileUri, findingRange, type LineLength } from './diagnostics';

export function codeActionsFor(uri: string, diagnostics: readonly Diagnostic[], findings: ReadonlyMap<string, Finding>): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'diffwise') continue;
    const data = diagnostic.data as FindingDiagnosticData | undefined;
    const finding = data && findings.get(data.findingId);
    if (!finding) continue;
    if (finding.suggestion !== null) {
      // The suggestion replaces the finding's whole lines: from the start of the first to the start of the line after the last.
      const range = { start: { line: finding.line - 1, character: 0 }, end: { line: finding.endLine, character: 0 } };
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
        title: `Helpful (${finding.ruleId})`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: 'Helpful', command: VOTE_FINDING_COMMAND, arguments: [finding.id, 'up'] },
      },
      {
        title: `Not helpful… (${finding.ruleId})`,
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

/**
 * The hover on a finding's code. Editors show the diagnostic's message with the
 * hover already (VS Code above it), so the message is not repeated: the actions
 * come first, where no scrolling is needed, then what the diagnostic lacks.
 */
export function hoverFor(root: string, position: Position, findings: readonly Finding[], lineLength?: LineLength): Hover | null {
  const here = findings.filter((finding) => contains(findingRange(finding, lineLength), position));
  if (!here.length) return null;
  const sections = here.map((finding) => {
    const related = finding.related.map((place) => `- [${place.file}:${place.line}](${fileUri(root, place.file)}#L${place.line}) ${place.message}`);
    const learned = finding.learnedReason ? ['', `_${finding.learnedReason}_`] : [];
    return [actionLinks(finding), ...learned, ...(related.length ? ['', ...related] : [])].join('\n');
  });
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') } };
}

function contains(range: ReturnType<typeof findingRange>, position: Position): boolean {
  const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(position, range.start) && after(range.end, position);
}

/**
 * Command links for the hover, in words (no emoji: without an emoji font they are
 * boxes). Clients that do not trust command links show them as text; VS Code's
 * client enables exactly these commands (extension/daemon.ts).
 */
function actionLinks(finding: Finding): string {
  const link = (label: string, command: string, args: unknown[], tooltip: string) => `[${label}](command:${command}?${encodeURIComponent(JSON.stringify(args))} "${tooltip}")`;
  const current = finding.vote === 'up' ? ' · you found this helpful' : '';
  return [
    `**Diffwise · ${finding.ruleId}**:`,
    link('Helpful', VOTE_FINDING_COMMAND, [finding.id, 'up'], 'This finding is helpful'),
    '·',
    link('Not helpful', VOTE_FINDING_COMMAND, [finding.id, 'down'], 'This finding is not helpful: stop reporting it here'),
    '·',
    link('Ignore', IGNORE_FINDING_COMMAND, [finding.id], 'Ignore this finding (Unignore brings it back)'),
  ].join(' ') + current;
}

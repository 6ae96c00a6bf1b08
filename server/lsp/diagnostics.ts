/**
 * Findings as LSP diagnostics: one per finding, on its code when the rule gave
 * columns and on its whole lines otherwise, with the rule as `code` (linked to
 * the rule's page), the related places as `relatedInformation` and the finding
 * id in `data` for code actions and feedback.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { FindingDiagnosticData } from '../../shared/protocol';
import type { Finding, Severity } from '../../shared/review';
import { rulePageUri } from './rulePages';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/**
 * For a file the daemon could not read: a very large end character is the LSP
 * way to say "to the end of the line" without knowing its length.
 */
const LINE_END = 10_000;

/** The length of a 0-based line's text in the finding's file, when the daemon has the text. */
export type LineLength = (line: number) => number | undefined;

export function fileUri(root: string, relative: string): string {
  return pathToFileURL(path.join(root, ...relative.split('/'))).toString();
}

/** The finding's range: its columns when it has them, else its lines from their start to the end of their text. */
export function findingRange(finding: Finding, lineLength: LineLength = () => undefined): Range {
  const line = finding.line - 1;
  const endLine = finding.endLine - 1;
  if (finding.column !== undefined && finding.endColumn !== undefined) {
    return { start: { line, character: finding.column - 1 }, end: { line: endLine, character: finding.endColumn - 1 } };
  }
  return { start: { line, character: 0 }, end: { line: endLine, character: lineLength(endLine) ?? LINE_END } };
}

export function toDiagnostic(root: string, finding: Finding, lineLength?: LineLength): Diagnostic {
  const data: FindingDiagnosticData = { findingId: finding.id, ruleId: finding.ruleId, suggestion: finding.suggestion };
  const page = rulePageUri(finding.ruleId);
  return {
    range: findingRange(finding, lineLength),
    severity: SEVERITY[finding.severity],
    source: 'diffwise',
    code: finding.ruleId,
    ...(page ? { codeDescription: { href: page } } : {}),
    message: finding.message,
    relatedInformation: finding.related.map((related) => ({
      location: {
        uri: fileUri(root, related.file),
        // The place is a line; its start is enough to go there.
        range: { start: { line: related.line - 1, character: 0 }, end: { line: related.line - 1, character: 0 } },
      },
      message: related.message,
    })),
    data,
  };
}

/** Groups findings into diagnostics by file URI. */
export function diagnosticsByUri(root: string, findings: readonly Finding[], lineLength: (uri: string) => LineLength | undefined = () => undefined): Map<string, Diagnostic[]> {
  const byUri = new Map<string, Diagnostic[]>();
  for (const finding of findings) {
    const uri = fileUri(root, finding.file);
    const list = byUri.get(uri) ?? [];
    list.push(toDiagnostic(root, finding, lineLength(uri)));
    byUri.set(uri, list);
  }
  return byUri;
}

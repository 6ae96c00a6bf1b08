/**
 * Findings as LSP diagnostics: one per finding, on whole lines (a finding is
 * about lines, not columns), with the rule as `code`, the related places as
 * `relatedInformation` and the finding id in `data` for code actions and feedback.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { FindingDiagnosticData } from '../../shared/protocol';
import type { Finding, Severity } from '../../shared/review';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** A very large end character is the LSP way to say "to the end of the line" without knowing its length. */
const LINE_END = 10_000;

export function fileUri(root: string, relative: string): string {
  return pathToFileURL(path.join(root, ...relative.split('/'))).toString();
}

export function toDiagnostic(root: string, finding: Finding): Diagnostic {
  const data: FindingDiagnosticData = { findingId: finding.id, ruleId: finding.ruleId, suggestion: finding.suggestion };
  return {
    range: { start: { line: finding.line - 1, character: 0 }, end: { line: finding.endLine - 1, character: LINE_END } },
    severity: SEVERITY[finding.severity],
    source: 'diffwise',
    code: finding.ruleId,
    message: finding.message,
    relatedInformation: finding.related.map((related) => ({
      location: {
        uri: fileUri(root, related.file),
        range: { start: { line: related.line - 1, character: 0 }, end: { line: related.line - 1, character: LINE_END } },
      },
      message: related.message,
    })),
    data,
  };
}

/** Groups findings into diagnostics by file URI. */
export function diagnosticsByUri(root: string, findings: readonly Finding[]): Map<string, Diagnostic[]> {
  const byUri = new Map<string, Diagnostic[]>();
  for (const finding of findings) {
    const uri = fileUri(root, finding.file);
    const list = byUri.get(uri) ?? [];
    list.push(toDiagnostic(root, finding));
    byUri.set(uri, list);
  }
  return byUri;
}

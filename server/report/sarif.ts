/**
 * SARIF 2.1.0, in the subset GitHub code scanning reads: one run, the rules as
 * `tool.driver.rules`, one result per finding with a `partialFingerprints` entry
 * (our stable id) so that code scanning tracks a finding across pushes.
 */
import type { ReviewDocument, Severity } from '../../shared/review';

/** A rule as SARIF lists it: a static rule or one of the LLM reviewer's categories. */
export interface RuleDescriptor {
  id: string;
  description: string;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function toSarif(document: ReviewDocument, rules: readonly RuleDescriptor[], version: string): object {
  const ruleIds = [...new Set([...rules.map((rule) => rule.id), ...document.findings.map((finding) => finding.ruleId)])];
  const description = new Map(rules.map((rule) => [rule.id, rule.description]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Diffwise',
            version,
            semanticVersion: version,
            rules: ruleIds.map((id) => ({
              id,
              name: id.replace(/(^|[-/])(\w)/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: description.get(id) ?? id },
              fullDescription: { text: description.get(id) ?? id },
              help: { text: description.get(id) ?? id },
            })),
          },
        },
        automationDetails: { id: `diffwise/${document.run.scope}/` },
        invocations: [invocation(document)],
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root.' } } },
        results: document.findings.map((finding) => ({
          ruleId: finding.ruleId,
          ruleIndex: ruleIds.indexOf(finding.ruleId),
          level: LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [location(finding.file, finding.line, finding.endLine, finding)],
          relatedLocations: finding.related.map((related, index) => ({ id: index + 1, ...location(related.file, related.line, related.line, related), message: { text: related.message } })),
          partialFingerprints: { 'diffwise/v1': finding.id },
          // With --show-suppressed: SARIF's own way to list a result the team chose not to see (code scanning hides it).
          ...(finding.suppressed ? { suppressions: [{ kind: 'external', status: 'accepted', justification: finding.ignored ? 'ignored by the user (diffwise unignore reports it again)' : (finding.learnedReason ?? 'suppressed by learning from votes') }] } : {}),
          ...(finding.suggestion !== null
            ? {
                fixes: [{
                  description: { text: 'Suggested by Diffwise' },
                  artifactChanges: [{
                    artifactLocation: { uri: encodeUri(finding.file), uriBaseId: '%SRCROOT%' },
                    replacements: [{ deletedRegion: { startLine: finding.line, endLine: finding.endLine }, insertedContent: { text: finding.suggestion } }],
                  }],
                }],
              }
            : {}),
        })),
      },
    ],
  };
}

/**
 * How the run went, in SARIF's words: a failed run is not successful, and every
 * stage that failed and every file that was not (wholly) reviewed is a
 * notification, so that a skipped file is never mistaken for a clean one.
 */
function invocation(document: ReviewDocument): object {
  const { run } = document;
  const notifications = [
    ...run.errors.map((error) => ({ level: 'error', descriptor: { id: `diffwise/stage-failed/${error.stage}` }, message: { text: `${error.stage} failed: ${error.message}` } })),
    ...(run.skipped ?? []).map((skipped) => ({
      level: skipped.rules.length ? 'warning' : 'note',
      descriptor: { id: `diffwise/skipped/${skipped.reason}` },
      message: { text: `${skipped.file}: ${skipped.detail}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: encodeUri(skipped.file), uriBaseId: '%SRCROOT%' } } }],
      ...(skipped.rules.length ? { properties: { rules: skipped.rules } } : {}),
    })),
    ...(run.notices ?? []).map((notice) => ({ level: 'note', descriptor: { id: 'diffwise/notice' }, message: { text: notice } })),
  ];
  return { executionSuccessful: run.status !== 'failed', toolExecutionNotifications: notifications };
}

/** SARIF's columns are 1-based UTF-16 code units by default (`columnKind`), as ours are. */
function location(file: string, line: number, endLine: number, columns?: { column?: number; endColumn?: number }): object {
  const range = columns?.column !== undefined && columns.endColumn !== undefined ? { startColumn: columns.column, endColumn: columns.endColumn } : {};
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeUri(file), uriBaseId: '%SRCROOT%' },
      region: { startLine: line, endLine: Math.max(line, endLine), ...range },
    },
  };
}

/** SARIF URIs are URI references: spaces and other reserved characters must be escaped, slashes kept. */
function encodeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

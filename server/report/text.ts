/**
 * The readable report, in the manner of eslint's "stylish" formatter: findings
 * grouped under their file, aligned columns, related places indented beneath,
 * and one summary line. Colour only when the caller says the stream is a terminal.
 */
import { countBySeverity, type Finding, type ReviewDocument, type Severity } from '../../shared/review';

const COLOURS = { red: 31, yellow: 33, cyan: 36, dim: 2, bold: 1, underline: 4, green: 32 } as const;

export function toText(document: ReviewDocument, options: { colour: boolean }): string {
  const paint = (colour: keyof typeof COLOURS, text: string) => (options.colour ? `\u001b[${COLOURS[colour]}m${text}\u001b[0m` : text);
  const severityLabel: Record<Severity, string> = { error: paint('red', 'error'), warning: paint('yellow', 'warning'), info: paint('cyan', 'info') };
  const lines: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const finding of document.findings) {
    const list = byFile.get(finding.file) ?? [];
    list.push(finding);
    byFile.set(finding.file, list);
  }
  for (const [file, findings] of byFile) {
    lines.push('', paint('underline', printablePath(file)));
    const positionWidth = Math.max(...findings.map((finding) => positionOf(finding).length)) + 1;
    for (const finding of findings) {
      const severity = severityLabel[finding.severity] + ' '.repeat('warning'.length - finding.severity.length);
      // The short id is what `diffwise feedback ID --up|--down` (and `diffwise unignore ID`) takes.
      lines.push(`  ${paint('dim', positionOf(finding).padStart(positionWidth))}  ${severity}  ${finding.message}  ${paint('dim', `${finding.ruleId} ${finding.id.slice(0, 8)}`)}`);
      if (finding.ignored) lines.push(`  ${' '.repeat(positionWidth)}           ${paint('dim', `ignored: diffwise unignore ${finding.id.slice(0, 8)} reports it again`)}`);
      else if (finding.learned) lines.push(`  ${' '.repeat(positionWidth)}           ${paint('dim', `${finding.suppressed ? 'suppressed' : 'demoted'}: ${finding.learnedReason ?? ''}`)}`);
      for (const related of finding.related.slice(0, 10)) lines.push(`  ${' '.repeat(positionWidth)}           ${paint('dim', `↳ ${printablePath(related.file)}:${positionOf(related)}  ${related.message}`)}`);
      if (finding.related.length > 10) lines.push(`  ${' '.repeat(positionWidth)}           ${paint('dim', `↳ … and ${finding.related.length - 10} more (see --format json)`)}`);
    }
  }
  lines.push('', summaryLine(document, paint));
  const learned = learningLine(document);
  if (learned) lines.push(paint('dim', learned));
  const ignored = document.findings.filter((finding) => finding.ignored).length;
  if (ignored) lines.push(paint('dim', `  Ignored: ${ignored} finding${ignored === 1 ? '' : 's'} (listed above); diffwise unignore ID reports one again`));
  const llm = llmLine(document);
  if (llm) lines.push(paint('dim', llm));
  for (const notice of document.run.notices ?? []) lines.push(paint('dim', `  note: ${notice}`));
  // Older documents (a review remembered before skips were listed) have no `skipped`.
  for (const skipped of document.run.skipped ?? []) {
    lines.push(paint(skipped.rules.length ? 'yellow' : 'dim', `  skipped: ${printablePath(skipped.file)}: ${skipped.detail}`));
  }
  for (const error of document.run.errors) lines.push(paint('yellow', `  ${stageLabel(error.stage)} failed: ${error.message}`));
  return `${lines.join('\n').replace(/^\n/, '')}\n`;
}

/** `line:column` as compilers and eslint print a place, or the line alone for a finding about whole lines. */
function positionOf(place: { line: number; column?: number }): string {
  return place.column === undefined ? `${place.line}` : `${place.line}:${place.column}`;
}

/** What each stage of a review is called for people (`index` is Diffwise's own index, not git's). */
const STAGE_LABELS: Record<string, string> = {
  diff: 'git diff', index: "updating Diffwise's index", read: 'reading the changed files', cache: 'the review cache',
  'cache-store': 'storing in the review cache', redact: 'redacting the code to store', remember: 'remembering the findings',
  learning: 'learning from votes', record: 'recording the run', llm: 'the LLM reviewer',
};

/** A stage's name for people: `rule:secret` is "the secret rule". */
export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage] ?? (stage.startsWith('rule:') ? `the ${stage.slice('rule:'.length)} rule` : stage);
}

/**
 * A path as the report prints it: as is, unless it holds what a terminal would
 * act on or hide (newlines, tabs, escapes, other control characters, quotes,
 * bytes that are not UTF-8): then quoted with those characters escaped, the way
 * git quotes such names, so one file stays on one line and the name can be told apart.
 */
export function printablePath(path: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f\u007f-\u009f"\\\uFFFD\u2028\u2029]/.test(path)) return path;
  return JSON.stringify(path).replace(/[\u007f-\u009f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** What learning from votes changed, in one line; empty when it changed nothing. */
export function learningLine(document: ReviewDocument): string {
  const { suppressed, demoted } = document.run.learning;
  if (!suppressed && !demoted) return '';
  const shown = document.findings.some((finding) => finding.suppressed && !finding.ignored);
  const parts = [];
  if (suppressed) parts.push(`${suppressed} finding${suppressed === 1 ? '' : 's'} suppressed${shown ? ' (listed above)' : ' (--show-suppressed lists them)'}`);
  if (demoted) parts.push(`${demoted} demoted one severity step`);
  return `  Learned from votes: ${parts.join(', ')}; see diffwise learned`;
}

const SKIPPED_REASONS = {
  budget: "this month's budget is used up (--over-budget to call it anyway)",
  untrusted: 'the workspace is not trusted',
  disabled: 'it is turned off',
};

/** What the LLM did, in one line; empty when no LLM is configured. */
export function llmLine(document: ReviewDocument): string {
  const { run } = document;
  const llm = run.llm;
  if (!llm) return '';
  if (llm.skipped) return `  LLM ${llm.model}: not used: ${SKIPPED_REASONS[llm.skipped]}`;
  const calls = run.llmCalls === llm.hunksSent ? '' : ` in ${run.llmCalls} call${run.llmCalls === 1 ? '' : 's'}`;
  const parts = [`${llm.hunksSent} hunk${llm.hunksSent === 1 ? '' : 's'} asked${calls}`];
  if (llm.hunksCached) parts.push(`${llm.hunksCached} from the cache`);
  if (llm.hunksExcluded) parts.push(`${llm.hunksExcluded} not sent (excluded path or nothing added)`);
  if (llm.hunksOverBudget) parts.push(`${llm.hunksOverBudget} skipped: budget used up`);
  if (llm.hunksFailed) parts.push(`${llm.hunksFailed} failed`);
  const tokens = run.tokens.prompt + run.tokens.completion;
  let cost = `${tokens.toLocaleString('en-US')} tokens, $${run.costUsd.toFixed(4)}`;
  if (llm.savedUsd) cost += ` (the cache saved $${llm.savedUsd.toFixed(4)})`;
  if (llm.budget) cost += `; $${llm.budget.spentUsd.toFixed(2)} of the $${llm.budget.monthlyUsd.toFixed(2)} monthly budget spent`;
  if (llm.redactions) cost += `; ${llm.redactions} secret${llm.redactions === 1 ? '' : 's'} redacted`;
  const omitted = llm.contextOmitted.length ? `; context trimmed to fit the token budget for ${llm.contextOmitted.length} hunk${llm.contextOmitted.length === 1 ? '' : 's'}` : '';
  return `  LLM ${llm.model}: ${parts.join(', ')}; ${cost}${omitted}`;
}

function summaryLine(whole: ReviewDocument, paint: (colour: keyof typeof COLOURS, text: string) => string): string {
  // Suppressed findings are listed with --show-suppressed but are not problems the run reports.
  const document = { ...whole, findings: whole.findings.filter((finding) => !finding.suppressed) };
  const counts = countBySeverity(document.findings);
  const count = (severity: Severity) => counts[severity];
  const { run } = document;
  const what = run.scope === 'branch' ? `branch since ${run.base} (${run.mergeBase?.slice(0, 8)})` : run.scope === 'staged' ? 'staged changes' : 'working tree';
  const fromCache = run.cacheHits ? ` (${run.cacheHits} from the cache)` : '';
  const reviewed = `${run.files} file${run.files === 1 ? '' : 's'}, ${run.hunks} hunk${run.hunks === 1 ? '' : 's'}${fromCache} of the ${what} in ${(run.durationMs / 1000).toFixed(1)}s`;
  const status = run.status === 'ok' ? '' : ` — run ${run.status}`;
  // A partial run found nothing only in what did run: say so in yellow, not as an all-clear.
  if (document.findings.length === 0) return paint(status ? 'yellow' : 'green', `✔ No problems found (${reviewed})${status}`);
  const total = document.findings.length;
  const parts = [`${count('error')} error${count('error') === 1 ? '' : 's'}`, `${count('warning')} warning${count('warning') === 1 ? '' : 's'}`];
  if (count('info')) parts.push(`${count('info')} info`);
  const colour = count('error') ? 'red' : 'yellow';
  return paint(colour, paint('bold', `✖ ${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')})`)) + ` in ${reviewed}${status}`;
}

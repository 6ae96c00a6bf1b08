/**
 * The `conflict-marker` rule: merge conflict markers added by the change, in any
 * text file. A committed conflict breaks the build at best and silently ships
 * both sides at worst (in YAML, Markdown, JSON with lenient parsers).
 */
import { createHash } from 'node:crypto';
import type { ChangedFile, RuleContext, RuleFinding, StaticRule } from '../rule';

type Marker = 'start' | 'base' | 'separator' | 'end';

/**
 * Git writes markers at column 0: seven characters, then a space and a label, or
 * nothing for `=======`. An eighth marker character means it is something else.
 */
function markerOf(line: string): Marker | null {
  if (/^<{7}(?: |$)/.test(line)) return 'start';
  if (/^>{7}(?: |$)/.test(line)) return 'end';
  if (/^\|{7}(?: |$)/.test(line)) return 'base';
  if (/^={7}\s*$/.test(line)) return 'separator';
  return null;
}

const MARKER_TEXT: Record<Marker, string> = { start: '<<<<<<<', base: '|||||||', separator: '=======', end: '>>>>>>>' };

interface MarkerLine {
  line: number;
  marker: Marker;
}

/** Groups marker lines into `<<<<<<< … >>>>>>>` blocks; markers outside a complete block stay alone. */
function groupBlocks(markers: MarkerLine[]): Array<{ line: number; endLine: number; complete: boolean }> {
  const groups: Array<{ line: number; endLine: number; complete: boolean }> = [];
  let open: MarkerLine[] = [];
  const flushOpen = (): void => {
    for (const m of open) groups.push({ line: m.line, endLine: m.line, complete: false });
    open = [];
  };
  for (const m of markers) {
    if (m.marker === 'start') {
      flushOpen();
      open.push(m);
    } else if (m.marker === 'end' && open.length > 0) {
      groups.push({ line: open[0].line, endLine: m.line, complete: true });
      open = [];
    } else if (open.length > 0) {
      open.push(m);
    } else {
      groups.push({ line: m.line, endLine: m.line, complete: false });
    }
  }
  flushOpen();
  return groups;
}

function checkFile(file: ChangedFile): RuleFinding[] {
  if (file.newText === null || file.added.size === 0) return [];
  const lines = file.newText.split('\n').map((line) => line.replace(/\r$/, ''));
  const markers: MarkerLine[] = [];
  for (const line of [...file.added].sort((a, b) => a - b)) {
    const marker = markerOf(lines[line - 1] ?? '');
    if (marker) markers.push({ line, marker });
  }
  // `=======` alone is a Markdown or reStructuredText underline, and `|||||||`
  // could be ASCII art; they only count next to an unambiguous marker.
  if (!markers.some((m) => m.marker === 'start' || m.marker === 'end')) return [];

  const findings: RuleFinding[] = [];
  for (const group of groupBlocks(markers)) {
    const text = lines.slice(group.line - 1, group.endLine).join('\n');
    // The block's content identifies it; a hash keeps whatever it holds out of the fingerprint.
    const base = `${group.complete ? 'block' : 'marker'}:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    const marker = markerOf(lines[group.line - 1])!;
    findings.push({
      ruleId: 'conflict-marker',
      severity: 'error',
      file: file.path,
      line: group.line,
      endLine: group.endLine,
      // From the first marker to the end of the last one's label: the text git wrote, not the lines' trailing blanks.
      column: 1,
      endColumn: lines[group.endLine - 1].trimEnd().length + 1,
      message: group.complete
        ? `Unresolved merge conflict (lines ${group.line}–${group.endLine}): keep the right side and remove the \`<<<<<<<\`, \`=======\` and \`>>>>>>>\` markers.`
        : `Merge conflict marker \`${MARKER_TEXT[marker]}\` added: resolve the conflict and remove the marker.`,
      suggestion: null,
      // Identical findings in one file are told apart by rank in assignIds.
      fingerprint: base,
    });
  }
  return findings;
}

/** Reports merge conflict markers on the lines the change adds, one finding per conflict block. */
export const conflictMarkerRule: StaticRule = {
  id: 'conflict-marker',
  description: 'Merge conflict markers (<<<<<<<, =======, >>>>>>>) added by the change.',
  async run(context: RuleContext): Promise<RuleFinding[]> {
    return context.files.flatMap(checkFile);
  },
};

/** `diffwise ignored` for people: each ignored finding with its short id, what to run to bring it back. */
import type { IgnoredFinding } from '../store/ignoreStore';
import { printablePath } from './text';

export function ignoredText(ignored: readonly IgnoredFinding[]): string {
  if (!ignored.length) return 'No finding is ignored. (In the editor, "Ignore this finding" on a finding adds it here.)\n';
  const lines = ignored.map((finding) =>
    `${finding.id.slice(0, 8)}  ${finding.ignoredAt.slice(0, 10)}  ${finding.ruleId}  ${printablePath(finding.file)}\n          ${finding.message}`);
  const count = `${ignored.length} ignored finding${ignored.length === 1 ? '' : 's'}; diffwise unignore ID reports one again from the next review on`;
  return `${lines.join('\n')}\n\n${count}\n`;
}

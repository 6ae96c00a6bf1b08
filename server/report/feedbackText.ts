/** `diffwise feedback --list` and `diffwise learned` for people. */
import type { FeedbackRecord, LearnedDocument } from '../../shared/feedback';

const percent = (value: number) => `${Math.round(value * 100)}%`;
// Words, not emoji: a terminal without an emoji font shows boxes. Padded so the columns line up.
const SYMBOL = { up: 'up     ', down: 'down   ', clear: 'cleared' } as const;

export function feedbackText(votes: readonly FeedbackRecord[]): string {
  if (!votes.length) return 'No votes yet. Vote on a finding with: diffwise feedback ID --up|--down [--reason TEXT]\n';
  const lines = votes.map((vote) => {
    const reason = vote.reason ? ` — ${vote.reason}` : '';
    const origin = vote.origin === 'imported' ? ' (imported)' : '';
    return `${vote.createdAt.slice(0, 16).replace('T', ' ')}  ${SYMBOL[vote.vote]}  ${vote.findingId.slice(0, 8)}  ${vote.ruleId}  ${vote.file}:${vote.line}  ${vote.message}${reason}${origin}`;
  });
  return `${lines.join('\n')}\n`;
}

export function learnedText(learned: LearnedDocument): string {
  const { settings } = learned;
  const lines: string[] = [];
  if (!settings.enabled) lines.push('Learning is off (learning.enabled): only findings voted down at their code are suppressed.', '');
  lines.push('Rules and LLM categories:');
  if (!learned.rules.length) lines.push('  no votes yet');
  for (const rule of learned.rules) {
    const action = rule.action === 'suppress' ? 'suppressed' : rule.action === 'demote' ? 'demoted one severity step' : 'unchanged';
    lines.push(`  ${rule.ruleId.padEnd(22)} ${rule.up} up ${rule.down} down  acceptance ${percent(rule.acceptanceRate)} (95%: ${percent(rule.lowerBound)}–${percent(rule.upperBound)})  → ${action}`);
  }
  lines.push('', `Suppressed at their code until it changes (${learned.suppressions.length}):`);
  for (const item of learned.suppressions) {
    lines.push(`  ${item.findingId.slice(0, 8)}  ${item.ruleId}  ${item.file}:${item.line}  ${item.message}${item.reason ? ` — ${item.reason}` : ''}${item.origin === 'imported' ? ' (imported)' : ''}`);
  }
  lines.push(
    '',
    `LLM prompt examples available: ${learned.examples.accepted} accepted, ${learned.examples.rejected} rejected (up to ${settings.promptExamples} per prompt, from the same file or folder)`,
    `Thresholds: after ${settings.minVotes} votes, demote below ${percent(settings.demoteBelow)} acceptance, suppress when its upper 95% bound is below ${percent(settings.suppressBelow)}; LLM similarity ${percent(settings.similarity)}`,
    '',
  );
  return lines.join('\n');
}

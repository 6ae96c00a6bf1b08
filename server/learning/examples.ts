/**
 * The team's preferences as the LLM sees them: findings it reported before that
 * the team accepted or rejected, with the reason, chosen from the same file and
 * then the same folder. Chosen by place rather than "the latest anywhere" on
 * purpose: the examples are part of the prompt and so of its cache key, and a
 * vote should only re-ask about hunks near what it was cast on.
 */
import * as path from 'node:path';
import type { StoredVote } from './policy';

const MAX_EXAMPLE_CODE_CHARS = 240;

/** The preference section's text for a hunk of `file`; empty when there is nothing relevant. */
export function preferenceExamples(file: string, votes: readonly StoredVote[], max: number, isExcluded: (path: string) => boolean): string {
  if (max <= 0) return '';
  const folder = path.posix.dirname(file);
  // The LLM's own findings, and teammates' pull-request comments: both say what this team wants reviewed.
  const usable = votes.filter((vote) => (vote.source === 'llm' || vote.source === 'pull-request') && vote.vote !== 'clear' && !isExcluded(vote.file));
  const newestFirst = (a: StoredVote, b: StoredVote) => b.createdAt.localeCompare(a.createdAt);
  const sameFile = usable.filter((vote) => vote.file === file).sort(newestFirst);
  const sameFolder = usable.filter((vote) => vote.file !== file && path.posix.dirname(vote.file) === folder).sort(newestFirst);
  const chosen = [...sameFile, ...sameFolder].slice(0, max);
  return chosen.map(renderExample).join('\n');
}

function renderExample(vote: StoredVote): string {
  const verdict = vote.source === 'pull-request'
    ? (vote.vote === 'down' ? 'A reviewer\'s comment the team found unhelpful' : 'A reviewer\'s comment the team found helpful')
    : vote.vote === 'down' ? 'Rejected (do not report findings like this)' : 'Accepted (findings like this are wanted)';
  const code = vote.code.length > MAX_EXAMPLE_CODE_CHARS ? `${vote.code.slice(0, MAX_EXAMPLE_CODE_CHARS)}…` : vote.code;
  const reason = vote.reason ? ` Reason: ${vote.reason}` : '';
  return `- ${verdict}: [${vote.category}] "${vote.message}" on \`${code.replace(/\n/g, ' ⏎ ')}\` in ${vote.file}.${reason}`;
}

/** `diffwise pr sync` and `diffwise pr comments` for people. */
import type { PrCommentsDocument, PrPublishResult, PrSyncResult } from '../../shared/github';

export function prSyncText(result: PrSyncResult): string {
  const { pull } = result;
  const changes = result.newComments || result.updatedComments || result.deletedComments
    ? `${result.newComments} new, ${result.updatedComments} updated${result.deletedComments ? `, ${result.deletedComments} deleted` : ''}`
    : 'nothing new';
  const cost = `${result.requests} request(s), ${result.notModified} answered 304 Not Modified (free against the rate limit)`;
  const limit = result.rateLimit ? `; rate limit ${result.rateLimit.remaining}/${result.rateLimit.limit} until ${result.rateLimit.resetAt.slice(11, 16)} UTC` : '';
  return [
    `#${pull.number} ${pull.title} (${pull.headRef} → ${pull.baseRef}) ${pull.url}`,
    `Synced ${result.comments} review comment(s) in ${result.threads} thread(s), ${result.reviews} review(s): ${changes}`,
    `${cost}${limit}`,
    '',
  ].join('\n');
}

export function prCommentsText(document: PrCommentsDocument): string {
  if (!document.pull) return 'No pull request synced for this branch yet: run diffwise pr sync\n';
  const lines = [`#${document.pull.number} ${document.pull.title} — synced ${document.syncedAt}`];
  let path = '';
  for (const comment of document.comments) {
    if (comment.path !== path) {
      path = comment.path;
      lines.push('', path);
    }
    const where = comment.localLine === null ? 'outdated' : String(comment.localLine);
    const flags = [comment.inReplyTo !== null ? '↳' : '', comment.resolved ? '(resolved)' : ''].filter(Boolean).join(' ');
    const firstLine = comment.body.split('\n').find((line) => line.trim()) ?? '';
    lines.push(`  ${where.padStart(8)}  @${comment.author}${flags ? ` ${flags}` : ''}  ${firstLine.length > 100 ? `${firstLine.slice(0, 97)}…` : firstLine}  [${comment.id}]`);
  }
  if (!document.comments.length) lines.push('', 'No review comments.');
  return `${lines.join('\n')}\n`;
}

export function prPublishText(result: PrPublishResult): string {
  const parts = [
    `${result.posted} new line comment(s)`,
    `${result.updated} edited`,
    `${result.skipped} already there, skipped`,
    `${result.outsideDiff} outside the diff (in the review's body)`,
  ];
  if (result.suppressed) parts.push(`${result.suppressed} voted down or suppressed, left out`);
  const head = result.dryRun ? `Would publish to #${result.pull.number}` : `Published to #${result.pull.number}`;
  const where = result.reviewUrl ? `\n${result.reviewUrl}` : result.dryRun ? '' : ' (nothing new: no review posted)';
  return `${head}: ${parts.join(', ')}${where}\n`;
}

/**
 * The team's votes as GitHub holds them: a 👍 or 👎 reaction on one of
 * Diffwise's review comments (those carrying `<!-- diffwise:finding=ID -->`),
 * or a reply to one whose first word says so (👎, -1, "false positive",
 * "wrong", `/diffwise down`; 👍, +1, `/diffwise up`). Each becomes the vote the
 * learning policy reads (server/learning/policy.ts), on the finding the comment
 * was published for, as `diffwise feedback` would record it in a clone.
 *
 * Reactions do not change a comment's `updated_at`, so an incremental sync
 * (`since`) never sees them: each Diffwise comment's reactions are asked for
 * every time, conditionally when a store keeps the ETags (a 304 is free against
 * the rate limit). A vote's id is a hash of the repository, comment, voter, how
 * and which way they voted: reading the same reactions again gives the same
 * records, which a store that skips known ids (FeedbackStore.importVotes, the
 * service's team votes) adds nothing for.
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../../shared/review';
import type { StoredVote } from '../learning/policy';
import { codeFingerprint, messageFingerprint } from '../learning/fingerprints';
import { redactForLlm } from '../llm/redaction';
import type { PrStore } from '../store/prStore';
import { describeGitHubError, endpointFor, getAllPages, RequestLedger, type GitHubOctokit } from './client';
import { checkAnswer } from './answers';
import { repoPath, syncPullRequestByNumber } from './prSync';
import type { GitHubRepository } from './remote';
import { restReactionListSchema, restReactionSchema, type RestReaction, type RestReviewComment } from './restTypes';

const FINDING_MARKER = /<!-- diffwise:finding=([0-9a-f]{16}) -->/;
/** The first line of publish.ts's commentBody: `**Diffwise · RULE** (SEVERITY)`. */
const HEADER = /^\*\*Diffwise · (\S+)\*\* \((error|warning|info)\)$/;
const DOWN_REPLY = /^(?:👎|:-1:|:thumbsdown:|-1(?![\w.])|false positive\b|wrong\b|\/diffwise\s+down\b)/iu;
const UP_REPLY = /^(?:👍|:\+1:|:thumbsup:|\+1(?![\w.])|\/diffwise\s+up\b)/iu;

/** One vote of a teammate, with where it came from (the service's team-votes table keeps both). */
export interface TeamVote {
  commentId: number;
  voter: string;
  source: 'reaction' | 'reply';
  record: StoredVote;
}

/**
 * The team's votes on pull request `number`: synced first (what Diffwise posted
 * and the replies to it), then the reactions on each of Diffwise's comments;
 * code in the records has its secrets redacted, as the clone's own votes do.
 */
export async function teamVotesOf(octokit: GitHubOctokit, repository: GitHubRepository, number: number, store: PrStore, now = new Date()): Promise<TeamVote[]> {
  const slug = `${repository.owner}/${repository.repo}`;
  try {
    await syncPullRequestByNumber(octokit, store, repository, number);
  } catch (error) {
    throw describeGitHubError(error, repository, true);
  }
  const comments = store.comments(slug, number);
  const reactions = await fetchReactions(octokit, repository, diffwiseComments(comments).map((comment) => comment.id), store);
  return redactVotes(votesOf(comments, reactions, now));
}

/** The root comments Diffwise published a finding in (replies quote nobody's marker but their own thread's). */
export function diffwiseComments(comments: readonly RestReviewComment[]): RestReviewComment[] {
  return comments.filter((comment) => comment.in_reply_to_id === undefined && FINDING_MARKER.test(comment.body) && findingOf(comment) !== undefined);
}

/**
 * The reactions on each of `commentIds` (`GET /repos/{o}/{r}/pulls/comments/{id}/reactions`,
 * every page); with a store, conditionally. A comment deleted since (404) has none.
 */
export async function fetchReactions(octokit: GitHubOctokit, repository: GitHubRepository, commentIds: readonly number[], store?: PrStore): Promise<Map<number, RestReaction[]>> {
  const byComment = new Map<number, RestReaction[]>();
  const ledger = new RequestLedger();
  for (const id of commentIds) {
    const url = `${repoPath(repository)}/pulls/comments/${id}/reactions?per_page=100`;
    try {
      byComment.set(id, store ? await getAllPages(octokit, store, ledger, url, restReactionSchema(), 'a list of reactions') : await plainPages(octokit, url));
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        byComment.set(id, []);
        continue;
      }
      throw describeGitHubError(error, repository, true);
    }
  }
  return byComment;
}

async function plainPages(octokit: GitHubOctokit, firstUrl: string): Promise<RestReaction[]> {
  const reactions: RestReaction[] = [];
  let url: string | undefined = firstUrl;
  for (let page = 0; url && page < 100; page++) {
    const response: { data: unknown; status: number; headers: { link?: string } } = await octokit.request(`GET ${url}`);
    reactions.push(...checkAnswer(restReactionListSchema(), response.data, { endpoint: endpointFor(octokit, 'GET', url), status: response.status }, 'a list of reactions'));
    url = /<([^>]+)>\s*;\s*rel="next"/.exec(String(response.headers.link ?? ''))?.[1];
  }
  return reactions;
}

/**
 * The votes in a pull request's synced comments and the reactions on Diffwise's
 * (by comment id): 👍/👎 reactions, and replies that vote. A bot's reactions and
 * replies are nobody's opinion and are left out; `now` dates a vote GitHub gave no time.
 * The records' `code` is the commented line as the diff hunk has it, not yet redacted.
 */
export function votesOf(comments: readonly RestReviewComment[], reactionsByComment: ReadonlyMap<number, readonly RestReaction[]>, now: Date): TeamVote[] {
  const votes: TeamVote[] = [];
  const published = new Map(diffwiseComments(comments).map((comment) => [comment.id, comment]));
  for (const comment of published.values()) {
    for (const reaction of reactionsByComment.get(comment.id) ?? []) {
      const vote = reaction.content === '+1' ? 'up' : reaction.content === '-1' ? 'down' : undefined;
      const voter = reaction.user?.login;
      if (!vote || !voter || isBot(voter, reaction.user?.type)) continue;
      votes.push(voteOn(comment, voter, 'reaction', vote, reaction.created_at || now.toISOString(), null));
    }
  }
  for (const reply of comments) {
    const root = reply.in_reply_to_id === undefined ? undefined : published.get(reply.in_reply_to_id);
    const voter = reply.user?.login;
    if (!root || !voter || isBot(voter)) continue;
    const text = reply.body.trim();
    const vote = DOWN_REPLY.test(text) ? 'down' : UP_REPLY.test(text) ? 'up' : undefined;
    if (!vote) continue;
    const reason = text.replace(vote === 'down' ? DOWN_REPLY : UP_REPLY, '').replace(/^[\s:,.!—–-]+/, '').trim().slice(0, 500) || null;
    votes.push(voteOn(root, voter, 'reply', vote, reply.created_at || now.toISOString(), reason));
  }
  return votes;
}

/** The same votes, the code in each with its secrets replaced (a vote on the secret rule's finding holds the secret's line). */
export async function redactVotes(votes: TeamVote[]): Promise<TeamVote[]> {
  return Promise.all(votes.map(async (vote) => ({ ...vote, record: { ...vote.record, code: (await redactForLlm(vote.record.code)).text } })));
}

function voteOn(comment: RestReviewComment, voter: string, source: 'reaction' | 'reply', vote: 'up' | 'down', createdAt: string, reason: string | null): TeamVote {
  const finding = findingOf(comment)!;
  const code = codeOf(comment.diff_hunk);
  const repository = repositoryOf(comment.html_url);
  const id = createHash('sha256').update(['team', repository, comment.id, voter, source, vote].join('\n')).digest('hex').slice(0, 32);
  const llm = finding.ruleId.startsWith('llm/');
  return {
    commentId: comment.id,
    voter,
    source,
    record: {
      id: `team-${id}`, findingId: finding.id, vote, reason, ruleId: finding.ruleId, category: llm ? finding.ruleId.slice('llm/'.length) : finding.ruleId,
      source: llm ? 'llm' : 'static', severity: finding.severity, file: comment.path, line: comment.line ?? comment.original_line ?? 1, message: finding.message,
      code, codeFingerprint: codeFingerprint(code), messageFingerprint: messageFingerprint(finding.message), createdAt, origin: 'imported',
    },
  };
}

/** The finding a Diffwise comment was published for: its id, rule, severity and message, as commentBody wrote them. */
function findingOf(comment: RestReviewComment): { id: string; ruleId: string; severity: Severity; message: string } | undefined {
  const id = FINDING_MARKER.exec(comment.body)?.[1];
  const lines = comment.body.replace(/\r\n/g, '\n').split('\n');
  const header = HEADER.exec(lines[0] ?? '');
  if (!id || !header) return undefined;
  // The message runs from after the blank line to the suggestion, the related places or the marker.
  const rest: string[] = [];
  for (const line of lines.slice(2)) {
    if (line.startsWith('```suggestion') || line.startsWith('- ') || line.startsWith('<!-- diffwise:')) break;
    rest.push(line);
  }
  return { id, ruleId: header[1], severity: header[2] as Severity, message: rest.join('\n').trim() };
}

/** The commented line: a diff hunk ends with it (its `+`, `-` or ` ` prefix dropped). */
function codeOf(diffHunk: string | undefined): string {
  if (!diffHunk) return '';
  const last = diffHunk.replace(/\n+$/, '').split('\n').pop() ?? '';
  return last.startsWith('@@') ? '' : last.slice(1).trim().slice(0, 2000);
}

/** `owner/name` from a comment's html_url (`https://HOST/OWNER/NAME/pull/N#discussion_rID`). */
function repositoryOf(htmlUrl: string): string {
  return /^https?:\/\/[^/]+\/([^/]+\/[^/]+)\//.exec(htmlUrl)?.[1]?.toLowerCase() ?? '';
}

function isBot(login: string, type?: string): boolean {
  return type === 'Bot' || login.endsWith('[bot]');
}

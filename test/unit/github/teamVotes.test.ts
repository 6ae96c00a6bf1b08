/**
 * Reading the team's votes out of a pull request's comments: which reactions and
 * replies vote and which way, what of the finding each vote carries (from the
 * comment Diffwise published), and ids that are the same every time they are read.
 */
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../shared/review';
import { commentBody } from '../../../server/github/publish';
import type { RestReaction, RestReviewComment } from '../../../server/github/restTypes';
import { diffwiseComments, redactVotes, votesOf } from '../../../server/github/teamVotes';
import { gitHubRepositoryOf } from '../../../server/github/remote';

const NOW = new Date('2026-12-03T12:00:00Z');

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: '0123456789abcdef', ruleId: 'debug-leftover', source: 'static', severity: 'warning', file: 'src/api.ts', line: 2, endLine: 2,
    message: 'console.log left in the change', suggestion: null, symbol: null, related: [], ...overrides,
  };
}

let nextId = 100;
function comment(body: string, overrides: Partial<RestReviewComment> = {}): RestReviewComment {
  const id = overrides.id ?? nextId++;
  return {
    id, node_id: `PRRC_${id}`, pull_request_review_id: 1, path: 'src/api.ts', line: 2, start_line: null, side: 'RIGHT', original_line: 2,
    commit_id: 'b'.repeat(40), original_commit_id: 'b'.repeat(40), user: { login: 'diffwise[bot]' }, body, created_at: '2026-12-01T09:00:00Z',
    updated_at: '2026-12-01T09:00:00Z', html_url: `https://github.com/Octo/App/pull/9#discussion_r${id}`, diff_hunk: '@@ -1,2 +1,3 @@\n export function parse(input: string): number {\n+  console.log(input);', ...overrides,
  };
}

const reply = (root: RestReviewComment, login: string, body: string): RestReviewComment => comment(body, { in_reply_to_id: root.id, user: { login }, created_at: '2026-12-02T08:00:00Z', diff_hunk: undefined });
const reaction = (login: string, content: string, type = 'User'): RestReaction => ({ id: nextId++, user: { login, type }, content, created_at: '2026-12-02T07:00:00Z' });

describe('team votes from GitHub', () => {
  it('reads the finding a Diffwise comment was published for, suggestion and related places left out of its message', () => {
    const withExtras = finding({ suggestion: 'return 1;', related: [{ file: 'src/main.ts', line: 3, message: 'used here' }] });
    const root = comment(commentBody(withExtras));
    const [vote] = votesOf([root], new Map([[root.id, [reaction('alice', '-1')]]]), NOW);
    const { record } = vote;
    assert.deepEqual(
      [record.findingId, record.ruleId, record.category, record.source, record.severity, record.message, record.file, record.line, record.code, record.vote, record.origin],
      ['0123456789abcdef', 'debug-leftover', 'debug-leftover', 'static', 'warning', 'console.log left in the change', 'src/api.ts', 2, 'console.log(input);', 'down', 'imported'],
    );
    assert.match(record.codeFingerprint, /^[0-9a-f]+$/);
    assert.match(record.messageFingerprint, /^[0-9a-f]+$/);
  });

  it('takes an LLM finding\'s category from its rule id', () => {
    const root = comment(commentBody(finding({ ruleId: 'llm/security', source: 'llm', severity: 'error', message: 'SQL built from input' })));
    const [{ record }] = votesOf([root], new Map([[root.id, [reaction('alice', '+1')]]]), NOW);
    assert.deepEqual([record.source, record.category, record.severity, record.vote], ['llm', 'security', 'error', 'up']);
  });

  it('counts 👍 and 👎 only, from people only, on Diffwise\'s comments only', () => {
    const root = comment(commentBody(finding()));
    const teammate = comment('Why 50?', { user: { login: 'alice' } });
    const votes = votesOf([root, teammate], new Map([
      [root.id, [reaction('alice', '+1'), reaction('bob', 'heart'), reaction('dependabot[bot]', '-1', 'Bot'), reaction('ci', '-1', 'Bot'), reaction('carol', '-1')]],
      [teammate.id, [reaction('dave', '-1')]],
    ]), NOW);
    assert.deepEqual(votes.map((vote) => [vote.voter, vote.source, vote.record.vote]), [['alice', 'reaction', 'up'], ['carol', 'reaction', 'down']]);
  });

  it('reads a reply\'s first word as a vote, and the rest as its reason', () => {
    const root = comment(commentBody(finding()));
    const replies: Array<[string, 'up' | 'down' | null]> = [
      ['👎 not in this file', 'down'], ['-1', 'down'], [':-1:', 'down'], ['false positive: intended', 'down'], ['False Positive', 'down'], ['Wrong, it is a logger', 'down'],
      ['/diffwise down', 'down'], ['/Diffwise  down please', 'down'], ['👍', 'up'], ['+1 good catch', 'up'], [':+1:', 'up'], ['/diffwise up', 'up'],
      ['why?', null], ['-10 points', null], ['+1.5', null], ['this is wrong', null], ['wrongly flagged?', null], ['/diffwise review', null],
    ];
    const comments = [root, ...replies.map(([body], i) => reply(root, `user${i}`, body))];
    const votes = votesOf(comments, new Map(), NOW);
    const byVoter = new Map(votes.map((vote) => [vote.voter, vote]));
    replies.forEach(([body, expected], i) => assert.equal(byVoter.get(`user${i}`)?.record.vote ?? null, expected, body));
    assert.equal(byVoter.get('user3')!.record.reason, 'intended');
    assert.equal(byVoter.get('user8')!.record.reason, null);
    assert.ok(votes.every((vote) => vote.source === 'reply' && vote.commentId === root.id && vote.record.createdAt === '2026-12-02T08:00:00Z'));
  });

  it('gives the same id to the same vote each time, and different ids to different votes', () => {
    const root = comment(commentBody(finding()));
    const reactions = new Map([[root.id, [reaction('alice', '-1'), reaction('alice', '+1'), reaction('bob', '-1')]]]);
    const answer = reply(root, 'alice', '-1');
    const first = votesOf([root, answer], reactions, NOW).map((vote) => vote.record.id);
    const second = votesOf([root, answer], reactions, new Date()).map((vote) => vote.record.id);
    assert.equal(first.length, 4);
    assert.deepEqual(second, first);
    assert.equal(new Set(first).size, 4);
    const otherRepo = comment(commentBody(finding()), { id: root.id, html_url: `https://github.com/octo/other/pull/9#discussion_r${root.id}` });
    assert.notEqual(votesOf([otherRepo], reactions, NOW)[0].record.id, first[0], 'the repository is part of the id');
    const twice = votesOf([root, answer, reply(root, 'alice', '👎 still')], new Map(), NOW);
    assert.equal(new Set(twice.map((vote) => vote.record.id)).size, 1, 'a voter saying the same twice is one vote');
  });

  it('leaves out comments that only look like Diffwise\'s, and replies that are not to one', () => {
    const forged = comment('I think <!-- diffwise:finding=0123456789abcdef --> is odd', { user: { login: 'mallory' } });
    assert.deepEqual(diffwiseComments([forged]), []);
    const root = comment(commentBody(finding()));
    const nested = reply(root, 'alice', 'why?');
    assert.deepEqual(diffwiseComments([root, nested]).map((c) => c.id), [root.id]);
    assert.deepEqual(votesOf([root, comment('-1', { in_reply_to_id: 1, user: { login: 'bob' } })], new Map(), NOW), []);
  });

  it('redacts a secret in the code a vote carries', async () => {
    const root = comment(commentBody(finding({ ruleId: 'secret', severity: 'error', message: 'An AWS access key' })), { diff_hunk: '@@ -0,0 +1 @@\n+const key = "AKIAQYLPMN5HHHFPZAM2";' });
    const [vote] = await redactVotes(votesOf([root], new Map([[root.id, [reaction('alice', '-1')]]]), NOW));
    assert.doesNotMatch(vote.record.code, /AKIAQYLPMN5HHHFPZAM2/);
  });

  it('names a repository from its full name and the API URL', () => {
    assert.deepEqual(gitHubRepositoryOf('octo/app'), { host: 'github.com', owner: 'octo', repo: 'app', apiUrl: 'https://api.github.com', graphqlUrl: 'https://api.github.com/graphql' });
    const ghe = gitHubRepositoryOf('octo/app', 'https://ghe.example.com/api/v3/');
    assert.deepEqual([ghe.host, ghe.apiUrl, ghe.graphqlUrl], ['ghe.example.com', 'https://ghe.example.com/api/v3', 'https://ghe.example.com/api/graphql']);
    assert.throws(() => gitHubRepositoryOf('octo'), /is not a GitHub repository's full name/);
  });
});

import * as assert from 'node:assert/strict';
import type { Finding } from '../../shared/review';
import { parseUnifiedDiff } from '../../server/git/diffParser';
import { oldLineToNewExact } from '../../server/git/lineMapping';
import { checkAnswer } from '../../server/github/answers';
import { describeGitHubError, GitHubError } from '../../server/github/client';
import { duration } from '../../server/github/errors';
import { commentBody, planPublication } from '../../server/github/publish';
import { parseGitHubRemote, redactUrl } from '../../server/github/remote';
import { restPullSchema, type RestReviewComment } from '../../server/github/restTypes';
import { endpointOf, githubTimeouts } from '../../server/github/transport';

describe('GitHub remotes', () => {
  it('parses https, scp-like ssh and ssh:// remotes of github.com', () => {
    for (const url of ['https://github.com/octo/app.git', 'https://github.com/octo/app', 'git@github.com:octo/app.git', 'ssh://git@github.com/octo/app.git', 'https://user:secret@github.com/octo/app.git']) {
      const parsed = parseGitHubRemote(url);
      assert.deepEqual([parsed.owner, parsed.repo, parsed.apiUrl], ['octo', 'app', 'https://api.github.com'], url);
    }
  });

  it('takes another host only with a configured API URL (GitHub Enterprise), and never prints credentials', () => {
    assert.throws(() => parseGitHubRemote('https://ghe.example.com/octo/app.git'), /not github\.com; for GitHub Enterprise set DIFFWISE_GITHUB_API_URL .*https:\/\/ghe\.example\.com\/api\/v3/);
    const ghe = parseGitHubRemote('git@ghe.example.com:octo/app.git', 'https://ghe.example.com/api/v3/');
    assert.deepEqual([ghe.apiUrl, ghe.graphqlUrl], ['https://ghe.example.com/api/v3', 'https://ghe.example.com/api/graphql']);
    assert.throws(() => parseGitHubRemote('/srv/git/app.git'), (error: Error) => /not a GitHub repository URL/.test(error.message));
    assert.equal(redactUrl('https://user:secret@github.com/octo/app.git'), 'https://github.com/octo/app.git');
  });
});

describe('carrying a comment\'s line to the working tree', () => {
  const diff = parseUnifiedDiff([
    'diff --git a/a.ts b/a.ts', '--- a/a.ts', '+++ b/a.ts',
    '@@ -1,6 +1,7 @@', '+// new first line', ' one', ' two', '-three', '+THREE', ' four', ' five', ' six',
    '',
  ].join('\n'))[0];

  it('moves an unchanged line, and gives null for one the diff changed or deleted', () => {
    assert.equal(oldLineToNewExact(diff, 1), 2);
    assert.equal(oldLineToNewExact(diff, 3), null, 'rewritten: outdated');
    assert.equal(oldLineToNewExact(diff, 4), 5);
    assert.equal(oldLineToNewExact(diff, 40), 41, 'below every hunk: shifted by what they added');
  });

  it('leaves the line a pure insertion follows where it is', () => {
    const insertion = parseUnifiedDiff(['diff --git a/b.ts b/b.ts', '--- a/b.ts', '+++ b/b.ts', '@@ -2,0 +3,2 @@', '+x', '+y', ''].join('\n'))[0];
    assert.equal(oldLineToNewExact(insertion, 2), 2);
    assert.equal(oldLineToNewExact(insertion, 3), 5);
  });
});

describe('planning a publication', () => {
  const finding = (id: string, line: number, overrides: Partial<Finding> = {}): Finding => ({
    id, ruleId: 'debug-leftover', source: 'static', severity: 'warning', file: 'src/a.ts', line, endLine: line, message: `m${line}`, suggestion: null, symbol: null, related: [], ...overrides,
  });
  const comment = (id: number, body: string) => ({ id, body }) as RestReviewComment;

  it('posts new findings on added lines, lists the rest in the body, skips what is there, edits what changed', () => {
    const fresh = finding('a'.repeat(16), 2);
    const outside = finding('b'.repeat(16), 9);
    const same = finding('c'.repeat(16), 3);
    const changed = finding('d'.repeat(16), 4);
    const listed = finding('e'.repeat(16), 10);
    const plan = planPublication(
      [fresh, outside, same, changed, listed],
      (_path, line) => line <= 4,
      [comment(1, commentBody(same)), comment(2, commentBody({ ...changed, message: 'old wording' }))],
      [{ id: 5, user: null, state: 'COMMENTED', body: `… <!-- diffwise:outside=${'e'.repeat(16)} -->` }],
    );
    assert.deepEqual(plan.comments.map((c) => [c.findingId, c.line]), [['a'.repeat(16), 2]]);
    assert.deepEqual(plan.outside.map((f) => f.id), ['b'.repeat(16)]);
    assert.deepEqual(plan.edits.map((e) => e.commentId), [2]);
    assert.equal(plan.skipped, 2);
  });

  it('turns a one-line fix into a GitHub suggestion block and hides the fingerprint in a comment', () => {
    const body = commentBody(finding('f'.repeat(16), 2, { suggestion: '' }));
    assert.match(body, /```suggestion\n\n```/);
    assert.match(body, /<!-- diffwise:finding=f{16} -->$/);
  });
});

describe('naming a GitHub request and checking its answer', () => {
  it('names a request relative to the API, with its first query parameter only', () => {
    assert.equal(endpointOf('get', '/repos/o/r/pulls?head=o%3Afeature&state=open&per_page=100', 'https://api.github.com'), 'GET /repos/o/r/pulls?head=o:feature&…');
    assert.equal(endpointOf('POST', 'https://ghe.example.com/api/v3/repos/o/r/pulls/7/reviews', 'https://ghe.example.com/api/v3/'), 'POST /repos/o/r/pulls/7/reviews');
    assert.equal(endpointOf('POST', 'https://ghe.example.com/api/graphql', 'https://ghe.example.com/api/v3'), 'POST /api/graphql');
    assert.equal(endpointOf('GET', 'https://elsewhere.example/x', 'https://api.github.com'), 'GET https://elsewhere.example/x');
  });

  it('says what came back instead of the documented shape, never a token', () => {
    const context = { endpoint: 'GET /repos/o/r/pulls/7', status: 200 };
    const check = (data: unknown) => {
      try {
        checkAnswer(restPullSchema(), data, context, 'a pull request');
      } catch (error) {
        assert.ok(error instanceof GitHubError);
        return error.message.replace(/^GitHub's answer to GET \/repos\/o\/r\/pulls\/7 \(200\) is not what its API documents: expected a pull request, got /, '');
      }
      assert.fail('accepted');
    };
    assert.equal(check('<html>\n<body>Bad gateway</body></html>'), 'an HTML page ("<html> <body>Bad gateway</body></html>")');
    assert.equal(check('{"number": 7, "ti'), 'JSON that is cut short or malformed ("{"number": 7, "ti")');
    assert.equal(check(''), 'an empty body');
    assert.equal(check([1, 2]), 'a list of 2 ("[1,2]")');
    assert.equal(check({ number: '7' }), 'an object whose number is the text "7" ("{"number":"7"}")');
    assert.match(check({ number: 7, title: 't', html_url: 'u', state: 'open', user: null, head: { ref: 'f' }, base: { ref: 'm', sha: 's' } }), /^an object whose head\.sha is missing \(/);
    assert.doesNotMatch(check(`token ghp_${'a'.repeat(36)}`), /ghp_a/);
    const pull = { number: 7, title: 't', html_url: 'u', state: 'open', user: null, head: { ref: 'f', sha: 'h' }, base: { ref: 'm', sha: 'b' }, extra: true };
    assert.deepEqual(checkAnswer(restPullSchema(), pull, context, 'a pull request'), { number: 7, title: 't', html_url: 'u', state: 'open', user: null, head: { ref: 'f', sha: 'h' }, base: { ref: 'm', sha: 'b' } }, 'fields not read are dropped');
  });

  it('reads the timeouts from the environment, refusing what is not a positive whole number', () => {
    assert.deepEqual(githubTimeouts({}), { requestMs: 30_000, deadlineMs: 120_000 });
    assert.deepEqual(githubTimeouts({ DIFFWISE_GITHUB_TIMEOUT_MS: ' 500 ', DIFFWISE_GITHUB_DEADLINE_MS: '2000' }), { requestMs: 500, deadlineMs: 2000 });
    for (const value of ['0', '-1', '1.5', 'soon']) {
      assert.throws(() => githubTimeouts({ DIFFWISE_GITHUB_DEADLINE_MS: value }), (error: Error) => error instanceof GitHubError && /^DIFFWISE_GITHUB_DEADLINE_MS must be a whole number of milliseconds above 0/.test(error.message), value);
    }
    assert.equal(duration(30_000), '30 s');
    assert.equal(duration(1500), '1.5 s');
    assert.equal(duration(700), '700 ms');
  });

  it('turns octokit\'s errors into one line naming the request', () => {
    const repository = parseGitHubRemote('https://github.com/octo/app.git');
    const requestError = (status: number, data: unknown) => Object.assign(new Error('octokit message'), {
      status, request: { method: 'GET', url: 'https://api.github.com/repos/octo/app/pulls/7' }, response: { status, headers: {}, data },
    });
    assert.equal(describeGitHubError(requestError(502, '<html><title>502</title></html>'), repository, true).message, 'GitHub answered 502 to GET /repos/octo/app/pulls/7: an HTML page ("<html><title>502</title></html>")');
    assert.equal(describeGitHubError(requestError(500, { message: 'Server Error' }), repository, true).message, 'GitHub answered 500 to GET /repos/octo/app/pulls/7: Server Error');
    assert.equal(describeGitHubError(requestError(404, { message: 'Not Found' }), repository, false).message, 'octo/app was not found on https://api.github.com: if it is private, set GITHUB_TOKEN');
    const wrapped = Object.assign(new Error('wrapped'), { status: 500, cause: new GitHubError('cannot reach GitHub at api.github.com: the connection was refused (GET /repos/octo/app/pulls/7)') });
    assert.equal(describeGitHubError(wrapped, repository, true).message, 'cannot reach GitHub at api.github.com: the connection was refused (GET /repos/octo/app/pulls/7)');
  });
});

import * as assert from 'node:assert/strict';
import type { Finding } from '../../shared/review';
import { parseUnifiedDiff } from '../../server/git/diffParser';
import { oldLineToNewExact } from '../../server/git/lineMapping';
import { commentBody, planPublication } from '../../server/github/publish';
import { parseGitHubRemote, redactUrl } from '../../server/github/remote';
import type { RestReviewComment } from '../../server/github/restTypes';

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

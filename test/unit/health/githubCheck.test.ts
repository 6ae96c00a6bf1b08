import * as assert from 'node:assert/strict';
import { GitRepository } from '../../../server/git/repository';
import { githubCheck } from '../../../server/health/githubCheck';
import { startFakeGitHub } from '../../helpers/fakeGitHub';
import { cleanupRepos, git, makeRepo } from '../../helpers/gitRepo';

const TOKEN = 'ghp_fakeDiffwiseToken0123456789abcdefABCD';

describe('health: GitHub', () => {
  after(cleanupRepos);

  async function repoWithRemote(url: string | null): Promise<GitRepository> {
    const root = makeRepo();
    if (url) git(root, 'remote', 'add', 'origin', url);
    return GitRepository.open(root);
  }

  it('no GitHub remote: ok, not used, and no token is needed', async () => {
    for (const url of [null, 'https://gitlab.example.com/acme/app.git']) {
      const check = await githubCheck(await repoWithRemote(url), { env: {}, timeoutMs: 2000 });
      assert.equal(check.status, 'ok', check.detail);
      assert.match(check.detail, /^not used/);
    }
  });

  it('a GitHub remote without a token is a warning with the fix', async () => {
    const check = await githubCheck(await repoWithRemote('https://github.com/acme/app.git'), { env: {}, timeoutMs: 2000 });
    assert.equal(check.status, 'warning');
    assert.match(check.detail, /acme\/app: no token/);
    assert.match(check.fix!, /GITHUB_TOKEN/);
  });

  it('a classic token: its scopes and the rate limit left, from DIFFWISE_GITHUB_API_URL; a missing repo scope is a warning', async () => {
    const gh = await startFakeGitHub({ scopes: 'repo, read:org' });
    try {
      const repo = await repoWithRemote('https://github.com/acme/app.git');
      const env = { GITHUB_TOKEN: TOKEN, DIFFWISE_GITHUB_API_URL: gh.apiUrl };
      const check = await githubCheck(repo, { env, timeoutMs: 2000 });
      assert.equal(check.status, 'ok', check.detail);
      assert.match(check.detail, /scopes: repo, read:org; 5000 of 5000 requests left this hour/);
      assert.equal(gh.requests.at(-1)!.path, '/rate_limit');
    } finally {
      await gh.close();
    }
    const narrow = await startFakeGitHub({ scopes: 'read:org' });
    try {
      const check = await githubCheck(await repoWithRemote('https://github.com/acme/app.git'), { env: { GITHUB_TOKEN: TOKEN }, apiUrl: narrow.apiUrl, timeoutMs: 2000 });
      assert.equal(check.status, 'warning');
      assert.match(check.fix!, /repo scope/);
    } finally {
      await narrow.close();
    }
  });

  it('a fine-grained token has no scopes to list: said so; a refused token is an error; a nearly used-up limit a warning', async () => {
    const gh = await startFakeGitHub({ limit: 100 });
    try {
      const repo = await repoWithRemote('git@github.com:acme/app.git');
      const fine = await githubCheck(repo, { env: { GITHUB_TOKEN: TOKEN, DIFFWISE_GITHUB_API_URL: gh.apiUrl }, timeoutMs: 2000 });
      assert.equal(fine.status, 'ok', fine.detail);
      assert.match(fine.detail, /fine-grained token \(no scopes to list/);

      const refused = await githubCheck(repo, { env: { GITHUB_TOKEN: 'ghp_revoked', DIFFWISE_GITHUB_API_URL: gh.apiUrl }, timeoutMs: 2000 });
      assert.equal(refused.status, 'error');
      assert.match(refused.detail, /token refused/);

      // Spend the hour's requests down to 5 of 100.
      for (let i = 0; i < 95; i++) await fetch(`${gh.apiUrl}/user`, { headers: { authorization: `token ${TOKEN}` } });
      const low = await githubCheck(repo, { env: { GITHUB_TOKEN: TOKEN, DIFFWISE_GITHUB_API_URL: gh.apiUrl }, timeoutMs: 2000 });
      assert.equal(low.status, 'warning', low.detail);
      assert.match(low.detail, /5 of 100 requests left/);
    } finally {
      await gh.close();
    }
  });
});

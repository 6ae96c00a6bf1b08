/**
 * Which review job failures are retried: the network, 5xx, rate limits and git fetches
 * are; a repository GitHub refuses or does not have, and a head gone from the remote, are not.
 */
import * as assert from 'node:assert/strict';
import { GitHubError } from '../../../server/github/errors';
import { CloneFetchError, HeadNotFoundError } from '../../../server/service/worker/cloneCache';
import { isPermanentFailure, oneLine } from '../../../server/service/worker/jobFailures';

describe('worker job failures', () => {
  it('permanent: 401/403/404/422 statuses and the one-line GitHub errors that say them, a head that is gone', () => {
    for (const status of [401, 403, 404, 422]) assert.equal(isPermanentFailure(Object.assign(new Error('x'), { status })), true, String(status));
    assert.equal(isPermanentFailure(new GitHubError('acme/app was not found on http://127.0.0.1:1, or the token cannot read it')), true);
    assert.equal(isPermanentFailure(new GitHubError('the token cannot do this on acme/app (403 Resource not accessible by integration): it needs access')), true);
    assert.equal(isPermanentFailure(new HeadNotFoundError('gone')), true);
  });

  it('transient: 5xx, rate limits (even as a 403), the network, a git fetch, the database', () => {
    assert.equal(isPermanentFailure(Object.assign(new Error('x'), { status: 502 })), false);
    assert.equal(isPermanentFailure(Object.assign(new Error('API rate limit exceeded'), { status: 403 })), false);
    assert.equal(isPermanentFailure(Object.assign(new Error('x'), { status: 403, response: { status: 403, headers: { 'x-ratelimit-remaining': '0' } } })), false);
    assert.equal(isPermanentFailure(new GitHubError("GitHub's rate limit is used up until 10:00 UTC (in 5 min)")), false);
    assert.equal(isPermanentFailure(new GitHubError('cannot reach GitHub at https://api.github.com: ECONNRESET')), false);
    assert.equal(isPermanentFailure(new CloneFetchError('git fetch failed')), false);
    assert.equal(isPermanentFailure(Object.assign(new Error('Connection terminated'), { code: '57P01' })), false);
  });

  it('one line, at most 300 characters', () => {
    assert.equal(oneLine(new Error('a\n  b')), 'a b');
    assert.equal(oneLine(new Error('x'.repeat(400))).length, 300);
  });
});

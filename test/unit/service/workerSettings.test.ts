/**
 * The worker's small decisions: how long a shutdown waits for running reviews, and which
 * clone URLs get the token as an Authorization header (https only: a file:// or ssh URL
 * never sees it), with the client aimed at DIFFWISE_GITHUB_API_URL.
 */
import * as assert from 'node:assert/strict';
import { WorkerGitHub } from '../../../server/service/worker/workerGitHub';
import { shutdownSecondsFrom } from '../../../server/service/worker/workerProcess';

describe('worker settings', () => {
  it('DIFFWISE_WORKER_SHUTDOWN_SECONDS: 60 by default, 0 allowed, nonsense ignored', () => {
    assert.equal(shutdownSecondsFrom({}), 60);
    assert.equal(shutdownSecondsFrom({ DIFFWISE_WORKER_SHUTDOWN_SECONDS: '5' }), 5);
    assert.equal(shutdownSecondsFrom({ DIFFWISE_WORKER_SHUTDOWN_SECONDS: '0' }), 0);
    assert.equal(shutdownSecondsFrom({ DIFFWISE_WORKER_SHUTDOWN_SECONDS: 'soon' }), 60);
    assert.equal(shutdownSecondsFrom({ DIFFWISE_WORKER_SHUTDOWN_SECONDS: '-1' }), 60);
  });

  it('the token goes to git over https only, as a header; the API is the configured one', async () => {
    const github = new WorkerGitHub(
      { databaseUrl: 'postgres://x', webhookSecret: undefined, github: { mode: 'token', token: 'ghp_secret' }, apiUrl: 'https://ghe.example.com/api/v3', dashboardToken: undefined },
      {},
    );
    const job = await github.forJob('acme/app', null, () => undefined);
    assert.equal(job.repository.apiUrl, 'https://ghe.example.com/api/v3');
    assert.deepEqual([job.repository.owner, job.repository.repo], ['acme', 'app']);
    assert.equal(job.authorizationFor('https://ghe.example.com/acme/app.git'), `Basic ${Buffer.from('x-access-token:ghp_secret').toString('base64')}`);
    assert.equal(job.authorizationFor('file:///srv/git/app'), undefined);
    assert.equal(job.authorizationFor('git@ghe.example.com:acme/app.git'), undefined);
  });
});

/**
 * Each GitHub request inside a review is a `github.request` span (method, path without its
 * query, status, the rate limit left); outside a review nothing is recorded.
 * Against a small HTTP server on 127.0.0.1 that answers as GitHub's REST API does.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Deadline, timedFetch } from '../../../server/github/transport';
import { TraceRecorder } from '../../../server/observability/trace';

describe('traces: GitHub requests', () => {
  let server: http.Server;
  let apiUrl: string;
  before(async () => {
    server = http.createServer((request, response) => {
      if (request.url?.startsWith('/repos/o/r/pulls')) response.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining': '4321' }).end('[]');
      else response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('records method, path, status and the rate limit left, and nothing of the query', async () => {
    const fetchGitHub = timedFetch({ requestMs: 5000, deadlineMs: 10_000 }, new Deadline(10_000), apiUrl);
    const recorder = new TraceRecorder('run-1', new Date().toISOString());
    await recorder.run(async () => {
      await fetchGitHub(`${apiUrl}/repos/o/r/pulls?head=o:feature&access_token=secret-value`);
      await fetchGitHub(`${apiUrl}/missing`, { method: 'POST' });
    });
    const spans = recorder.finish('ok').spans.filter((span) => span.name === 'github.request');
    assert.deepEqual(spans.map((span) => span.attributes), [
      { 'http.request.method': 'GET', 'url.path': '/repos/o/r/pulls', 'http.response.status_code': 200, 'github.rate_limit.remaining': 4321 },
      { 'http.request.method': 'POST', 'url.path': '/missing', 'http.response.status_code': 404 },
    ]);
    assert.ok(!JSON.stringify(spans).includes('secret-value'));
    assert.ok(spans.every((span) => span.parentSpanId !== null), 'under the review');
  });

  it('outside a review, a request records nothing and still answers', async () => {
    const fetchGitHub = timedFetch({ requestMs: 5000, deadlineMs: 10_000 }, new Deadline(10_000), apiUrl);
    const response = await fetchGitHub(`${apiUrl}/repos/o/r/pulls`);
    assert.equal(response.status, 200);
  });
});

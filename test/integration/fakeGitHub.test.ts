import * as assert from 'node:assert/strict';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fakeGitHub';

const HEAD = 'b'.repeat(40);
const BASE = 'a'.repeat(40);

const THREADS_QUERY = `
  query($owner: String!, $name: String!, $number: Int!, $first: Int!, $after: String) {
    repository(owner: $owner, name: $name) {
      pullRequest(number: $number) {
        reviewThreads(first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes {
            id isResolved isOutdated path line
            comments(first: 100) { totalCount nodes { databaseId } }
          }
        }
      }
    }
  }`;
const RESOLVE = `mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }`;

describe('fake GitHub API (test helper)', function () {
  let gh: FakeGitHub;

  beforeEach(async () => {
    gh = await startFakeGitHub();
    gh.addRepository('acme', 'app');
    gh.addPull('acme', 'app', { number: 7, head: { ref: 'feature', sha: HEAD }, base: { ref: 'main', sha: BASE }, user: 'carol' });
    gh.setDiffLines('acme', 'app', 7, 'src/a.ts', [10, 11, 12]);
  });
  afterEach(async () => {
    await gh.close();
  });

  async function call(method: string, path: string, options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; body: any }> {
    const token = options.token === undefined ? gh.token : options.token;
    const response = await fetch(path.startsWith('http') ? path : `${gh.apiUrl}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  const graphql = (query: string, variables: object, token?: string) => call('POST', '/graphql', { body: { query, variables }, token });

  /** The rel → URL pairs of a Link header. */
  function links(header: string | null): Record<string, string> {
    return Object.fromEntries((header ?? '').split(', ').filter(Boolean).map((part) => {
      const [, url, rel] = /^<([^>]+)>; rel="(\w+)"$/.exec(part)!;
      return [rel, url];
    }));
  }

  it('pages review comments with GitHub Link headers and the documented comment fields', async () => {
    for (let i = 0; i < 5; i++) gh.addReviewComment('acme', 'app', 7, { path: 'src/a.ts', line: 11, body: `c${i}`, user: 'alice' });
    const first = await call('GET', '/repos/acme/app/pulls/7/comments?per_page=2');
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.map((c: any) => c.body), ['c0', 'c1']);
    const rels = links(first.headers.get('link'));
    assert.deepEqual(Object.keys(rels), ['next', 'last']);
    assert.equal(rels.next, `${gh.apiUrl}/repos/acme/app/pulls/7/comments?per_page=2&page=2`);
    assert.equal(rels.last, `${gh.apiUrl}/repos/acme/app/pulls/7/comments?per_page=2&page=3`);

    const middle = await call('GET', rels.next);
    assert.deepEqual(Object.keys(links(middle.headers.get('link'))), ['prev', 'next', 'last', 'first']);
    const last = await call('GET', rels.last);
    assert.deepEqual(last.body.map((c: any) => c.body), ['c4']);
    assert.deepEqual(Object.keys(links(last.headers.get('link'))), ['prev', 'first']);

    const comment = first.body[0];
    for (const field of ['id', 'node_id', 'pull_request_review_id', 'diff_hunk', 'path', 'position', 'original_position', 'commit_id', 'original_commit_id', 'user', 'body', 'created_at', 'updated_at', 'html_url', 'pull_request_url', 'author_association', 'line', 'original_line', 'side', 'start_line', 'original_start_line', 'start_side', 'subject_type', 'reactions']) {
      assert.ok(field in comment, `missing ${field}`);
    }
    assert.equal('in_reply_to_id' in comment, false);
    assert.equal(comment.commit_id, HEAD);
    assert.equal(comment.line, 11);
    assert.equal(comment.side, 'RIGHT');
    assert.equal(comment.user.login, 'alice');
    assert.equal(comment.reactions.total_count, 0);
    assert.match(comment.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(first.headers.get('x-ratelimit-resource'), 'core');
    assert.equal(first.headers.get('x-ratelimit-limit'), '5000');
  });

  it('answers an unchanged GET with If-None-Match 304 without charging the rate limit, and a change with a new ETag', async () => {
    const root = gh.addReviewComment('acme', 'app', 7, { path: 'src/a.ts', line: 11, body: 'why?', user: 'alice' });
    const url = '/repos/acme/app/pulls/7/comments?per_page=100';
    const first = await call('GET', url);
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^W\/"[0-9a-f]+"$/);
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));

    for (let i = 0; i < 3; i++) {
      const again = await call('GET', url, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.body, undefined);
      assert.equal(again.headers.get('etag'), etag);
      assert.equal(Number(again.headers.get('x-ratelimit-remaining')), remaining);
    }
    assert.equal(gh.notModified, 3);
    assert.equal(gh.requests.filter((r) => r.status === 304).length, 3);
    assert.equal(gh.rateLimitState().used, 1);

    gh.editReviewComment(root.id, 'why not?');
    const changed = await call('GET', url, { headers: { 'if-none-match': etag } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.equal(changed.body[0].body, 'why not?');
    assert.equal(Number(changed.headers.get('x-ratelimit-remaining')), remaining - 1);
  });

  it('filters review comments by since (updated_at) and sorts them', async () => {
    let clock = Date.parse('2026-11-25T10:00:00Z');
    await gh.close();
    gh = await startFakeGitHub({ now: () => clock });
    gh.addRepository('acme', 'app');
    gh.addPull('acme', 'app', { number: 7, head: { ref: 'feature', sha: HEAD }, base: { ref: 'main', sha: BASE } });
    const old = gh.addReviewComment('acme', 'app', 7, { path: 'src/a.ts', line: 11, body: 'old' });
    clock += 60_000;
    gh.addReviewComment('acme', 'app', 7, { path: 'src/a.ts', line: 12, body: 'new' });
    clock += 60_000;
    gh.editReviewComment(old.id, 'old, edited');

    const since = await call('GET', '/repos/acme/app/pulls/7/comments?since=2026-11-25T10:01:00Z');
    assert.deepEqual(since.body.map((c: any) => c.body), ['old, edited', 'new']);
    const later = await call('GET', '/repos/acme/app/pulls/7/comments?since=2026-11-25T10:02:00Z');
    assert.deepEqual(later.body.map((c: any) => [c.body, c.created_at, c.updated_at]), [['old, edited', '2026-11-25T10:00:00Z', '2026-11-25T10:02:00Z']]);
    const byUpdate = await call('GET', '/repos/acme/app/pulls/7/comments?sort=updated&direction=desc');
    assert.deepEqual(byUpdate.body.map((c: any) => c.body), ['old, edited', 'new']);
  });

  it('finds pull requests by head OWNER:BRANCH and state', async () => {
    gh.addPull('acme', 'app', { number: 8, head: { ref: 'other', sha: HEAD }, base: { ref: 'main', sha: BASE }, state: 'closed' });
    const open = await call('GET', '/repos/acme/app/pulls?head=acme:feature&state=open');
    assert.deepEqual(open.body.map((p: any) => [p.number, p.head.ref, p.head.sha, p.head.label, p.base.ref, p.state]), [[7, 'feature', HEAD, 'acme:feature', 'main', 'open']]);
    assert.deepEqual((await call('GET', '/repos/acme/app/pulls?head=acme:other')).body, []);
    assert.deepEqual((await call('GET', '/repos/acme/app/pulls?state=all')).body.map((p: any) => p.number), [8, 7]);
    const one = await call('GET', '/repos/acme/app/pulls/7');
    assert.equal(one.body.user.login, 'carol');
    assert.equal(one.body.merged, false);
    assert.equal((await call('GET', '/repos/acme/app/pulls/99')).status, 404);
  });

  it('answers 401 without or with a wrong token, 404 for a private repository, 403 for a write without access', async () => {
    const none = await call('GET', '/repos/acme/app/pulls', { token: null });
    assert.equal(none.status, 401);
    const wrong = await call('GET', '/repos/acme/app/pulls', { token: 'ghp_wrong' });
    assert.deepEqual([wrong.status, wrong.body.message], [401, 'Bad credentials']);

    gh.addToken('ghp_reader', 'rita');
    gh.addRepository('acme', 'secret', { private: true, readers: [gh.token], writers: [gh.token] });
    gh.addPull('acme', 'secret', { number: 1, head: { ref: 'x', sha: HEAD }, base: { ref: 'main', sha: BASE } });
    const hidden = await call('GET', '/repos/acme/secret/pulls/1', { token: 'ghp_reader' });
    assert.deepEqual([hidden.status, hidden.body.message], [404, 'Not Found']);
    assert.equal((await call('GET', '/repos/acme/secret/pulls/1')).status, 200);

    gh.addRepository('acme', 'readonly', { writers: [gh.token] });
    gh.addPull('acme', 'readonly', { number: 2, head: { ref: 'y', sha: HEAD }, base: { ref: 'main', sha: BASE } });
    gh.setDiffLines('acme', 'readonly', 2, 'a.ts', [1]);
    const denied = await call('POST', '/repos/acme/readonly/pulls/2/reviews', { token: 'ghp_reader', body: { event: 'COMMENT', body: 'x' } });
    assert.deepEqual([denied.status, denied.body.message], [403, 'Resource not accessible by personal access token']);
    assert.deepEqual(gh.pull('acme', 'readonly', 2).reviews, []);
  });

  it('answers the primary and the secondary rate limit as GitHub documents, scripted or used up', async () => {
    const reset = Math.floor(Date.now() / 1000) + 120;
    gh.rateLimit(reset);
    const primary = await call('GET', '/repos/acme/app/pulls');
    assert.equal(primary.status, 403);
    assert.equal(primary.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(primary.headers.get('x-ratelimit-reset'), String(reset));
    assert.match(primary.body.message, /^API rate limit exceeded for /);

    gh.rateLimit(reset, { secondary: true, status: 429, retryAfter: 30 });
    const secondary = await call('GET', '/repos/acme/app/pulls');
    assert.equal(secondary.status, 429);
    assert.equal(secondary.headers.get('retry-after'), '30');
    assert.match(secondary.body.message, /secondary rate limit/);

    gh.rateLimit(0);
    gh.failNext(500);
    assert.equal((await call('GET', '/repos/acme/app/pulls')).status, 500);
    assert.equal((await call('GET', '/repos/acme/app/pulls')).status, 200);

    // The hour's allowance used up: the same primary answer, until the window resets.
    const limited = await startFakeGitHub({ limit: 2 });
    try {
      limited.addRepository('acme', 'app');
      const get = () => fetch(`${limited.apiUrl}/repos/acme/app/pulls`, { headers: { authorization: `token ${limited.token}` } });
      assert.deepEqual([(await get()).headers.get('x-ratelimit-remaining'), (await get()).headers.get('x-ratelimit-remaining')], ['1', '0']);
      const third = await get();
      assert.deepEqual([third.status, third.headers.get('x-ratelimit-remaining'), third.headers.get('x-ratelimit-used')], [403, '0', '2']);
    } finally {
      await limited.close();
    }
  });

  it('answers a scripted failure once', async () => {
    gh.failNext(500);
    assert.equal((await call('GET', '/repos/acme/app/pulls')).status, 500);
    assert.equal((await call('GET', '/repos/acme/app/pulls')).status, 200);
  });

  it('puts a reply in its parent thread, and a reply to a reply under the first comment', async () => {
    const root = gh.addReviewComment('acme', 'app', 7, { path: 'src/a.ts', line: 11, body: 'why?', user: 'alice' });
    const reply = await call('POST', `/repos/acme/app/pulls/7/comments/${root.id}/replies`, { body: { body: 'because' } });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.in_reply_to_id, root.id);
    assert.equal(reply.body.path, 'src/a.ts');
    assert.equal(reply.body.line, 11);
    assert.equal(reply.body.user.login, gh.login);
    const second = await call('POST', `/repos/acme/app/pulls/7/comments/${reply.body.id}/replies`, { body: { body: 'ok' } });
    assert.equal(second.body.in_reply_to_id, root.id);
    assert.deepEqual(gh.thread(root.id).comments.map((c) => c.id), [root.id, reply.body.id, second.body.id]);
    assert.deepEqual(gh.posted.replies.map((c) => c.body), ['because', 'ok']);
    assert.equal((await call('POST', `/repos/acme/app/pulls/8/comments/${root.id}/replies`, { body: { body: 'x' } })).status, 404);

    const reaction = await call('POST', `/repos/acme/app/pulls/comments/${root.id}/reactions`, { body: { content: '+1' } });
    assert.equal(reaction.status, 201);
    assert.equal((await call('POST', `/repos/acme/app/pulls/comments/${root.id}/reactions`, { body: { content: '+1' } })).status, 200);
    const edited = await call('PATCH', `/repos/acme/app/pulls/comments/${root.id}`, { body: { body: 'why, really?' } });
    assert.deepEqual([edited.status, edited.body.body, edited.body.reactions['+1']], [200, 'why, really?', 1]);
    assert.equal((await call('DELETE', `/repos/acme/app/pulls/comments/${root.id}/reactions/${reaction.body.id}`)).status, 204);
    assert.equal(gh.comment(root.id).reactions.length, 0);
  });

  it('posts a review with its comments, and refuses one with a line outside the diff with 422 and nothing posted', async () => {
    const review = await call('POST', '/repos/acme/app/pulls/7/reviews', {
      body: { commit_id: HEAD, event: 'COMMENT', body: 'Diffwise found 2 problems', comments: [{ path: 'src/a.ts', line: 10, body: 'one' }, { path: 'src/a.ts', start_line: 11, line: 12, body: 'two' }] },
    });
    assert.equal(review.status, 200);
    assert.deepEqual([review.body.state, review.body.body, review.body.commit_id], ['COMMENTED', 'Diffwise found 2 problems', HEAD]);
    const listed = await call('GET', '/repos/acme/app/pulls/7/comments');
    assert.deepEqual(listed.body.map((c: any) => [c.body, c.line, c.start_line, c.start_side, c.pull_request_review_id]), [
      ['one', 10, null, null, review.body.id],
      ['two', 12, 11, 'RIGHT', review.body.id],
    ]);
    const reviews = await call('GET', '/repos/acme/app/pulls/7/reviews');
    assert.deepEqual(reviews.body.map((r: any) => [r.id, r.state, r.user.login]), [[review.body.id, 'COMMENTED', gh.login]]);

    const outside = await call('POST', '/repos/acme/app/pulls/7/reviews', { body: { event: 'COMMENT', comments: [{ path: 'src/a.ts', line: 10, body: 'fine' }, { path: 'src/a.ts', line: 40, body: 'bad' }] } });
    assert.equal(outside.status, 422);
    assert.equal(outside.body.message, 'Unprocessable Entity');
    assert.match(outside.body.errors[0], /line must be part of the diff/);
    const unknownPath = await call('POST', '/repos/acme/app/pulls/7/reviews', { body: { event: 'COMMENT', comments: [{ path: 'src/b.ts', line: 1, body: 'x' }] } });
    assert.match(unknownPath.body.errors[0], /path is invalid/);
    assert.equal(gh.posted.reviews.length, 1);
    assert.equal(gh.pull('acme', 'app', 7).comments.length, 2);
  });

  it('lists review threads over GraphQL with cursors, and resolves one', async () => {
    const a = gh.addReviewComment('acme', 'app', 7, { path: 'src/a.ts', line: 10, body: 'a' });
    const aReply = gh.addReviewComment('acme', 'app', 7, { path: 'src/a.ts', line: 10, body: 'a2', inReplyTo: a.id, user: 'alice' });
    const b = gh.addReviewComment('acme', 'app', 7, { path: 'src/a.ts', line: 12, body: 'b', outdated: true });
    gh.resolveThread(b.id, true);

    const page1 = await graphql(THREADS_QUERY, { owner: 'acme', name: 'app', number: 7, first: 1 });
    assert.equal(page1.status, 200);
    assert.equal(page1.headers.get('x-ratelimit-resource'), 'graphql');
    const threads1 = page1.body.data.repository.pullRequest.reviewThreads;
    assert.equal(threads1.totalCount, 2);
    assert.equal(threads1.pageInfo.hasNextPage, true);
    assert.deepEqual(threads1.nodes, [{ id: a.threadId, isResolved: false, isOutdated: false, path: 'src/a.ts', line: 10, comments: { totalCount: 2, nodes: [{ databaseId: a.id }, { databaseId: aReply.id }] } }]);
    const page2 = await graphql(THREADS_QUERY, { owner: 'acme', name: 'app', number: 7, first: 1, after: threads1.pageInfo.endCursor });
    const threads2 = page2.body.data.repository.pullRequest.reviewThreads;
    assert.deepEqual(threads2.nodes.map((t: any) => [t.id, t.isResolved, t.isOutdated, t.line]), [[b.threadId, true, true, null]]);
    assert.equal(threads2.pageInfo.hasNextPage, false);

    const resolved = await graphql(RESOLVE, { threadId: a.threadId });
    assert.deepEqual(resolved.body, { data: { resolveReviewThread: { thread: { id: a.threadId, isResolved: true } } } });
    assert.equal(gh.thread(a.threadId).isResolved, true);
    assert.deepEqual(gh.posted.resolutions, [{ threadId: a.threadId, resolved: true }]);

    const unknown = await graphql(RESOLVE, { threadId: 'PRRT_nope' });
    assert.equal(unknown.body.data.resolveReviewThread, null);
    assert.equal(unknown.body.errors[0].type, 'NOT_FOUND');
    const badField = await graphql('query { repository(owner: "acme", name: "app") { pullRequest(number: 7) { reviewThreads(first: 5) { nodes { bogus } } } } }', {});
    assert.match(badField.body.errors[0].message, /Field 'bogus' doesn't exist on type 'PullRequestReviewThread'/);
    const noRepo = await graphql(THREADS_QUERY, { owner: 'acme', name: 'nope', number: 7, first: 5 });
    assert.deepEqual([noRepo.body.data.repository, noRepo.body.errors[0].type], [null, 'NOT_FOUND']);
    assert.equal((await graphql(THREADS_QUERY, { owner: 'acme', name: 'app', number: 7, first: 5 }, 'ghp_wrong')).status, 401);
  });
});

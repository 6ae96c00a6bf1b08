/**
 * What each GitHub delivery means to the server (githubEvents.ts planDelivery): which
 * pull_request actions queue a review, a draft only recorded, a close recorded, the
 * `/diffwise review` command honoured for collaborators only, anything else ignored with
 * a reason, and a payload missing what we read refused as malformed.
 */
import * as assert from 'node:assert/strict';
import { isReviewCommand, planDelivery } from '../../../server/service/http/githubEvents';
import { issueCommentPayload, pullRequestPayload } from '../../helpers/webhookSender';

const head = 'b'.repeat(40);

describe('service: GitHub delivery plans', () => {
  for (const action of ['opened', 'synchronize', 'reopened', 'ready_for_review']) {
    it(`pull_request ${action} queues a review of its head`, () => {
      const plan = planDelivery('pull_request', pullRequestPayload({ action, repository: 'acme/app', number: 7, headSha: head, updatedAt: '2026-12-01T10:00:00Z', cloneUrl: 'file:///tmp/x' }));
      assert.equal(plan.kind, 'review');
      if (plan.kind !== 'review') return;
      assert.equal(plan.reason, action);
      assert.deepEqual(plan.summary, { action, repository: 'acme/app', pullNumber: 7 });
      assert.equal(plan.event.headSha, head);
      assert.equal(plan.event.headRef, 'feature-7');
      assert.equal(plan.event.baseRef, 'main');
      assert.equal(plan.event.cloneUrl, 'file:///tmp/x');
      assert.equal(plan.event.installationId, 4242);
      assert.equal(plan.event.eventAt, '2026-12-01T10:00:00Z');
      assert.equal(plan.event.draft, false);
      assert.equal(plan.event.state, 'open');
    });
  }

  it('a draft opened or pushed to is recorded, not reviewed', () => {
    for (const action of ['opened', 'synchronize']) {
      const plan = planDelivery('pull_request', pullRequestPayload({ action, repository: 'acme/app', number: 7, headSha: head, draft: true }));
      assert.equal(plan.kind, 'track');
      if (plan.kind === 'track') assert.equal(plan.event.draft, true);
    }
  });

  it('closed records the state; other actions are ignored with a reason', () => {
    const closed = planDelivery('pull_request', pullRequestPayload({ action: 'closed', repository: 'acme/app', number: 7, headSha: head }));
    assert.deepEqual(closed, { kind: 'close', summary: { action: 'closed', repository: 'acme/app', pullNumber: 7 }, repository: 'acme/app', number: 7 });
    const labeled = planDelivery('pull_request', pullRequestPayload({ action: 'labeled', repository: 'acme/app', number: 7, headSha: head }));
    assert.equal(labeled.kind, 'ignore');
    if (labeled.kind === 'ignore') assert.match(labeled.reason, /labeled/);
  });

  it('the simple mode has no installation', () => {
    const plan = planDelivery('pull_request', pullRequestPayload({ action: 'opened', repository: 'acme/app', number: 7, headSha: head, installationId: null }));
    assert.equal(plan.kind === 'review' && plan.event.installationId, null);
  });

  it('/diffwise review from a collaborator queues a review without a head', () => {
    for (const authorAssociation of ['OWNER', 'MEMBER', 'COLLABORATOR']) {
      const plan = planDelivery('issue_comment', issueCommentPayload({ repository: 'acme/app', number: 3, body: '  /Diffwise Review  \nplease', authorAssociation }));
      assert.equal(plan.kind, 'review');
      if (plan.kind !== 'review') return;
      assert.equal(plan.reason, 'command');
      assert.equal(plan.event.headSha, undefined);
      assert.equal(plan.event.number, 3);
    }
  });

  it('the command from anyone else, on an issue, edited, or another comment is ignored with why', () => {
    const cases: Array<[Parameters<typeof issueCommentPayload>[0], RegExp]> = [
      [{ repository: 'acme/app', number: 3, body: '/diffwise review', authorAssociation: 'NONE' }, /only an owner, member or collaborator/],
      [{ repository: 'acme/app', number: 3, body: '/diffwise review', authorAssociation: 'CONTRIBUTOR' }, /contributor/],
      [{ repository: 'acme/app', number: 3, body: '/diffwise review', authorAssociation: 'OWNER', onPullRequest: false }, /not a pull request/],
      [{ repository: 'acme/app', number: 3, body: '/diffwise review', authorAssociation: 'OWNER', action: 'edited' }, /only a new comment/],
      [{ repository: 'acme/app', number: 3, body: 'please /diffwise review', authorAssociation: 'OWNER' }, /not \/diffwise review/],
    ];
    for (const [options, reason] of cases) {
      const plan = planDelivery('issue_comment', issueCommentPayload(options));
      assert.equal(plan.kind, 'ignore', JSON.stringify(options));
      if (plan.kind === 'ignore') assert.match(plan.reason, reason);
    }
  });

  it('other events are ignored, ping included', () => {
    const push = planDelivery('push', { ref: 'refs/heads/main', repository: { full_name: 'acme/app' } });
    assert.deepEqual(push, { kind: 'ignore', summary: { action: null, repository: 'acme/app', pullNumber: null }, reason: 'event push is not one Diffwise acts on' });
    assert.equal(planDelivery('ping', { zen: 'Keep it logically awesome.', hook_id: 1 }).kind, 'ignore');
  });

  it('a payload without what we read is malformed, naming the field', () => {
    const payload = pullRequestPayload({ action: 'opened', repository: 'acme/app', number: 7, headSha: head });
    delete (payload.pull_request as Record<string, unknown>).head;
    const plan = planDelivery('pull_request', payload);
    assert.equal(plan.kind, 'malformed');
    if (plan.kind === 'malformed') assert.match(plan.reason, /pull_request\.head/);
    assert.equal(planDelivery('pull_request', [1, 2]).kind, 'malformed');
    assert.equal(planDelivery('issue_comment', { action: 'created' }).kind, 'malformed');
    assert.equal(planDelivery('push', 'text').kind, 'malformed');
  });

  it('isReviewCommand reads the first line only', () => {
    assert.equal(isReviewCommand('/diffwise review'), true);
    assert.equal(isReviewCommand('/DIFFWISE REVIEW\r\nthanks'), true);
    assert.equal(isReviewCommand('thanks\n/diffwise review'), false);
    assert.equal(isReviewCommand('/diffwise reviewed'), false);
    assert.equal(isReviewCommand(null), false);
  });
});

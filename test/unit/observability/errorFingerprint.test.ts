import { strict as assert } from 'node:assert';
import { errorFingerprint, groupOf, normaliseMessage } from '../../../server/observability/errorFingerprint';

describe('error fingerprints', () => {
  it('one cause, one fingerprint: what varies between occurrences is replaced', () => {
    const cases: Array<[string, string]> = [
      ['unknown base ref: nope', 'unknown base ref: <value>'],
      ['unknown base ref: origin/feature-1234', 'unknown base ref: <value>'],
      ['the LLM endpoint http://127.0.0.1:4321/v1 answered 500 after 3 attempts', 'the LLM endpoint <url> answered <n> after <n> attempts'],
      ['cannot read /home/ana/repo/src/big.ts: too large (12.5MB)', 'cannot read <path>: too large (<n>)'],
      ['commit 3f2a9c1d not found in "origin"', 'commit <id> not found in <text>'],
      ['run 674cb300-8eb2-440c-8933-6e2a4ee8a053 failed', 'run <id> failed'],
      ['connect failed: ECONNREFUSED', 'connect failed: ECONNREFUSED'],
      ['first line\n    at stack (file.js:1:2)', 'first line'],
    ];
    for (const [message, normalised] of cases) assert.equal(normaliseMessage(message), normalised, message);
    assert.equal(normaliseMessage('connect failed: ECONNREFUSED') === normaliseMessage('connect failed: ETIMEDOUT'), false, 'error codes are causes, kept apart');
  });

  it('the fingerprint is stable and tells stage and class apart', () => {
    const message = normaliseMessage('unknown base ref: nope');
    assert.match(errorFingerprint('diff', 'GitError', message), /^[0-9a-f]{12}$/);
    assert.equal(errorFingerprint('diff', 'GitError', message), errorFingerprint('diff', 'GitError', normaliseMessage('unknown base ref: main~40')));
    assert.notEqual(errorFingerprint('diff', 'GitError', message), errorFingerprint('index', 'GitError', message));
    assert.notEqual(errorFingerprint('diff', 'GitError', message), errorFingerprint('diff', 'StoreError', message));
  });

  it('a secret in the message is redacted before it is kept, and does not split the group', () => {
    const token = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;
    const other = `ghp_${'z9Y8x7W6v5'.repeat(3)}uvwxyz`;
    const first = groupOf({ stage: 'pr', errorClass: 'GitHubError', message: `GitHub refused the token ${token} (401)` }, {});
    const second = groupOf({ stage: 'pr', errorClass: 'GitHubError', message: `GitHub refused the token ${other} (401)` }, {});
    assert.ok(!first.example.includes(token) && !first.message.includes(token), JSON.stringify(first));
    assert.equal(first.fingerprint, second.fingerprint);
    const key = groupOf({ stage: 'llm', errorClass: 'LlmError', message: 'the endpoint refused local-key-0123456789' }, { DIFFWISE_LLM_API_KEY: 'local-key-0123456789' });
    assert.ok(!key.example.includes('local-key-0123456789'), key.example);
  });
});

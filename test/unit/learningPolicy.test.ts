import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LEARNING_DEFAULTS } from '../../shared/feedback';
import type { Finding } from '../../shared/review';
import { preferenceExamples } from '../../server/learning/examples';
import { codeFingerprint, fingerprint } from '../../server/learning/fingerprints';
import { applyLearning, currentVotes, ruleVerdicts, wilsonInterval, withVote, type StoredVote } from '../../server/learning/policy';
import { loadLearningSettings } from '../../server/learning/settings';
import { findingSimilarity, textSimilarity } from '../../server/learning/similarity';

let clock = 0;
function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: `id${clock++}`, ruleId: 'debug-leftover', source: 'static', severity: 'warning', file: 'src/a.ts', line: 1, endLine: 1,
    message: '`debugger` statement added', suggestion: null, symbol: null, related: [], ...overrides,
  };
}

function voteOn(target: Finding, kind: StoredVote['vote'], code = 'debugger;', overrides: Partial<StoredVote> = {}): StoredVote {
  const at = new Date(Date.UTC(2026, 10, 1, 0, 0, clock++)).toISOString();
  return {
    id: `v${clock}`, findingId: target.id, vote: kind, reason: null, ruleId: target.ruleId, category: target.ruleId.replace(/^llm\//, ''),
    source: target.source, severity: target.severity, file: target.file, line: target.line, message: target.message, code,
    codeFingerprint: codeFingerprint(code), messageFingerprint: 'm', createdAt: at, origin: 'local', ...overrides,
  };
}

const item = (target: Finding, code = 'debugger;') => fingerprint(target, `${code}\n`);

describe('learning policy', () => {
  it('computes the Wilson interval', () => {
    const none = wilsonInterval(0, 0);
    assert.deepEqual(none, { lower: 0, upper: 1 });
    const zeroOfThree = wilsonInterval(0, 3);
    assert.equal(zeroOfThree.lower, 0);
    assert.ok(Math.abs(zeroOfThree.upper - 0.5615) < 0.001, String(zeroOfThree.upper));
    const zeroOfNine = wilsonInterval(0, 9);
    assert.ok(zeroOfNine.upper < 0.3 && zeroOfNine.upper > 0.29, String(zeroOfNine.upper));
    const half = wilsonInterval(5, 10);
    assert.ok(Math.abs(half.lower + half.upper - 1) < 1e-9, 'symmetric around one half');
  });

  it('counts the latest vote per finding; clear withdraws it', () => {
    const target = finding();
    const votes = currentVotes([voteOn(target, 'down'), voteOn(target, 'up')]);
    assert.deepEqual(votes.map((vote) => vote.vote), ['up']);
    assert.deepEqual(currentVotes([voteOn(target, 'down'), voteOn(target, 'clear')]), []);
  });

  it('demotes after minVotes mostly down, suppresses on strong evidence, never suppresses secrets wholesale', () => {
    const downs = (rule: string, n: number, ups = 0) => [
      ...Array.from({ length: n }, () => voteOn(finding({ ruleId: rule }), 'down')),
      ...Array.from({ length: ups }, () => voteOn(finding({ ruleId: rule }), 'up')),
    ];
    const verdict = (votes: StoredVote[], rule: string) => ruleVerdicts(votes, LEARNING_DEFAULTS).get(rule)?.action;
    assert.equal(verdict(downs('r', 2), 'r'), null, 'two votes are not enough');
    assert.equal(verdict(downs('r', 2, 1), 'r'), 'demote', '1 of 3 helpful');
    assert.equal(verdict(downs('r', 8), 'r'), 'demote', '0 of 8: upper bound 0.32, not yet below 0.3');
    assert.equal(verdict(downs('r', 9), 'r'), 'suppress', '0 of 9: upper bound 0.30');
    assert.equal(verdict(downs('r', 9, 9), 'r'), null, 'up votes restore it');
    assert.equal(verdict(downs('secret', 20), 'secret'), 'demote');
    assert.equal(ruleVerdicts(downs('r', 9), { ...LEARNING_DEFAULTS, enabled: false }).get('r')?.action, null);
  });

  it('suppresses a finding voted down, keeps one voted up whatever its rule\'s record, and marks every change', () => {
    const rejected = finding();
    const accepted = finding({ line: 2 });
    const other = finding({ line: 3, severity: 'error' });
    const record = [voteOn(rejected, 'down', 'debugger;', { reason: 'intended' }), voteOn(finding(), 'down'), voteOn(finding(), 'down'), voteOn(accepted, 'up')];
    const outcome = applyLearning([item(rejected), item(accepted), item(other)], currentVotes(record), LEARNING_DEFAULTS);
    const [a, b, c] = outcome.findings;
    assert.deepEqual([a.suppressed, a.learned, a.vote], [true, 'suppressed', 'down']);
    assert.match(a.learnedReason!, /^voted down at this code on 2026-11-01: intended$/);
    assert.deepEqual([b.suppressed, b.learned, b.vote, b.severity], [undefined, undefined, 'up', 'warning']);
    // 1 of 4 helpful: below one half, demoted one step.
    assert.deepEqual([c.severity, c.originalSeverity, c.learned], ['warning', 'error', 'demoted']);
    assert.match(c.learnedReason!, /1 of 4 votes on debug-leftover found it helpful: demoted from error/);
    assert.deepEqual([outcome.suppressed, outcome.demoted], [1, 1]);
  });

  it('suppresses an LLM finding close to one voted down unless it is closer to one voted up', () => {
    const llm = (message: string, line = 1) => finding({ ruleId: 'llm/maintainability', source: 'llm', message, line });
    const old = llm('The magic number 1.2 should be a named constant.');
    const liked = llm('This loop allocates a new array on every iteration.');
    const votes = currentVotes([voteOn(old, 'down', 'return total * 1.2;'), voteOn(liked, 'up', 'for (const x of xs) out = [...out, x];')]);
    const reworded = item(llm('Magic number 1.25 should be a named constant.'), 'return total * 1.25;');
    const different = item(llm('The loop allocates a new array on each iteration.'), 'for (const y of ys) all = [...all, y];');
    const unrelated = item(llm('Division by zero when the list is empty.'), 'return total / items.length;');
    const [a, b, c] = applyLearning([reworded, different, unrelated], votes, LEARNING_DEFAULTS).findings;
    assert.equal(a.suppressed, true);
    assert.match(a.learnedReason!, /^close \(\d+%\) to a finding voted down here: "The magic number 1\.2 should be a named constant\."$/);
    assert.equal(b.suppressed, undefined, 'closer to an accepted one');
    assert.equal(c.suppressed, undefined);
    assert.equal(applyLearning([reworded], votes, { ...LEARNING_DEFAULTS, similarity: 0.95 }).findings[0].suppressed, undefined);
    const elsewhere = item({ ...llm('Magic number 1.25 should be a named constant.'), file: 'src/other.ts' }, 'return total * 1.25;');
    assert.equal(applyLearning([elsewhere], votes, LEARNING_DEFAULTS).findings[0].suppressed, undefined, 'only votes in the same file count');
  });

  it('applies only the votes themselves when learning is off', () => {
    const rejected = finding();
    const votes = currentVotes([voteOn(rejected, 'down'), voteOn(finding(), 'down'), voteOn(finding(), 'down')]);
    const [a, b] = applyLearning([item(rejected), item(finding())], votes, { ...LEARNING_DEFAULTS, enabled: false }).findings;
    assert.equal(a.suppressed, true);
    assert.equal(b.learned, undefined);
  });

  it('withVote: down suppresses, up undoes learning, clear withdraws a suppression the vote caused', () => {
    const demoted: Finding = { ...finding({ severity: 'info' }), originalSeverity: 'warning', learned: 'demoted', learnedReason: 'x' };
    const down = withVote(demoted, { vote: 'down', reason: null, createdAt: '2026-11-02T00:00:00Z' });
    assert.deepEqual([down.suppressed, down.severity, down.originalSeverity], [true, 'warning', undefined]);
    const up = withVote(demoted, { vote: 'up', reason: null, createdAt: '2026-11-02T00:00:00Z' });
    assert.deepEqual([up.severity, up.learned, up.vote], ['warning', undefined, 'up']);
    const cleared = withVote(down, { vote: 'clear', reason: null, createdAt: '2026-11-02T00:00:00Z' });
    assert.deepEqual([cleared.suppressed, cleared.vote], [undefined, undefined]);
  });

  it('fingerprints ignore whitespace; similarity is 1 for the same text and low for unrelated text', () => {
    assert.equal(codeFingerprint('a  =\n b;'), codeFingerprint('a = b;'));
    assert.equal(fingerprint(finding({ line: 2, endLine: 2 }), 'x\n   debugger;  \n').code, 'debugger;');
    assert.equal(fingerprint(finding({ line: 9, endLine: 9, symbol: 'parse' }), 'x\n').code, 'parse', 'a deleted line falls back to the symbol');
    assert.equal(textSimilarity('Same words here', 'same   words here'), 1);
    assert.ok(textSimilarity('Possible null dereference', 'Magic number should be a constant') < 0.15);
    assert.ok(findingSimilarity({ message: 'a b c', code: 'x' }, { message: 'a b c', code: 'y' }) <= 0.5 + 1e-9);
  });

  it('chooses prompt examples from the same file, then the same folder, never from excluded paths', () => {
    const llmVote = (file: string, kind: 'up' | 'down', message: string) =>
      voteOn(finding({ ruleId: 'llm/bug', source: 'llm', file, message }), kind, 'code();', { reason: kind === 'down' ? 'by design' : null });
    const votes = [
      llmVote('src/a.ts', 'down', 'same file'), llmVote('src/b.ts', 'up', 'same folder'), llmVote('lib/c.ts', 'down', 'elsewhere'),
      llmVote('src/.env', 'down', 'excluded'), voteOn(finding({ file: 'src/a.ts' }), 'down'),
    ];
    const text = preferenceExamples('src/a.ts', votes, 4, (file) => file.endsWith('.env'));
    assert.deepEqual(text.split('\n').map((line) => /"([^"]+)"/.exec(line)![1]), ['same file', 'same folder']);
    assert.match(text, /^- Rejected \(do not report findings like this\): \[bug\] "same file" on `code\(\);` in src\/a\.ts\. Reason: by design$/m);
    assert.equal(preferenceExamples('src/a.ts', votes, 0, () => false), '');
  });

  it('reads thresholds from .diffwise/config.json under the editor\'s settings, and rejects bad ones', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'learning-settings-'));
    assert.deepEqual(loadLearningSettings(root), LEARNING_DEFAULTS);
    fs.mkdirSync(path.join(root, '.diffwise'));
    fs.writeFileSync(path.join(root, '.diffwise', 'config.json'), JSON.stringify({ llm: { model: 'm' }, learning: { minVotes: 5, similarity: 0.8 } }));
    assert.deepEqual(loadLearningSettings(root, { minVotes: 2, demoteBelow: undefined }), { ...LEARNING_DEFAULTS, minVotes: 2, similarity: 0.8 });
    fs.writeFileSync(path.join(root, '.diffwise', 'config.json'), JSON.stringify({ learning: { suppressBelow: 3 } }));
    assert.throws(() => loadLearningSettings(root), /Invalid .*config\.json: learning\.suppressBelow/);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

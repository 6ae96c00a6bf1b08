/**
 * What an editor gets for a finding: the diagnostic's range (the code, or the
 * whole lines up to their real end), the rule page's link, and a hover that adds
 * to the diagnostic instead of repeating it.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../../../shared/review';
import { toDiagnostic } from '../../../server/lsp/diagnostics';
import { codeActionsFor, hoverFor } from '../../../server/lsp/findingActions';

const finding = (extra: Partial<Finding> = {}): Finding => ({
  id: 'abc123', ruleId: 'debug-leftover', source: 'static', severity: 'warning', file: 'src/a.ts', line: 2, endLine: 2,
  message: 'console.log left in', suggestion: '', symbol: null, related: [{ file: 'src/b.ts', line: 4, message: 'called here' }], ...extra,
});

describe('diagnostics and hovers for findings', () => {
  it('covers the code when the finding has columns, else its lines to their real end', () => {
    assert.deepEqual(toDiagnostic('/repo', finding({ column: 3, endColumn: 17 })).range, { start: { line: 1, character: 2 }, end: { line: 1, character: 16 } });
    assert.deepEqual(toDiagnostic('/repo', finding(), (line) => (line === 1 ? 21 : undefined)).range, { start: { line: 1, character: 0 }, end: { line: 1, character: 21 } });
  });

  it('links the rule\'s page shipped in docs/rules, with a rule id\'s / as -', () => {
    const page = (name: string) => pathToFileURL(path.resolve(__dirname, '../../../docs/rules', name)).toString();
    assert.deepEqual(toDiagnostic('/repo', finding()).codeDescription, { href: page('debug-leftover.md') });
    assert.deepEqual(toDiagnostic('/repo', finding({ ruleId: 'llm/bug' })).codeDescription, { href: page('llm-bug.md') });
    assert.equal(toDiagnostic('/repo', finding({ ruleId: 'no-such-rule' })).codeDescription, undefined);
  });

  it('hovers with the actions first, the related places and the learned reason, never the message', () => {
    const hover = hoverFor('/repo', { line: 1, character: 5 }, [finding({ column: 3, endColumn: 17, learned: 'demoted', learnedReason: '1 of 4 votes found it helpful' })]);
    const text = (hover!.contents as { value: string }).value;
    const [first] = text.split('\n');
    assert.match(first, /^\*\*Diffwise · debug-leftover\*\*: \[Helpful\]\(command:diffwise\.voteFinding\?.*\[Not helpful\]\(command:diffwise\.voteFinding\?.*\[Ignore\]\(command:diffwise\.ignoreFinding\?/);
    assert.ok(!text.includes('console.log left in'), text);
    assert.match(text, /_1 of 4 votes found it helpful_/);
    assert.match(text, /\[src\/b\.ts:4\]\(file:\/\/\/repo\/src\/b\.ts#L4\) called here/);
    assert.ok(!/\p{Extended_Pictographic}/u.test(text), text);
    assert.equal(hoverFor('/repo', { line: 1, character: 1 }, [finding({ column: 3, endColumn: 17 })]), null, 'outside the code');
  });

  it('titles its quick fixes in words, and removes the finding\'s whole lines', () => {
    const placed = finding({ line: 3, endLine: 4, column: 3, endColumn: 9 });
    const diagnostic = toDiagnostic('/repo', placed);
    const actions = codeActionsFor('file:///repo/src/a.ts', [diagnostic], new Map([[placed.id, placed]]));
    assert.deepEqual(actions.map((action) => action.title), ['Remove the line (debug-leftover)', 'Helpful (debug-leftover)', 'Not helpful… (debug-leftover)', 'Ignore this finding (debug-leftover)']);
    assert.deepEqual(actions[0].edit?.changes?.['file:///repo/src/a.ts'], [{ range: { start: { line: 2, character: 0 }, end: { line: 4, character: 0 } }, newText: '' }]);
  });
});

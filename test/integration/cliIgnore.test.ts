/**
 * Ignoring is reversible, from any front end, on a real repository and its
 * real database: a finding ignored (as the editor's "Ignore this finding"
 * does) leaves the review, `--show-suppressed` lists it marked ignored,
 * `diffwise ignored` lists it, `diffwise unignore` brings it back. And the CLI
 * prints precise places: `line:column` in text, the columns in JSON and SARIF.
 */
import * as assert from 'node:assert/strict';
import type { ReviewDocument } from '../../shared/review';
import type { IgnoredFinding } from '../../server/store/ignoreStore';
import { Workspace } from '../../server/workspace';
import { runCli, runCliJson } from '../helpers/cli';
import { cleanupRepos, commitAll, featureBranchRepo, makeRepo, write } from '../helpers/gitRepo';

const APP = ['export function total(values: number[]): number {', '  return values.length;', '}', ''].join('\n');
const WITH_LEFTOVER = ['export function total(values: number[]): number {', '  const note = "größe 😀"; console.log(note, values);', '  return values.length;', '}', ''].join('\n');

function repoWithLeftover(): string {
  const repo = makeRepo();
  write(repo, 'src/app.ts', APP);
  commitAll(repo, 'initial');
  write(repo, 'src/app.ts', WITH_LEFTOVER);
  return repo;
}

describe('ignore and unignore (CLI and core on real repositories)', () => {
  after(cleanupRepos);

  it('diffwise ignore → left out → --show-suppressed lists it ignored → diffwise ignored → unignore → reported again', async () => {
    const repo = repoWithLeftover();
    const first = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json']);
    assert.equal(first.json.findings.length, 1, first.stderr);
    const [finding] = first.json.findings;
    assert.equal(finding.ruleId, 'debug-leftover');

    // From the terminal, by the short id the text report shows (the editor's "Ignore this finding" calls the same core).
    const ignoring = runCli(repo, ['ignore', finding.id.slice(0, 8)]);
    assert.equal(ignoring.code, 0, ignoring.stderr);
    assert.equal(ignoring.stdout, `${finding.id.slice(0, 8)} (debug-leftover, src/app.ts:2): ignored; diffwise unignore ${finding.id.slice(0, 8)} reports it again\n`);

    const hidden = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json']);
    assert.deepEqual(hidden.json.findings, []);
    const shown = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--show-suppressed']);
    assert.equal(shown.json.findings.length, 1);
    assert.equal(shown.json.findings[0].id, finding.id);
    assert.equal(shown.json.findings[0].ignored, true);
    assert.equal(shown.json.findings[0].suppressed, true);
    // An ignore is the user's choice, not something learning suppressed.
    assert.deepEqual(shown.json.run.learning, { suppressed: 0, demoted: 0 });

    const text = runCli(repo, ['review', '--show-suppressed']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`ignored: diffwise unignore ${finding.id.slice(0, 8)} reports it again`));
    assert.match(text.stdout, /Ignored: 1 finding \(listed above\)/);
    assert.match(text.stdout, /No problems found/);

    const sarif = runCliJson<{ runs: Array<{ results: Array<{ suppressions?: Array<{ justification: string }> }> }> }>(repo, ['review', '--format', 'sarif', '--show-suppressed']);
    assert.match(sarif.json.runs[0].results[0].suppressions![0].justification, /ignored by the user/);

    const listed = runCliJson<IgnoredFinding[]>(repo, ['ignored', '--json']);
    assert.deepEqual(listed.json.map(({ id, ruleId, file }) => ({ id, ruleId, file })), [{ id: finding.id, ruleId: 'debug-leftover', file: 'src/app.ts' }]);
    assert.match(listed.json[0].ignoredAt, /^\d{4}-\d\d-\d\dT/);
    const listedText = runCli(repo, ['ignored']);
    assert.match(listedText.stdout, new RegExp(`^${finding.id.slice(0, 8)}  \\d{4}-\\d\\d-\\d\\d  debug-leftover  src/app.ts$`, 'm'));
    assert.match(listedText.stdout, /1 ignored finding; diffwise unignore ID/);

    const unignored = runCli(repo, ['unignore', finding.id.slice(0, 8)]);
    assert.equal(unignored.code, 0, unignored.stderr);
    assert.equal(unignored.stdout, `${finding.id.slice(0, 8)} (debug-leftover, src/app.ts): no longer ignored; the next review reports it again\n`);

    const again = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json']);
    assert.deepEqual(again.json.findings.map((f) => [f.id, f.ignored, f.suppressed]), [[finding.id, undefined, undefined]]);
    assert.match(runCli(repo, ['ignored']).stdout, /^No finding is ignored/);
  });

  it('ignore and unignore: clear errors for an unknown id and a missing one; the core says false', async () => {
    const repo = repoWithLeftover();
    const unknown = runCli(repo, ['unignore', 'deadbeef']);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'diffwise: no ignored finding has the id deadbeef (diffwise ignored lists them)\n');
    assert.match(runCli(repo, ['ignore', 'abcdef12']).stderr, /no finding abcdef12 in the recent reviews; run a review first/);
    assert.match(runCli(repo, ['ignore', 'zz']).stderr, /"zz" is not a finding id/);
    const missing = runCli(repo, ['unignore']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /which finding\? diffwise unignore ID/);
    assert.match(runCli(repo, ['unignore', 'a', 'b']).stderr, /unexpected argument: b/);
    assert.match(runCli(repo, ['--help']).stdout, /unignore ID {9}Report an ignored finding again/);

    const workspace = await Workspace.open({ dir: repo });
    try {
      assert.equal(workspace.unignoreFinding('0123456789abcdef'), false);
      workspace.ignoreFinding({ id: '0123456789abcdef', ruleId: 'secret', file: 'a.ts', message: 'm' });
      workspace.ignoreFinding({ id: '0123ffffffffffff', ruleId: 'secret', file: 'b.ts', message: 'm' });
      assert.throws(() => workspace.unignoreFinding('0123'), /names 2 ignored findings/);
      assert.equal(workspace.unignoreFinding('0123456789abcdef'), true);
      assert.equal(workspace.unignoreFinding('0123456789abcdef'), false);
      assert.deepEqual(workspace.ignoredFindings().map((f) => f.id), ['0123ffffffffffff']);
    } finally {
      workspace.close();
    }
  });

  it('prints precise places: line:column in text; columns in JSON and SARIF; a broken call site\'s call', () => {
    const repo = featureBranchRepo({
      'src/api.ts': 'export function parse(input: string): number {\n  return input.length;\n}\n',
      'src/main.ts': "import { parse } from './api';\n\nexport const n = /* ü */ parse('a') + 1;\n",
    }, {
      'src/api.ts': 'export function parse(input: string, radix: number): number {\n  console.log("ü", input);\n  return input.length * radix;\n}\n',
    });

    const { json, stderr } = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json']);
    const breaking = json.findings.find((f) => f.ruleId === 'breaking-change');
    const leftover = json.findings.find((f) => f.ruleId === 'debug-leftover');
    assert.ok(breaking && leftover, stderr);
    // `radix`, the parameter the change added, on the declaration line.
    assert.deepEqual([breaking.line, breaking.column, breaking.endColumn], [1, 38, 43]);
    assert.deepEqual([leftover.line, leftover.column, leftover.endColumn], [2, 3, 26]);
    // The call that no longer compiles: `parse('a')`, after a comment with a non-ASCII letter.
    assert.deepEqual(breaking.related.map((r) => [r.file, r.line, r.column, r.endColumn]), [['src/main.ts', 3, 26, 36]]);

    const text = runCli(repo, ['review', '--base', 'main']);
    assert.match(text.stdout, /^ {3}1:38 {2}error {4}Breaking change: /m);
    assert.match(text.stdout, /^ {4}2:3 {2}warning {2}`console\.log` call added/m);
    assert.match(text.stdout, /↳ src\/main\.ts:3:26 {2}no longer compiles/);

    const sarif = runCliJson<{ runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: object } }> }> }> }>(repo, ['review', '--base', 'main', '--format', 'sarif']);
    const region = sarif.json.runs[0].results.find((r) => r.ruleId === 'debug-leftover')!.locations[0].physicalLocation.region;
    assert.deepEqual(region, { startLine: 2, endLine: 2, startColumn: 3, endColumn: 26 });
  });

  it('Python: a new required parameter is underlined on the declaration line, and the call left behind in related', () => {
    const repo = featureBranchRepo({
      'shop/__init__.py': '',
      'shop/cart.py': 'def total(items):\n    return sum(items)\n',
      'app.py': 'from shop.cart import total\n\nprint_me = total([1])\n',
    }, {
      'shop/cart.py': '# ü\ndef total(items, discount):\n    return sum(items) - discount\n',
    });
    const { json, stderr } = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json']);
    const [breaking] = json.findings;
    assert.ok(breaking, stderr);
    assert.match(breaking.message, /new required parameter `discount`/);
    assert.deepEqual([breaking.line, breaking.column, breaking.endColumn], [2, 18, 26]);
    // The call left behind, `total([1])`, from the tree-sitter tree of the dependent.
    assert.deepEqual(breaking.related.map((r) => [r.file, r.line, r.column, r.endColumn]), [['app.py', 3, 12, 22]]);
  });
});

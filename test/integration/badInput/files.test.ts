/**
 * The bad-input suite, the changed files: nothing is skipped in silence. A file
 * a rule cannot read (binary, over a size limit, a name that is not UTF-8, a
 * conflict in --staged, a syntax error) is still checked by the line rules or
 * listed in `run.skipped` with its reason, in JSON, text and SARIF, and the run
 * is `partial` when a rule could not run on it. Names with newlines, tabs,
 * quotes, control characters and invalid UTF-8 work everywhere.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReviewDocument } from '../../../shared/review';
import { expectNoLeak } from '../../helpers/badInput';
import { runCli, runCliJson, type CliResult } from '../../helpers/cli';
import { cleanupRepos, commitAll, git, makeRepo, write } from '../../helpers/gitRepo';

const SECRET = ['ghp', '_', 'Q7wE4rT1yU8iO5pA2sD9fG6hJ3kL0zX4cV7b'].join('');

function baseRepo(): string {
  const repo = makeRepo();
  write(repo, 'README.md', '# x\n');
  commitAll(repo, 'initial');
  return repo;
}

/** The review in all three formats; each must be clean of JavaScript errors, and the JSON and SARIF parse. */
function reviewAll(repo: string, ...args: string[]): { json: ReviewDocument; text: CliResult; sarif: { runs: Array<{ invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ message: { text: string }; level: string; locations?: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>; results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> } } {
  const base = ['review', '--no-llm', '--fail-on', 'never', ...args];
  const json = runCliJson<ReviewDocument>(repo, [...base, '--format', 'json']);
  const text = runCli(repo, base);
  const sarif = runCli(repo, [...base, '--format', 'sarif']);
  for (const result of [text, sarif]) {
    assert.equal(result.code, 0, result.stderr);
    expectNoLeak(result.stdout);
    expectNoLeak(result.stderr);
  }
  return { json: json.json, text, sarif: JSON.parse(sarif.stdout) };
}

describe('bad input: changed files nothing passes in silence', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('a binary file is listed as skipped (no rule reads it) and the run stays ok', () => {
    const repo = baseRepo();
    write(repo, 'assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]));
    const { json, text, sarif } = reviewAll(repo);
    assert.equal(json.run.status, 'ok');
    assert.deepEqual(json.run.skipped, [{ file: 'assets/logo.png', reason: 'binary', rules: [], detail: 'not reviewed: binary content, which no rule reads' }]);
    assert.match(text.stdout, /skipped: assets\/logo\.png: not reviewed: binary content/);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    assert.ok(notes.some((note) => note.level === 'note' && /assets\/logo\.png: not reviewed: binary/.test(note.message.text)));
  });

  it('a text file over the parse limit is still checked for secrets and conflict markers; the run says which rules did not read it', () => {
    const repo = baseRepo();
    const big = `${'// filler line of generated data\n'.repeat(80_000)}export const token = "${SECRET}";\n<<<<<<< HEAD\n`;
    write(repo, 'data/huge.js', big);
    const { json, text } = reviewAll(repo);
    assert.deepEqual(json.findings.map((finding) => finding.ruleId).sort(), ['conflict-marker', 'secret']);
    const skipped = json.run.skipped.find((entry) => entry.file === 'data/huge.js');
    assert.ok(skipped, JSON.stringify(json.run.skipped));
    assert.equal(skipped.reason, 'too-large');
    assert.deepEqual(skipped.rules, ['debug-leftover'], 'the rule that parses scripts says it did not');
    assert.equal(json.run.status, 'partial');
    assert.match(text.stdout, /skipped: data\/huge\.js: .*only the line rules \(secrets, conflict markers\) read it/);
    assert.ok(!text.stdout.includes(SECRET));
  });

  it('a large data file no parsing rule applies to is line-checked, listed, and leaves the run ok', () => {
    const repo = baseRepo();
    write(repo, 'data/dump.csv', `${'a,b,c,d,e,f,g,h\n'.repeat(200_000)}password,${SECRET}\n`);
    const { json } = reviewAll(repo);
    assert.deepEqual(json.findings.map((finding) => finding.ruleId), ['secret']);
    assert.equal(json.run.skipped[0].reason, 'too-large');
    assert.deepEqual(json.run.skipped[0].rules, []);
    assert.equal(json.run.status, 'ok');
  });

  it('a file over what any rule reads is skipped by every rule, and the run is partial', () => {
    const repo = baseRepo();
    const file = path.join(repo, 'data', 'enormous.txt');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const line = Buffer.from(`${'x'.repeat(1023)}\n`);
    const fd = fs.openSync(file, 'w');
    for (let i = 0; i < 65 * 1024; i++) fs.writeSync(fd, line);
    fs.closeSync(fd);
    const { json, text } = reviewAll(repo);
    assert.equal(json.run.status, 'partial');
    const skipped = json.run.skipped.find((entry) => entry.file === 'data/enormous.txt');
    assert.equal(skipped?.reason, 'too-large');
    assert.deepEqual(skipped?.rules, ['breaking-change', 'secret', 'debug-leftover', 'conflict-marker', 'co-change', 'import-cycle']);
    assert.match(text.stdout, /skipped: data\/enormous\.txt: not reviewed: 65 MB is over the 64 MB that any rule reads/);
    assert.match(text.stdout, /run partial/);
  });

  it('a conflicted file in --staged is listed as conflicted (there is no staged version), the run partial', () => {
    const repo = baseRepo();
    write(repo, 'src/a.js', 'export const a = 1;\n');
    commitAll(repo, 'a');
    git(repo, 'checkout', '-q', '-b', 'other');
    write(repo, 'src/a.js', 'export const a = 2;\n');
    commitAll(repo, 'two');
    git(repo, 'checkout', '-q', 'main');
    write(repo, 'src/a.js', 'export const a = 3;\n');
    commitAll(repo, 'three');
    try {
      git(repo, 'merge', '-q', 'other');
    } catch {
      // the conflict, as wanted
    }
    write(repo, 'src/b.js', `export const token = "${SECRET}";\n`);
    git(repo, 'add', 'src/b.js');
    const { json, text, sarif } = reviewAll(repo, '--staged');
    assert.deepEqual(json.findings.map((finding) => [finding.file, finding.ruleId]), [['src/b.js', 'secret']], 'the rest is still reviewed');
    assert.deepEqual(json.run.skipped.map((entry) => [entry.file, entry.reason]), [['src/a.js', 'conflicted']]);
    assert.equal(json.run.status, 'partial');
    assert.match(text.stdout, /skipped: src\/a\.js: not reviewed: it is unmerged in the index \(a conflict\); resolve it and `git add` it/);
    assert.ok(sarif.runs[0].invocations[0].toolExecutionNotifications.some((note) => note.level === 'warning' && note.locations?.[0].physicalLocation.artifactLocation.uri === 'src/a.js'));
    // In the work tree the conflict markers are there to find.
    const working = runCliJson<ReviewDocument>(repo, ['review', '--no-llm', '--fail-on', 'never', '--format', 'json']).json;
    assert.ok(working.findings.some((finding) => finding.file === 'src/a.js' && finding.ruleId === 'conflict-marker'));
  });

  it('a file that does not parse gives no finding that assumes it parsed, and is named with where it breaks', () => {
    const repo = baseRepo();
    write(repo, 'src/broken.ts', 'export function f( {\n  console.log("x");\n');
    const { json, text } = reviewAll(repo);
    assert.deepEqual(json.findings, []);
    assert.equal(json.run.status, 'partial');
    assert.deepEqual(json.run.skipped.map((entry) => [entry.file, entry.reason, entry.rules]), [['src/broken.ts', 'does-not-parse', ['debug-leftover']]]);
    assert.match(text.stdout, /skipped: src\/broken\.ts: not checked for debugging leftovers: it does not parse \(line \d+: /);
    assert.doesNotMatch(text.stdout, /No problems found \(.*\)\s*$/m, 'a partial run is not an all-clear');
  });

  it('a name that is not valid UTF-8 is listed as such, the report stays one line per file, and SARIF is valid', () => {
    const repo = baseRepo();
    const name = Buffer.concat([Buffer.from(path.join(repo, 'bad-')), Buffer.from([0xff, 0xfe]), Buffer.from('.js')]);
    fs.writeFileSync(name, `export const token = "${SECRET}";\n`);
    const { json, text, sarif } = reviewAll(repo);
    const skipped = json.run.skipped.find((entry) => entry.reason === 'name-not-utf8');
    assert.ok(skipped, JSON.stringify(json.run));
    assert.equal(json.run.status, 'partial');
    const line = text.stdout.split('\n').find((candidate) => candidate.includes('skipped: "bad-'));
    assert.ok(line, text.stdout);
    assert.match(line, /name is not valid UTF-8/);
    assert.ok(sarif.runs[0].invocations[0].toolExecutionNotifications.some((note) => /^bad-%EF%BF%BD/.test(note.locations?.[0].physicalLocation.artifactLocation.uri ?? '')));
  });

  const strangeNames = [
    ['a newline', 'src/new\nline.js'],
    ['a tab', 'src/tab\there.js'],
    ['double quotes', 'src/"quoted".js'],
    ['a backslash', 'src/back\\slash.js'],
    ['a control character', 'src/bell\u0007.js'],
    ['an escape sequence', 'src/\u001b[31mred.js'],
    ['a leading dash', '-rf.js'],
    ['spaces and non-ASCII', 'src/Ünïcödé file ✓.js'],
  ] as const;
  for (const [what, name] of strangeNames) {
    it(`a name with ${what}: the finding has the exact path, the text report keeps it on one line, SARIF encodes it`, () => {
      const repo = baseRepo();
      write(repo, name, 'export const x = 1;\nconsole.log(x);\n');
      const { json, text, sarif } = reviewAll(repo);
      assert.deepEqual(json.findings.map((finding) => [finding.file, finding.ruleId, finding.line]), [[name, 'debug-leftover', 2]]);
      assert.deepEqual(json.run.skipped, []);
      // eslint-disable-next-line no-control-regex -- control characters are the point of these names
      const printed = /[\u0000-\u001f"\\]/.test(name) ? JSON.stringify(name) : name;
      assert.ok(text.stdout.split('\n').includes(printed), `${JSON.stringify(printed)} not on a line of its own:\n${text.stdout}`);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(text.stdout, /\u001b|\u0007/, 'no terminal control characters reach the report');
      const uri = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
      assert.equal(decodeURIComponent(uri), name);
      // eslint-disable-next-line no-control-regex -- a SARIF URI must hold none
      assert.doesNotMatch(uri, /[\s"\\\u0000-\u001f]/);
      // Committed, then reviewed as a branch: git's quoted names in the diff come back exactly.
      git(repo, 'checkout', '-q', '-b', 'feature');
      commitAll(repo, 'strange');
      const branch = runCliJson<ReviewDocument>(repo, ['review', '--no-llm', '--fail-on', 'never', '--format', 'json', '--base', 'main']).json;
      assert.deepEqual(branch.findings.map((finding) => finding.file), [name]);
    });
  }

  it('an empty file, a symlink and a deleted file are reviewed without a skip', () => {
    const repo = baseRepo();
    write(repo, 'src/gone.js', 'export const g = 1;\n');
    commitAll(repo, 'gone');
    fs.rmSync(path.join(repo, 'src/gone.js'));
    write(repo, 'src/empty.js', '');
    fs.symlinkSync('../README.md', path.join(repo, 'src/link.md'));
    const { json } = reviewAll(repo);
    assert.deepEqual(json.run.skipped, []);
    assert.equal(json.run.status, 'ok');
  });

  it('text that is not UTF-8 (Latin-1) is still line-checked', () => {
    const repo = baseRepo();
    write(repo, 'config/legacy.ini', Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(`\npassword = ${SECRET}\n`)]));
    const { json } = reviewAll(repo);
    assert.deepEqual(json.findings.map((finding) => [finding.ruleId, finding.line]), [['secret', 2]]);
  });

  it('CRLF line endings and a byte-order mark change nothing', () => {
    const repo = baseRepo();
    write(repo, 'src/win.js', '\ufeffexport const w = 1;\r\nconsole.log(w);\r\n');
    const { json } = reviewAll(repo);
    assert.deepEqual(json.findings.map((finding) => [finding.ruleId, finding.line]), [['debug-leftover', 2]]);
    assert.deepEqual(json.run.skipped, []);
  });
});

/**
 * The bad-input suite, the command line: every mistake a user can type, and
 * the files they can get wrong (a team file, the config), end in one line with
 * exit code 2, or in a partial run that still delivers the static findings;
 * never a stack trace unless DIFFWISE_DEBUG asks for one.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FeedbackRecord } from '../../../shared/feedback';
import type { ReviewDocument } from '../../../shared/review';
import { expectNoLeak, expectOneLineFailure, treeFingerprint } from '../../helpers/badInput';
import { CLI, runCli, runCliJson } from '../../helpers/cli';
import { cleanupRepos, commitAll, gitEnv, makeRepo, makeTempDir, write } from '../../helpers/gitRepo';

function repoWithLeftover(): string {
  const repo = makeRepo();
  write(repo, 'src/app.js', 'export const a = 1;\n');
  commitAll(repo, 'initial');
  write(repo, 'src/app.js', 'export const a = 1;\nconsole.log(a);\n');
  return repo;
}

describe('bad input: the command line', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  const usage: Array<[string[], RegExp]> = [
    [['frobnicate'], /^diffwise: unknown command: frobnicate \(see diffwise --help\)$/],
    [['review', '--frob'], /Unknown option '--frob' \(see diffwise --help\)$/],
    [['review', '--list'], /--list does not apply to "diffwise review"/],
    [['review', '--format', 'xml'], /--format must be one of text, json, sarif \(got xml\)/],
    [['review', '--fail-on', 'fatal'], /--fail-on must be one of error, warning, info, never \(got fatal\)/],
    [['review', '--base', ''], /--base needs a ref/],
    [['review', '--staged', '--working'], /choose one of --working, --staged or --base/],
    [['review', '--since-last'], /--since-last goes with --base REF/],
    [['review', '--repo', ''], /--repo needs a folder/],
    [['metrics', '--since', 'soon'], /--since takes a duration such as 30m, 24h, 7d or 2w \(got soon\)/],
    [['feedback'], /which finding\?/],
    [['feedback', 'abc123', '--up', '--down'], /give exactly one of --up, --down or --clear/],
    [['feedback', '--list', 'abc123'], /--list takes no finding id or vote/],
    [['learned', 'sideways'], /diffwise learned takes export \[FILE\] or import \[FILE\] \(got sideways\)/],
    [['pr', 'merge'], /diffwise pr takes sync, comments or publish \(got merge\)/],
    [['serve'], /diffwise serve speaks LSP over stdio only: run diffwise serve --stdio/],
    [['index', 'extra'], /unexpected argument: extra/],
  ];
  for (const [args, message] of usage) {
    it(`diffwise ${args.map((arg) => (arg === '' ? '""' : arg)).join(' ')}: a usage error in one line`, () => {
      const repo = repoWithLeftover();
      const tree = treeFingerprint(repo);
      expectOneLineFailure(runCli(repo, args), { code: 2, message });
      assert.equal(treeFingerprint(repo), tree, 'nothing written');
    });
  }

  it('--repo that does not exist, or is a file: one line', () => {
    const dir = makeTempDir();
    expectOneLineFailure(runCli(dir, ['review', '--repo', path.join(dir, 'nowhere')]), { code: 2, message: /no such directory: .*nowhere/ });
    fs.writeFileSync(path.join(dir, 'file.txt'), 'x');
    expectOneLineFailure(runCli(dir, ['review', '--repo', path.join(dir, 'file.txt')]), { code: 2, message: /not a directory: .*file\.txt/ });
  });

  it('started in a folder that no longer exists: one line', async () => {
    const dir = makeTempDir();
    const gone = path.join(dir, 'gone');
    fs.mkdirSync(gone);
    const child = spawn('sh', ['-c', `cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${CLI}" review`], { env: gitEnv });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expectOneLineFailure({ code, stdout: '', stderr }, { code: 2, message: /the current folder no longer exists: cd to the repository again, or pass --repo DIR/ });
  });

  it('a vote on an id that is not one, or on no recent finding: one line, no vote recorded', () => {
    const repo = repoWithLeftover();
    runCli(repo, ['review', '--no-llm', '--fail-on', 'never']);
    expectOneLineFailure(runCli(repo, ['feedback', 'zz-top', '--up']), { code: 2, message: /"zz-top" is not a finding id/ });
    expectOneLineFailure(runCli(repo, ['feedback', 'abc', '--up']), { code: 2, message: /is not a finding id \(the hex id shown with each finding, at least 6 characters\)/ });
    expectOneLineFailure(runCli(repo, ['feedback', 'abcdef0123', '--up']), { code: 2, message: /no finding abcdef0123 in the recent reviews; run a review first/ });
    assert.deepEqual(runCliJson<FeedbackRecord[]>(repo, ['feedback', '--list', '--json']).json, []);
  });

  const teamFiles: Array<[string, string | Buffer, RegExp]> = [
    ['missing', '', /Cannot read .*learned\.json: no such file/],
    ['truncated JSON', '{"diffwise": "learned", "version": 1, "votes": [', /Cannot read .*learned\.json/],
    ['a list instead of the document', '[{"id": 1}]', /is not a Diffwise learned file \(expected \{"diffwise": "learned", "version": 1, "votes": \[\.\.\.\]\}\)/],
    ['binary junk', Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80]), /Cannot read .*learned\.json/],
  ];
  for (const [what, content, message] of teamFiles) {
    it(`learned import of a team file that is ${what}: one line, the votes as they were`, () => {
      const repo = repoWithLeftover();
      const { json } = runCliJson<ReviewDocument>(repo, ['review', '--no-llm', '--fail-on', 'never', '--format', 'json']);
      assert.equal(runCli(repo, ['feedback', json.findings[0].id, '--down']).code, 0);
      if (what !== 'missing') write(repo, '.diffwise/learned.json', content);
      expectOneLineFailure(runCli(repo, ['learned', 'import']), { code: 2, message });
      assert.equal(runCliJson<FeedbackRecord[]>(repo, ['feedback', '--list', '--json']).json.length, 1);
    });
  }

  it('a malformed .diffwise/config.json: the run is partial, the static findings and the exit code stand', () => {
    const repo = repoWithLeftover();
    write(repo, '.diffwise/config.json', '{"llm": {"model": "x",');
    const { code, json, stderr } = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'warning'], { DIFFWISE_LLM_API_KEY: 'sk-test', DIFFWISE_LLM_BASE_URL: 'http://127.0.0.1:9/v1' });
    expectNoLeak(stderr);
    assert.equal(code, 1, 'the warning still fails --fail-on warning');
    assert.equal(json.run.status, 'partial');
    assert.deepEqual(json.findings.map((finding) => finding.ruleId), ['debug-leftover']);
    assert.ok(json.run.errors.length >= 1);
    for (const error of json.run.errors) assert.match(error.message, /config\.json/);
    for (const error of json.run.errors) assert.doesNotMatch(error.message, /\n/);
  });

  it('stdout closed early (diffwise review | head -1): no stack trace, no hang', async () => {
    const repo = repoWithLeftover();
    for (let i = 0; i < 200; i++) write(repo, `src/many${i}.js`, 'console.log(1);\n');
    const child = spawn(process.execPath, [CLI, 'review', '--no-llm', '--fail-on', 'never'], { cwd: repo, env: { ...gitEnv, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expectNoLeak(stderr);
    assert.ok(code === 0 || code === 2 || code === null, `exit ${code}`);
  });

  it('DIFFWISE_DEBUG=1 adds the stack to the one line; without it there is none', () => {
    const dir = makeTempDir();
    const plain = runCli(dir, ['review']);
    expectOneLineFailure(plain, { code: 2, message: /not a git repository/ });
    const debug = runCli(dir, ['review'], { DIFFWISE_DEBUG: '1' });
    assert.equal(debug.code, 2);
    assert.match(debug.stderr.split('\n')[0], /^diffwise: not a git repository/);
    assert.match(debug.stderr, /^\s+at .+/m, 'the stack follows');
  });
});

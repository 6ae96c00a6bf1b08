/**
 * `diffwise doctor [--json]` on real temporary repositories, with the fake OpenAI endpoint
 * and the fake GitHub on 127.0.0.1; and the same report from the daemon's `diffwise/health`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HealthReport } from '../../shared/observability';
import { HealthRequest } from '../../shared/protocol';
import { runCli, runCliAsync, runCliJson, runCliJsonAsync } from '../helpers/cli';
import { startFakeGitHub } from '../helpers/fakeGitHub';
import { startFakeOpenAi } from '../helpers/fakeOpenAi';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, write } from '../helpers/gitRepo';
import { TestLspClient } from '../helpers/lspClient';

const TOKEN = 'ghp_fakeDiffwiseToken0123456789abcdefABCD';
/** No key or endpoint from the machine running the tests. */
const CLEAN = { DIFFWISE_LLM_API_KEY: '', OPENAI_API_KEY: '', DIFFWISE_LLM_BASE_URL: '', GITHUB_TOKEN: '', GH_TOKEN: '' };

function statusOf(report: HealthReport, id: string): string {
  const check = report.checks.find((entry) => entry.id === id);
  assert.ok(check, `a ${id} check in ${report.checks.map((entry) => entry.id).join(', ')}`);
  return check.status;
}

describe('diffwise doctor', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  function project(): { repo: string; db: string } {
    const repo = makeRepo();
    write(repo, 'src/a.ts', 'export const a = 1;\n');
    write(repo, 'src/b.ts', 'import { a } from "./a";\nexport const b = a + 1;\n');
    commitAll(repo, 'initial');
    return { repo, db: path.join(makeTempDir(), 'diffwise.db') };
  }

  it('before any review: warnings only (no database, no index), exit 0, and it creates nothing', () => {
    const { repo, db } = project();
    const text = runCli(repo, ['doctor'], { ...CLEAN, DIFFWISE_DB: db });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^ok {7}Node {2,}Node \d+\.\d+\.\d+$/m);
    assert.match(text.stdout, /^WARNING {2}Database {2,}no database yet .*\(no review yet\)$/m);
    assert.match(text.stdout, /^ {9}fix: run diffwise review or diffwise index/m);
    assert.match(text.stdout, /^ok {7}LLM endpoint {2,}off \(no key or endpoint configured\)$/m);
    assert.match(text.stdout, /^ok {7}GitHub {2,}not used \(no origin remote\)$/m);
    assert.match(text.stdout, /\n\n0 error\(s\), 2 warning\(s\)\n$/);
    assert.equal(fs.existsSync(db), false);
  });

  it('after diffwise index: the database and the index ok; an edit makes the index stale; --json is the report', () => {
    const { repo, db } = project();
    const env = { ...CLEAN, DIFFWISE_DB: db };
    assert.equal(runCli(repo, ['index'], env).code, 0);
    const fresh = runCliJson<HealthReport>(repo, ['doctor', '--json'], env);
    assert.equal(fresh.code, 0);
    assert.deepEqual(fresh.json.checks.map((check) => check.id), ['node', 'git', 'database', 'disk', 'index', 'llm', 'github']);
    assert.equal(statusOf(fresh.json, 'database'), 'ok');
    assert.match(fresh.json.checks[4].detail, /^fresh: TypeScript\/JavaScript 2$/);
    const sizeBefore = fs.statSync(db).size;

    write(repo, 'src/a.ts', 'export const a = 1234;\n');
    const stale = runCliJson<HealthReport>(repo, ['doctor', '--json'], env);
    assert.equal(stale.code, 0);
    assert.equal(statusOf(stale.json, 'index'), 'warning');
    assert.match(stale.json.checks[4].detail, /stale: 1 file\(s\) changed since the last pass \(src\/a\.ts\)/);
    assert.equal(fs.statSync(db).size, sizeBefore, 'the doctor does not bring the index up to date itself');
  });

  it('a corrupt database is an error (exit 1) with the fix, and the file stays where it is', () => {
    const { repo, db } = project();
    fs.writeFileSync(db, Buffer.alloc(4096, 'garbage! '));
    const result = runCli(repo, ['doctor'], { ...CLEAN, DIFFWISE_DB: db });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^ERROR {4}Database {2,}corrupt/m);
    assert.match(result.stdout, /fix: run diffwise index: it moves the corrupt file aside/);
    assert.equal(fs.readFileSync(db, 'utf8').startsWith('garbage!'), true);
  });

  it('the LLM endpoint: served and accepted is ok; a refused key or a model it does not serve is exit 1', async () => {
    const { repo, db } = project();
    const fake = await startFakeOpenAi();
    try {
      fake.acceptedKey = 'sk-good';
      fake.models = ['gpt-4o-mini', 'llama3.1'];
      const env = { ...CLEAN, DIFFWISE_DB: db, DIFFWISE_LLM_BASE_URL: fake.baseUrl, DIFFWISE_LLM_API_KEY: 'sk-good' };
      const good = await runCliJsonAsync<HealthReport>(repo, ['doctor', '--json'], env);
      assert.equal(good.code, 0);
      assert.equal(statusOf(good.json, 'llm'), 'ok');
      assert.equal(statusOf(good.json, 'llm-price'), 'ok');

      const refused = await runCliAsync(repo, ['doctor'], { ...env, DIFFWISE_LLM_API_KEY: 'sk-stolen' });
      assert.equal(refused.code, 1);
      assert.match(refused.stdout, /^ERROR {4}LLM endpoint {2}.*key refused \(HTTP 401\)$/m);
      assert.match(refused.stdout, /fix: set a valid key in DIFFWISE_LLM_API_KEY/);
      assert.doesNotMatch(refused.stdout, /sk-stolen/);

      const unserved = await runCliJsonAsync<HealthReport>(repo, ['doctor', '--json'], { ...env, DIFFWISE_LLM_MODEL: 'gpt-5' });
      assert.equal(unserved.code, 1);
      assert.equal(unserved.json.status, 'error');
      assert.match(unserved.json.checks.find((check) => check.id === 'llm')!.detail, /does not serve gpt-5 \(it serves gpt-4o-mini, llama3\.1\)/);
    } finally {
      await fake.close();
    }
  });

  it('GitHub: the token\'s scopes and rate limit from DIFFWISE_GITHUB_API_URL; no token is a warning with a GitHub remote', async () => {
    const { repo, db } = project();
    git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/app.git');
    const gh = await startFakeGitHub({ scopes: 'repo' });
    try {
      const env = { ...CLEAN, DIFFWISE_DB: db, DIFFWISE_GITHUB_API_URL: gh.apiUrl };
      const withToken = await runCliJsonAsync<HealthReport>(repo, ['doctor', '--json'], { ...env, GITHUB_TOKEN: TOKEN });
      const github = withToken.json.checks.find((check) => check.id === 'github')!;
      assert.equal(github.status, 'ok', github.detail);
      assert.equal(github.detail, 'acme/app: scopes: repo; 5000 of 5000 requests left this hour');
      assert.equal(gh.requests.at(-1)!.headers.authorization, `token ${TOKEN}`);

      const without = await runCliJsonAsync<HealthReport>(repo, ['doctor', '--json'], env);
      assert.equal(statusOf(without.json, 'github'), 'warning');
      assert.equal(without.code, 0);
    } finally {
      await gh.close();
    }
  });

  it('outside a git repository: exit 1 naming it', () => {
    const result = runCli(makeTempDir(), ['doctor'], CLEAN);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^ERROR {4}Repository {2}not a git repository/m);
  });

  it('the daemon answers diffwise/health with the same checks, and the editor\'s trust', async () => {
    const { repo, db } = project();
    const client = await TestLspClient.start(repo, { ...CLEAN, DIFFWISE_DB: db });
    try {
      const report = await client.connection.sendRequest(HealthRequest.type, { trusted: false });
      assert.deepEqual(report.checks.map((check) => check.id), ['node', 'git', 'database', 'disk', 'index', 'llm', 'github', 'trust']);
      assert.equal(statusOf(report, 'trust'), 'warning');
      assert.equal(report.status, 'warning');
      const trusted = await client.connection.sendRequest(HealthRequest.type, { trusted: true });
      assert.equal(statusOf(trusted, 'trust'), 'ok');
    } finally {
      await client.stop();
    }
  });
});

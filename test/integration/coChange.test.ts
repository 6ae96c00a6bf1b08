import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { ReviewRequest } from '../../shared/protocol';
import type { ReviewDocument } from '../../shared/review';
import { runCliJson } from '../helpers/cli';
import { cleanupRepos, commitAll, makeRepo, write } from '../helpers/gitRepo';
import { TestLspClient } from '../helpers/lspClient';

/** Keeps a.ts's changed line (a comment, reaching no export) apart from its export, so that its hunk is cached whatever else the change holds. */
const FILLER = Array.from({ length: 8 }, (_, i) => `// ${i}\n`).join('');

/** a.ts and a.test.ts always changed together, four times; then a.ts changes alone in the work tree. */
function repoWithHistory(): string {
  const repo = makeRepo();
  for (let i = 0; i < 4; i++) {
    write(repo, 'src/a.ts', `// revision ${i}\n${FILLER}export function a(): number {\n  return 1;\n}\n`);
    write(repo, 'src/a.test.ts', `import { a } from './a';\nexport const checked = a() === ${i};\n`);
    commitAll(repo, `a and its test, ${i}`);
  }
  write(repo, 'src/other.ts', 'export const other = 1;\n');
  commitAll(repo, 'other');
  write(repo, 'src/a.ts', `// revision 42\n${FILLER}export function a(): number {\n  return 1;\n}\n`);
  return repo;
}

const coChangeFindings = (document: ReviewDocument) => document.findings.filter((finding) => finding.ruleId === 'co-change');

describe('co-change rule (the CLI on a real repository)', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('a change to a.ts alone: one info finding naming a.test.ts, its support and confidence', () => {
    const repo = repoWithHistory();
    const { code, json } = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never']);
    assert.equal(code, 0);
    const findings = coChangeFindings(json);
    assert.equal(findings.length, 1, JSON.stringify(json.findings));
    const [finding] = findings;
    assert.equal(finding.severity, 'info');
    assert.equal(finding.file, 'src/a.ts');
    assert.equal(finding.line, 1);
    assert.match(finding.message, /`src\/a\.test\.ts` changed together with this file in 4 of its 4 commits \(100%\)/);
    assert.deepEqual(finding.related?.map((related) => related.file), ['src/a.test.ts']);

    // Touching the test too: nothing to suggest, even though a.ts's hunk is in the review cache now.
    write(repo, 'src/a.test.ts', "import { a } from './a';\nexport const checked = a() === 42;\n");
    const both = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never']);
    assert.deepEqual(coChangeFindings(both.json), []);
    assert.ok(both.json.run.cacheHits > 0, 'a.ts came from the review cache');
  });

  it('the history is mined once and reused: the second review reads nothing new from git', () => {
    const repo = repoWithHistory();
    runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never']);
    const dbFile = path.join(repo, '.git', 'diffwise', 'diffwise.db');
    const rowsOf = () => {
      const db = new Database(dbFile, { readonly: true });
      try {
        return db.prepare('SELECT seq, sha FROM co_change_commits ORDER BY seq').all() as Array<{ seq: number; sha: string }>;
      } finally {
        db.close();
      }
    };
    const first = rowsOf();
    assert.equal(first.length, 5);
    const second = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never', '--no-cache']);
    assert.equal(coChangeFindings(second.json).length, 1);
    assert.deepEqual(rowsOf(), first, 'the same rows: nothing was mined again');
    write(repo, 'src/other.ts', 'export const other = 2;\n');
    commitAll(repo, 'other again');
    // The history is read when a review has a changed file to ask about.
    write(repo, 'src/a.ts', `// revision 43\n${FILLER}export function a(): number {\n  return 1;\n}\n`);
    runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never']);
    const third = rowsOf();
    assert.deepEqual(third.slice(0, 5), first, 'the stored commits kept, the new one appended');
    assert.equal(third.length, 6);
  });

  it('off: --no-co-change, or "coChange": { "enabled": false } in .diffwise/config.json', () => {
    const repo = repoWithHistory();
    const flag = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never', '--no-co-change']);
    assert.deepEqual(coChangeFindings(flag.json), []);
    write(repo, '.diffwise/config.json', JSON.stringify({ coChange: { enabled: false } }));
    const config = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never']);
    assert.deepEqual(coChangeFindings(config.json), []);
    assert.equal(config.json.run.status, 'ok');
  });
});

describe('co-change rule (the daemon over stdio)', function () {
  this.timeout(60_000);
  let client: TestLspClient | undefined;
  afterEach(async () => {
    await client?.stop().catch(() => client?.process.kill());
  });
  after(cleanupRepos);

  it('follows diffwise.coChange.enabled, pulled at each review', async () => {
    const repo = repoWithHistory();
    client = await TestLspClient.start(repo);
    let enabled: boolean | undefined;
    client.configuration = (item) => (item.section === 'diffwise.coChange' && enabled !== undefined ? { enabled } : null);
    const on = await client.connection.sendRequest(ReviewRequest.type, { scope: 'working' });
    assert.deepEqual(coChangeFindings(on).map((finding) => finding.related?.[0]?.file), ['src/a.test.ts']);
    enabled = false;
    const off = await client.connection.sendRequest(ReviewRequest.type, { scope: 'working' });
    assert.deepEqual(coChangeFindings(off), []);
    enabled = true;
    const back = await client.connection.sendRequest(ReviewRequest.type, { scope: 'working' });
    assert.equal(coChangeFindings(back).length, 1);
  });
});

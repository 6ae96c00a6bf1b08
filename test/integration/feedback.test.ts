/**
 * Votes and learning end to end, through the built CLI on real git repositories
 * and a real SQLite file: a vote down hides a finding at its code until the code
 * changes; a rule the team keeps rejecting is demoted, then suppressed, and up
 * votes bring it back; votes survive a corrupt database and travel in the team
 * file; an LLM finding reworded after a rejection stays suppressed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { FeedbackRecord, LearnedDocument } from '../../shared/feedback';
import type { Metrics } from '../../shared/metrics';
import type { Finding, ReviewDocument } from '../../shared/review';
import { damageBehindHeader } from '../helpers/badInput';
import { runCli, runCliAsync, runCliJson, runCliJsonAsync } from '../helpers/cli';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fakeOpenAi';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, write } from '../helpers/gitRepo';
import { TestLspClient } from '../helpers/lspClient';
import {
  FeedbackRequest, LastReviewChangedNotification, LastReviewRequest, LearnedRequest, MetricsRequest, ReviewRequest, type LastReviewChangedParams,
} from '../../shared/protocol';

/** A repository with one commit and `lines` of JavaScript uncommitted in src/app.js. */
function repoWith(lines: string[]): string {
  const repo = makeRepo();
  write(repo, 'README.md', '# app\n');
  commitAll(repo, 'initial');
  write(repo, 'src/app.js', `${lines.join('\n')}\n`);
  return repo;
}

const review = (repo: string, ...args: string[]) => runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never', ...args]).json;
const vote = (repo: string, id: string, kind: 'up' | 'down' | 'clear', ...args: string[]) => runCli(repo, ['feedback', id, `--${kind}`, ...args]);
const onLine = (document: ReviewDocument, line: number): Finding | undefined => document.findings.find((finding) => finding.line === line);

describe('diffwise feedback and learning', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('a vote down hides the finding at its code, lists it with --show-suppressed, and lets it back when the code changes', async () => {
    const repo = repoWith(['console.log("one");', 'debugger;']);
    const first = review(repo);
    const logged = onLine(first, 1)!;
    assert.equal(logged.ruleId, 'debug-leftover');

    const voted = vote(repo, logged.id.slice(0, 8), 'down', '--reason', 'we log on purpose');
    assert.equal(voted.code, 0, voted.stderr);
    assert.match(voted.stdout, /not helpful: it will not be reported again at this code/);

    // Two lines above it: the same code, moved, is still the voted finding.
    write(repo, 'src/app.js', '// a\n// b\nconsole.log("one");\ndebugger;\n');
    const second = review(repo);
    assert.deepEqual(second.findings.map((finding) => finding.line), [4], 'only the debugger statement is reported');
    assert.deepEqual(second.run.learning, { suppressed: 1, demoted: 0 });

    const shown = review(repo, '--show-suppressed');
    const suppressed = onLine(shown, 3)!;
    assert.equal(suppressed.suppressed, true);
    assert.equal(suppressed.learned, 'suppressed');
    assert.equal(suppressed.vote, 'down');
    assert.match(suppressed.learnedReason!, /voted down at this code on \d{4}-\d\d-\d\d: we log on purpose/);
    const text = runCli(repo, ['review', '--show-suppressed', '--fail-on', 'warning']);
    assert.match(text.stdout, /suppressed: voted down at this code/);
    assert.match(text.stdout, /1 problem/, 'a suppressed finding is not counted as a problem');

    write(repo, 'src/app.js', '// a\n// b\nconsole.log("two");\ndebugger;\n');
    const changed = review(repo);
    assert.deepEqual(changed.findings.map((finding) => finding.line), [3, 4], 'changed code is reviewed afresh');
    assert.equal(onLine(changed, 3)!.vote, undefined);
  });

  it('demotes a rule voted mostly down, suppresses it on strong evidence, and up votes bring it back', async () => {
    const lines = Array.from({ length: 8 }, (_, i) => `console.log("step ${i}");`);
    const repo = repoWith(lines.slice(0, 4));
    // A threshold four votes down can cross (the default needs nine): strong evidence, sooner.
    write(repo, '.diffwise/config.json', JSON.stringify({ learning: { suppressBelow: 0.5 } }));
    const first = review(repo);
    for (const finding of first.findings.slice(0, 3)) assert.equal(vote(repo, finding.id, 'down').code, 0);

    // Three votes, all down: the fourth finding (not voted on) is demoted one step.
    const demoted = review(repo);
    assert.equal(demoted.findings.length, 1);
    assert.deepEqual(
      { severity: demoted.findings[0].severity, originalSeverity: demoted.findings[0].originalSeverity, learned: demoted.findings[0].learned },
      { severity: 'info', originalSeverity: 'warning', learned: 'demoted' },
    );
    assert.match(demoted.findings[0].learnedReason!, /0 of 3 votes on debug-leftover found it helpful: demoted from warning/);

    // A fourth vote down: the upper 95% bound of its acceptance (0 of 4) is 0.49, below 0.5.
    assert.equal(vote(repo, demoted.findings[0].id, 'down').code, 0);
    write(repo, 'src/app.js', `${lines.join('\n')}\n`);
    const quiet = review(repo);
    assert.deepEqual(quiet.findings, [], 'new findings of the rule are suppressed');
    assert.deepEqual(quiet.run.learning, { suppressed: 8, demoted: 0 });
    const withSuppressed = review(repo, '--show-suppressed');
    const fresh = withSuppressed.findings.filter((finding) => finding.line > 4);
    assert.equal(fresh.length, 4);
    for (const finding of fresh) assert.match(finding.learnedReason!, /0 of 4 votes on debug-leftover found it helpful \(at most 49% at 95% confidence\)/);

    const learned = runCliJson<LearnedDocument>(repo, ['learned', '--json']).json;
    assert.deepEqual(learned.rules.map((rule) => [rule.ruleId, rule.up, rule.down, rule.action]), [['debug-leftover', 0, 4, 'suppress']]);
    assert.equal(learned.suppressions.length, 4);
    assert.equal(learned.settings.suppressBelow, 0.5, 'the team file\'s threshold');

    // Restoring = voting up (what the panel's Restore does): that finding comes back, and the rule's record improves.
    for (const finding of fresh) assert.equal(vote(repo, finding.id, 'up').code, 0);
    const restored = review(repo);
    assert.deepEqual(restored.findings.map((finding) => [finding.line, finding.vote, finding.severity]), [[5, 'up', 'warning'], [6, 'up', 'warning'], [7, 'up', 'warning'], [8, 'up', 'warning']]);
    const after = runCliJson<LearnedDocument>(repo, ['learned', '--json']).json;
    assert.deepEqual(after.rules.map((rule) => [rule.up, rule.down, rule.action]), [[4, 4, null]]);

    const metrics = runCliJson<Metrics>(repo, ['metrics', '--json']).json;
    assert.deepEqual(metrics.feedback, { up: 4, down: 4, acceptanceRate: 0.5, byRule: { 'debug-leftover': { up: 4, down: 4 } } });
    assert.match(runCli(repo, ['metrics']).stdout, /Feedback: 4 helpful, 4 not helpful \(acceptance 50\.0%\)/);
  });

  it('keeps every vote when the database is corrupt, and lists them with --list', async () => {
    const repo = repoWith(['debugger;']);
    const db = `${makeTempDir()}/votes.db`;
    const env = { DIFFWISE_DB: db };
    const [finding] = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never'], env).json.findings;
    assert.equal(runCli(repo, ['feedback', finding.id, '--down', '--reason', 'noise'], env).code, 0);
    // Damage behind an intact header: recognisably ours, unreadable inside.
    damageBehindHeader(db);

    // Reading only: the votes from the journal, the file left as it is.
    const list = runCliJson<FeedbackRecord[]>(repo, ['feedback', '--list', '--json'], env);
    assert.match(list.stderr, /is corrupt .*showing what its vote journal holds/);
    assert.deepEqual(list.json.map((record) => [record.findingId, record.vote, record.reason, record.ruleId, record.file, record.origin]), [[finding.id, 'down', 'noise', 'debug-leftover', 'src/app.js', 'local']]);
    // Writing: set aside, rebuilt, the vote restored.
    const rebuilt = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never'], env);
    assert.match(rebuilt.stderr, /was corrupt .* moved to/);
    assert.match(rebuilt.stderr, /restored 1 vote/);
    const again = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never'], env).json;
    assert.deepEqual(again.findings, [], 'the restored vote still suppresses the finding');
    assert.match(runCli(repo, ['feedback', '--list'], env).stdout, /down {5}[0-9a-f]{8} {2}debug-leftover {2}src\/app\.js:1 .* — noise/);
  });

  it('exports the votes to .diffwise/learned.json, secrets redacted, and a teammate\'s clone imports them', async () => {
    const origin = makeRepo();
    write(origin, 'README.md', '# app\n');
    commitAll(origin, 'initial');
    const token = ['ghp', '_', 'R8x2Lq', '9Vt4Kw', 'Zp7Nc3', 'Hy6Mb1', 'Jd5Gs0', 'Fa2Qe8', 'Ux'].join('');
    const content = `export const token = '${token}';\ndebugger;\n`;
    write(origin, 'src/app.js', content);
    const found = review(origin);
    for (const finding of found.findings) assert.equal(vote(origin, finding.id, 'down').code, 0);
    const exported = runCli(origin, ['learned', 'export']);
    assert.match(exported.stdout, /Wrote 2 vote\(s\) to .*\.diffwise\/learned\.json/);
    const file = fs.readFileSync(`${origin}/.diffwise/learned.json`, 'utf8');
    assert.ok(!file.includes(token), 'the secret\'s code is redacted in the team file');

    const teammate = makeTempDir();
    git(teammate, 'clone', '-q', origin, '.');
    write(teammate, 'src/app.js', content);
    assert.equal(review(teammate).findings.length, 2, 'no votes yet in the clone');
    fs.mkdirSync(`${teammate}/shared`);
    fs.writeFileSync(`${teammate}/shared/learned.json`, file);
    const imported = runCli(teammate, ['learned', 'import', 'shared/learned.json']);
    assert.match(imported.stdout, /Imported 2 new vote\(s\)/);
    assert.match(runCli(teammate, ['learned', 'import', 'shared/learned.json']).stdout, /Imported 0 new vote/, 'importing twice adds nothing');
    assert.deepEqual(review(teammate).findings, []);
    assert.ok(runCliJson<FeedbackRecord[]>(teammate, ['feedback', '--list', '--json']).json.every((record) => record.origin === 'imported'));

    fs.writeFileSync(`${teammate}/bad.json`, '{"votes": []}');
    const bad = runCli(teammate, ['learned', 'import', 'bad.json']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^diffwise: .*bad\.json is not a Diffwise learned file/);
  });

  it('says what is wrong with a vote, in one line', async () => {
    const repo = repoWith(['debugger;', 'debugger;']);
    const { findings } = review(repo);
    const unknown = vote(repo, 'abcdef12', 'up');
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'diffwise: no finding abcdef12 in the recent reviews; run a review first (finding ids are listed in its output)\n');
    assert.match(vote(repo, 'xyz', 'up').stderr, /"xyz" is not a finding id/);
    assert.match(runCli(repo, ['feedback', findings[0].id]).stderr, /give exactly one of --up, --down or --clear/);
    assert.match(runCli(repo, ['feedback', findings[0].id, '--up', '--down']).stderr, /give exactly one/);
    assert.match(runCli(repo, ['feedback', '--up']).stderr, /which finding\?/);
    assert.match(runCli(repo, ['learned', 'publish']).stderr, /takes export \[FILE\] or import \[FILE\]/);
    assert.match(runCli(repo, ['review', '--up']).stderr, /--up does not apply to "diffwise review"/);
    // A vote withdrawn: the finding is reported again.
    assert.equal(vote(repo, findings[0].id, 'down').code, 0);
    assert.equal(review(repo).findings.length, 1);
    assert.equal(vote(repo, findings[0].id, 'clear').code, 0);
    assert.equal(review(repo).findings.length, 2);
  });
});

describe('learning from votes on LLM findings (fake OpenAI-compatible server)', function () {
  this.timeout(60_000);
  let fake: FakeOpenAi;
  beforeEach(async () => {
    fake = await startFakeOpenAi();
  });
  afterEach(async () => {
    await fake.close();
  });
  after(cleanupRepos);

  const env = () => ({ DIFFWISE_LLM_BASE_URL: fake.baseUrl, DIFFWISE_LLM_API_KEY: 'sk-test-0123456789', DIFFWISE_LLM_MODEL: 'review-model' });
  /** Answers with one maintainability finding on the hunk's second line (the changed one below), worded as `message`. */
  const answer = (message: string) => ({
    kind: 'handler' as const,
    handle: (body: any) => {
      const user = body.messages.find((m: { role: string }) => m.role === 'user').content as string;
      const line = Number(/Report problems only on lines (\d+)/.exec(user)![1]) + 1;
      return { kind: 'success' as const, content: JSON.stringify({ findings: [{ category: 'maintainability', severity: 'warning', line, endLine: line, message, suggestion: null }] }) };
    },
  });

  it('suppresses a reworded LLM finding close to one voted down, and shows the team\'s preferences in later prompts', async () => {
    const repo = makeRepo();
    write(repo, 'README.md', '# app\n');
    commitAll(repo, 'initial');
    write(repo, 'src/price.ts', 'export function total(items: number[]): number {\n  return items.reduce((sum, n) => sum + n, 0) * 1.2;\n}\n');
    fake.setDefault(answer('The magic number 1.2 should be a named constant (VAT rate).'));
    const first = (await runCliJsonAsync<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never'], env())).json;
    const [llm] = first.findings.filter((finding) => finding.source === 'llm');
    assert.ok(llm, JSON.stringify(first, null, 2));
    const voted = await runCliAsync(repo, ['feedback', llm.id, '--down', '--reason', 'the rate is documented next to it'], env());
    assert.equal(voted.code, 0, voted.stderr);

    // Changed code (a cache miss): the model says the same thing in other words on nearly the same code.
    write(repo, 'src/price.ts', 'export function total(items: number[]): number {\n  return items.reduce((sum, n) => sum + n, 0) * 1.25;\n}\n');
    fake.setDefault(answer('Magic number 1.25 should be a named constant (the VAT rate).'));
    const second = (await runCliJsonAsync<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never', '--show-suppressed'], env())).json;
    const [again] = second.findings.filter((finding) => finding.source === 'llm');
    assert.equal(again.suppressed, true, JSON.stringify(again));
    assert.match(again.learnedReason!, /close \(\d+%\) to a finding voted down here: "The magic number 1\.2 .*" \(the rate is documented next to it\)/);

    const prompt = fake.requests.at(-1)!.body.messages.find((m: { role: string }) => m.role === 'user').content as string;
    assert.match(prompt, /## The team's preferences \(votes on earlier findings\)\n- Rejected \(do not report findings like this\): \[maintainability\] "The magic number 1\.2 should be a named constant \(VAT rate\)\." on `.*1\.2;` in src\/price\.ts\. Reason: the rate is documented next to it/);

    // A different complaint in the same category is not "close": it is reported.
    write(repo, 'src/price.ts', 'export function total(items: number[]): number {\n  return items.reduce((sum, n) => sum + n, 0) * 1.3;\n}\n');
    fake.setDefault(answer('The reduce callback shadows the outer sum variable; rename it.'));
    const third = (await runCliJsonAsync<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never'], env())).json;
    assert.equal(third.findings.filter((finding) => finding.source === 'llm').length, 1);
  });
});

describe('voting through the daemon (a plain LSP client)', function () {
  this.timeout(60_000);
  let client: TestLspClient | undefined;
  afterEach(async () => {
    await client?.stop().catch(() => client?.process.kill());
  });
  after(cleanupRepos);

  it('a quick-fix vote down clears the diagnostic at once and after a re-review; the panel\'s requests see it', async () => {
    const repo = repoWith(['console.log("a");', 'debugger;', 'console.log("b");']);
    client = await TestLspClient.start(repo);
    const changes: LastReviewChangedParams[] = [];
    client.connection.onNotification(LastReviewChangedNotification.type, (params) => {
      changes.push(params);
    });
    // A team that learns after one vote: pulled from the editor's diffwise.learning section at each review.
    client.configuration = (item) => (item.section === 'diffwise.learning' ? { minVotes: 1 } : null);
    const uri = `file://${repo}/src/app.js`;
    const document = await client.connection.sendRequest(ReviewRequest.type, { scope: 'working' });
    assert.equal(document.findings.length, 3);
    await client.waitFor(() => client!.diagnosticsFor(repo, 'src/app.js').length === 3, 'three diagnostics');
    assert.deepEqual(changes.map((change) => change.cause), ['review']);

    const target = client.diagnosticsFor(repo, 'src/app.js').find((d) => d.range.start.line === 0)!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: target.range, context: { diagnostics: [target] } })) as Array<{ title: string; command?: { command: string; arguments: unknown[] } }>;
    const down = actions.find((action) => action.title.startsWith('Not helpful'))!;
    await client.connection.sendRequest('workspace/executeCommand', { ...down.command, arguments: [...down.command!.arguments, 'too chatty'] });
    await client.waitFor(() => client!.diagnosticsFor(repo, 'src/app.js').length === 2, 'the voted finding to leave the diagnostics');
    await client.waitFor(() => changes.some((change) => change.cause === 'feedback'), 'a feedback change notification');

    const last = await client.connection.sendRequest(LastReviewRequest.type, {});
    const voted = last!.findings.find((finding) => finding.line === 1)!;
    assert.deepEqual([voted.suppressed, voted.vote], [true, 'down']);

    // Re-review: still gone; with one vote down on debug-leftover (minVotes 1) the others are demoted.
    const again = await client.connection.sendRequest(ReviewRequest.type, { scope: 'working' });
    assert.deepEqual(again.findings.map((finding) => [finding.line, finding.severity, finding.learned]), [[2, 'info', 'demoted'], [3, 'info', 'demoted']]);
    await client.waitFor(() => client!.diagnosticsFor(repo, 'src/app.js').length === 2, 'two diagnostics after the re-review');
    const withSuppressed = await client.connection.sendRequest(ReviewRequest.type, { scope: 'working', showSuppressed: true });
    assert.equal(withSuppressed.findings.filter((finding) => finding.suppressed).length, 1);

    // A vote up from the panel (its Restore) brings a finding back at once.
    const up = await client.connection.sendRequest(FeedbackRequest.type, { findingId: voted.id, vote: 'up' });
    assert.equal(up.vote, 'up');
    await client.waitFor(() => client!.diagnosticsFor(repo, 'src/app.js').length === 3, 'the restored finding');

    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 1 } })) as { contents: { value: string } };
    assert.match(hover.contents.value, /\[Helpful\]\(command:diffwise\.voteFinding\?%5B%22[0-9a-f]{16}%22%2C%22up%22%5D /);
    assert.match(hover.contents.value, /_1 of 2 votes on debug-leftover found it helpful: demoted from warning_|_0 of 1 votes on debug-leftover found it helpful: demoted from warning_/);

    const metrics = await client.connection.sendRequest(MetricsRequest.type, {});
    assert.deepEqual(metrics.feedback, { up: 1, down: 0, acceptanceRate: 1, byRule: { 'debug-leftover': { up: 1, down: 0 } } }, 'the latest vote per finding counts');
    assert.equal(metrics.reviews.total, 3);
    const learned = await client.connection.sendRequest(LearnedRequest.type, {});
    assert.equal(learned.settings.minVotes, 1);
    await assert.rejects(client.connection.sendRequest(FeedbackRequest.type, { findingId: 'ffffffff', vote: 'down' }), /no finding ffffffff in the recent reviews/);

    // After a restart the panel still has the last review, with the votes cast since.
    await client.stop();
    client = await TestLspClient.start(repo);
    const restored = await client.connection.sendRequest(LastReviewRequest.type, {});
    assert.equal(restored?.run.id, withSuppressed.run.id);
    assert.deepEqual(restored?.findings.map((finding) => [finding.line, finding.vote ?? null, finding.suppressed ?? false]), [[1, 'up', false], [2, null, false], [3, null, false]]);
    await client.connection.sendRequest(FeedbackRequest.type, { findingId: voted.id, vote: 'clear' });
    const cleared = await client.connection.sendRequest(LastReviewRequest.type, {});
    assert.equal(cleared?.findings.find((finding) => finding.line === 1)?.vote, undefined);
    await assert.rejects(client.connection.sendRequest(FeedbackRequest.type, { findingId: voted.id, vote: 'sideways' as 'up' }), /"up", "down" or "clear"/);
  });
});

/**
 * The LLM reviewer end to end: the built CLI on real git repositories, talking
 * to an OpenAI-compatible server on 127.0.0.1 that this test starts and scripts.
 * Every request body is inspected: the secret in the change never arrives, the
 * context the index supplies (a changed export's dependents, a callee's
 * declaration) does, and an excluded path is never sent. The change's few
 * small hunks fit one prompt: most tests see one call for three hunks.
 */
import * as assert from 'node:assert/strict';
import type { Finding, ReviewDocument } from '../../shared/review';
import { runCliAsync, runCliJsonAsync } from '../helpers/cli';
import { startFakeOpenAi, type FakeBehaviour, type FakeOpenAi } from '../helpers/fakeOpenAi';
import { cleanupRepos, commitAll, git, makeRepo, write } from '../helpers/gitRepo';

/** Built at run time so this repository's own secret scanning never sees a token in its source. */
const GITHUB_TOKEN = ['ghp', '_', 'R8x2Lq', '9Vt4Kw', 'Zp7Nc3', 'Hy6Mb1', 'Jd5Gs0', 'Fa2Qe8', 'Ux'].join('');
const API_KEY = 'sk-integration-0123456789abcdef';
const MODEL = 'review-model';

/** The hunks a prompt holds, each with the line range it allows, as the reviewer states it at the end of each hunk's part. */
function promptHunks(body: any): Array<{ label: string; first: number; last: number; file: string }> {
  const user = body.messages.find((message: { role: string }) => message.role === 'user').content as string;
  const hunks = [...user.matchAll(/^Report problems only on lines (\d+)–(\d+) of (\S+), as hunk (H\d+)\.$/gm)];
  assert.ok(hunks.length > 0, `no range in the prompt:\n${user}`);
  return hunks.map((match) => ({ label: match[4], first: Number(match[1]), last: Number(match[2]), file: match[3] }));
}

/** Answers every hunk of `file` with one bug on its first line, plus one outside the hunk (to be dropped). */
function bugOnFirstLine(file: string): FakeBehaviour {
  return {
    kind: 'handler',
    handle: (body) => {
      const findings = promptHunks(body).filter((hunk) => hunk.file === file).flatMap((hunk) => [
        { hunk: hunk.label, category: 'bug', severity: 'warning', line: hunk.first, endLine: hunk.first, message: 'The name is not validated.', suggestion: null },
        { hunk: hunk.label, category: 'performance', severity: 'info', line: hunk.last + 40, endLine: hunk.last + 41, message: 'Outside the hunk.', suggestion: null },
      ]);
      return { kind: 'success', content: JSON.stringify({ findings }), usage: { prompt: 1000, completion: 100 } };
    },
  };
}

function userMessages(fake: FakeOpenAi): string[] {
  return fake.requests.map((request) => request.body.messages.map((message: { content: string }) => message.content).join('\n'));
}

/** What the prompts show of `path`: its part (its heading to the next file's), and the instructions it sees, wherever they are. */
function partOf(fake: FakeOpenAi, path: string): { file: string; instructions: string } {
  const message = userMessages(fake).find((text) => text.includes(`# File: ${path} (`));
  assert.ok(message, `${path} was never sent`);
  const file = message.slice(message.indexOf(`# File: ${path} (`)).split(/\n\n(?=# File: )/)[0];
  const shared = /\n# Team instructions\n([^]*?)\n\n# File: /.exec(message)?.[1];
  const own = /\n## Team instructions\n([^]*?)\n\n## /.exec(file)?.[1];
  return { file, instructions: own ?? shared ?? '' };
}

/** The users module with `createUser`'s body lines, then `normalise`. */
function usersModule(createUserBody: string[]): string {
  return [
    'export function createUser(name: string) {',
    ...createUserBody,
    '}',
    '',
    'export function normalise(name: string): string {',
    '  return name.trim().toLowerCase();',
    '}',
    '',
  ].join('\n');
}

/**
 * main: a users module used by two files. feature: createUser changes, a new
 * module calls it, a config file gains a GitHub token, and a vendored file (excluded) changes.
 */
function featureRepo(config: object = {}): string {
  const repo = makeRepo();
  write(repo, 'src/lib/users.ts', usersModule(['  return { name };']));
  write(repo, 'src/routes.ts', ["import { createUser } from './lib/users';", '', "export const admin = createUser('admin');", ''].join('\n'));
  write(repo, 'src/admin.ts', ["import * as users from './lib/users';", '', "export const root = users.createUser('root');", ''].join('\n'));
  write(repo, 'src/vendor/legacy.js', 'module.exports = 1;\n');
  write(repo, '.diffwise/config.json', JSON.stringify({ llm: { timeoutMs: 3000, excludePaths: ['src/vendor/**'], prices: { [MODEL]: { inputPerMTok: 1000, outputPerMTok: 2000 } }, ...config } }));
  commitAll(repo, 'initial');
  git(repo, 'checkout', '-q', '-b', 'feature');
  write(repo, 'src/lib/users.ts', usersModule(['  const clean = normalise(name);', '  return { name: clean, createdAt: Date.now() };']));
  write(repo, 'src/signup.ts', ["import { createUser } from './lib/users';", '', 'export function signup(name: string) {', '  return createUser(name);', '}', ''].join('\n'));
  write(repo, 'src/config.ts', [`export const githubToken = '${GITHUB_TOKEN}';`, ''].join('\n'));
  write(repo, 'src/vendor/legacy.js', 'module.exports = 2; // VENDORED-MARKER\n');
  commitAll(repo, 'feature');
  return repo;
}

function envFor(fake: FakeOpenAi, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { DIFFWISE_LLM_BASE_URL: fake.baseUrl, DIFFWISE_LLM_API_KEY: API_KEY, DIFFWISE_LLM_MODEL: MODEL, ...extra };
}

function review(repo: string, fake: FakeOpenAi, args: string[] = [], extra: NodeJS.ProcessEnv = {}) {
  return runCliJsonAsync<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json', ...args], envFor(fake, extra));
}

const byRule = (document: ReviewDocument, ruleId: string): Finding[] => document.findings.filter((finding) => finding.ruleId === ruleId);

describe('diffwise review with an LLM (fake OpenAI-compatible server)', function () {
  this.timeout(60_000);
  let fake: FakeOpenAi;

  beforeEach(async () => {
    fake = await startFakeOpenAi();
  });
  afterEach(async () => {
    await fake.close();
  });
  after(cleanupRepos);

  it('reviews the hunks in one call, each with its index context, keeps findings inside their hunk, counts tokens and cost', async () => {
    const repo = featureRepo();
    fake.setDefault(bugOnFirstLine('src/lib/users.ts'));
    const { json: document, code } = await review(repo, fake);

    // users.ts, signup.ts and config.ts are asked about, together; the vendored file is not.
    assert.equal(fake.requests.length, 1, userMessages(fake).join('\n=====\n'));
    assert.deepEqual(promptHunks(fake.requests[0].body).map((hunk) => `${hunk.label} ${hunk.file}`), ['H1 src/config.ts', 'H2 src/lib/users.ts', 'H3 src/signup.ts']);
    const [llmBug] = byRule(document, 'llm/bug');
    assert.ok(llmBug, JSON.stringify(document.findings, null, 2));
    assert.deepEqual({ file: llmBug.file, line: llmBug.line, source: llmBug.source, severity: llmBug.severity }, { file: 'src/lib/users.ts', line: 1, source: 'llm', severity: 'warning' });
    assert.equal(byRule(document, 'llm/performance').length, 0, 'a finding outside its hunk is dropped');
    assert.equal(byRule(document, 'secret').length, 1, 'the static findings are there too');
    assert.equal(code, 1);

    assert.equal(document.run.status, 'ok');
    assert.equal(document.run.llmCalls, 1);
    assert.deepEqual(document.run.tokens, { prompt: 1000, completion: 100 });
    // (1000 × $1000 + 100 × $2000) / 1M tokens
    assert.equal(document.run.costUsd, 1.2);
    assert.equal(document.run.llm?.model, MODEL);
    assert.equal(document.run.llm?.hunksSent, 3);
    assert.equal(document.run.llm?.hunksExcluded, 1);

    const messages = userMessages(fake);
    for (const request of fake.requests) {
      assert.equal(request.headers.authorization, `Bearer ${API_KEY}`);
      assert.equal(request.body.model, MODEL);
      assert.equal(request.body.response_format.type, 'json_schema');
      assert.ok(!JSON.stringify(request.body).includes(GITHUB_TOKEN), 'the token never reaches the endpoint');
      assert.ok(!JSON.stringify(request.body).includes('VENDORED-MARKER'), 'an excluded path is never sent');
    }
    assert.ok(messages.some((text) => text.includes('[REDACTED]')), 'the token was replaced');
    assert.ok(document.run.llm!.redactions >= 1);

    const usersPrompt = partOf(fake, 'src/lib/users.ts').file;
    assert.match(usersPrompt, /\+\s+2 \| {3}const clean = normalise\(name\);/, 'the hunk with new-file line numbers');
    assert.match(usersPrompt, /Where the changed exports are used[\s\S]*`createUser` is used in [23] place\(s\)/);
    assert.match(usersPrompt, /- src\/routes\.ts:3/, 'a dependent with its line of use');
    assert.match(usersPrompt, /- src\/admin\.ts:3/, 'a dependent through a namespace import');
    assert.match(usersPrompt, /`normalise`: src\/lib\/users\.ts:6: export function normalise\(name: string\): string/, 'the declaration the new line calls');
    assert.match(usersPrompt, /Enclosing declaration `createUser`/);

    const signupPrompt = partOf(fake, 'src/signup.ts').file;
    assert.match(signupPrompt, /`createUser`: src\/lib\/users\.ts:1: export function createUser\(name: string\)/, 'an imported callee, from the index');
    const configPrompt = partOf(fake, 'src/config.ts').file;
    assert.match(configPrompt, /Already reported by static analysis[\s\S]*\[secret\]/, 'the static findings, so the model does not repeat them');
  });

  it('makes no call when the same branch is reviewed again, and counts what the cache saved', async () => {
    const repo = featureRepo();
    fake.setDefault(bugOnFirstLine('src/lib/users.ts'));
    const first = (await review(repo, fake)).json;
    assert.equal(fake.requests.length, 1);
    const second = (await review(repo, fake)).json;
    assert.equal(fake.requests.length, 1, 'no new request');
    assert.equal(second.run.llmCalls, 0);
    assert.equal(second.run.costUsd, 0);
    assert.equal(second.run.llm?.hunksCached, 3);
    assert.equal(second.run.llm?.savedUsd, first.run.costUsd);
    assert.deepEqual(second.findings.map((finding) => finding.id).sort(), first.findings.map((finding) => finding.id).sort(), 'the same findings, with the same ids');

    const metrics = (await runCliJsonAsync<{ llm: { calls: number; costUsd: number; savedUsd: number } }>(repo, ['metrics', '--json'])).json;
    assert.deepEqual(metrics.llm, { ...metrics.llm, calls: 1, costUsd: 1.2, savedUsd: 1.2 });
  });

  it('asks again only about the hunks whose prompt changed; the others come from the cache one by one', async () => {
    const repo = featureRepo();
    fake.setDefault(bugOnFirstLine('src/lib/users.ts'));
    await review(repo, fake);
    write(repo, 'src/signup.ts', ["import { createUser } from './lib/users';", '', 'export function signup(name: string) {', '  return createUser(name.trim());', '}', ''].join('\n'));
    commitAll(repo, 'trim');
    const { json: document } = await review(repo, fake);
    assert.equal(fake.requests.length, 2);
    // signup.ts changed, and so did users.ts's prompt: the change edits createUser and this caller of it,
    // which are reviewed together (each hunk's prompt carries the other side's edit). config.ts is unrelated.
    assert.deepEqual(promptHunks(fake.requests[1].body).map((hunk) => `${hunk.label} ${hunk.file}`), ['H1 src/lib/users.ts', 'H2 src/signup.ts']);
    assert.doesNotMatch(userMessages(fake)[1], /# File: src\/config\.ts/, 'the cached hunk is not sent');
    assert.deepEqual({ calls: document.run.llmCalls, sent: document.run.llm?.hunksSent, cached: document.run.llm?.hunksCached }, { calls: 1, sent: 2, cached: 1 });
    assert.equal(byRule(document, 'llm/bug').length, 1, "users.ts's finding, asked again");
    // The first call's $1.20 was split over its three hunks by size: the one served here saved part of it.
    assert.ok(document.run.llm!.savedUsd > 0 && document.run.llm!.savedUsd < 1.2, String(document.run.llm!.savedUsd));
  });

  it('delivers the static findings and marks the run partial when the endpoint keeps failing with 500', async () => {
    const repo = featureRepo();
    fake.setDefault({ kind: 'status', status: 500, message: 'upstream exploded' });
    const { json: document, code } = await review(repo, fake);
    assert.equal(document.run.status, 'partial');
    assert.equal(byRule(document, 'secret').length, 1);
    assert.equal(code, 1, 'the secret still fails the review');
    const error = document.run.errors.find((entry) => entry.stage === 'llm');
    // One call for the three hunks, tried four times; each of its hunks failed.
    assert.match(error?.message ?? '', /^3 of 3 hunk\(s\) were not reviewed by the LLM: LLM call failed: HTTP 500 from POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: upstream exploded \(after 4 attempts\)/);
    assert.equal(fake.requests.length, 4);
    assert.equal(document.run.llmCalls, 1);
    assert.equal(document.run.llm?.hunksFailed, 3);
    assert.equal(byRule(document, 'llm/bug').length, 0);
    assert.ok(!JSON.stringify(document).includes(API_KEY));

    // Nothing failed is cached: once the endpoint recovers, the hunks are asked again.
    fake.setDefault(bugOnFirstLine('src/lib/users.ts'));
    const again = (await review(repo, fake)).json;
    assert.equal(again.run.status, 'ok');
    assert.equal(again.run.llm?.hunksSent, 3);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    const repo = featureRepo();
    fake.enqueue({ kind: 'rateLimit', retryAfter: '1' });
    fake.setDefault(bugOnFirstLine('src/lib/users.ts'));
    const started = Date.now();
    const { json: document } = await review(repo, fake, [], {});
    assert.equal(document.run.status, 'ok', JSON.stringify(document.run.errors));
    assert.equal(fake.requests.length, 2, 'one call, retried once');
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
  });

  it('marks the run partial on answers that are not JSON or do not match the schema, and on timeouts', async () => {
    const repo = featureRepo({ timeoutMs: 300 });
    fake.setDefault({ kind: 'success', content: 'Looks good to me!' });
    let document = (await review(repo, fake)).json;
    assert.equal(document.run.status, 'partial');
    assert.match(document.run.errors.find((entry) => entry.stage === 'llm')!.message, /is not JSON/);

    fake.setDefault({ kind: 'success', content: JSON.stringify({ findings: [{ category: 'nitpick', line: 1 }] }) });
    document = (await review(repo, fake)).json;
    assert.equal(document.run.status, 'partial');
    assert.match(document.run.errors.find((entry) => entry.stage === 'llm')!.message, /does not match diffwise_review: findings\.0\.category/);

    fake.setDefault({ kind: 'malformedBody' });
    document = (await review(repo, fake)).json;
    assert.equal(document.run.status, 'partial');
    assert.match(document.run.errors.find((entry) => entry.stage === 'llm')!.message, /\(200\) is not JSON: got JSON that is cut short or malformed/);

    fake.setDefault({ kind: 'hang' });
    document = (await review(repo, fake)).json;
    assert.equal(document.run.status, 'partial');
    assert.match(document.run.errors.find((entry) => entry.stage === 'llm')!.message, /no answer within 300 ms/);
    assert.equal(byRule(document, 'secret').length, 1);
  });

  it('falls back to JSON mode with the schema in the prompt on a server without json_schema support', async () => {
    const repo = featureRepo();
    fake.rejectJsonSchema = true;
    fake.setDefault(bugOnFirstLine('src/lib/users.ts'));
    const { json: document } = await review(repo, fake);
    assert.equal(document.run.status, 'ok', JSON.stringify(document.run.errors));
    assert.equal(byRule(document, 'llm/bug').length, 1);
    const answered = fake.requests.filter((request) => request.body.response_format.type === 'json_object');
    assert.equal(answered.length, 1);
    assert.match(answered[0].body.messages[0].content, /JSON Schema \(diffwise_review\)/);
  });

  it('stops calling past the monthly budget unless overridden, and warns from 80%', async () => {
    // One call costs $1.20 here, whatever it holds: the first review's one call spends $1.20 of a $1.30 budget.
    const repo = featureRepo({ monthlyBudgetUsd: 1.3 });
    fake.setDefault(bugOnFirstLine('src/lib/users.ts'));
    const first = await review(repo, fake);
    assert.deepEqual(first.json.run.llm?.budget, { monthlyUsd: 1.3, spentUsd: 1.2, warning: true, exhausted: false });
    assert.match(first.stderr, /\$1\.20 of the \$1\.30 monthly LLM budget spent \(92%\)/);

    // 13 more small files: 16 hunks, two calls of 8. The next review (no cache, so every hunk
    // would be asked) gets one call in, and the other call's 8 hunks are not sent.
    for (let i = 0; i < 13; i++) write(repo, `src/extra/e${i}.ts`, `export const e${i} = ${i};\n`);
    commitAll(repo, 'extra');
    const second = await review(repo, fake, ['--no-cache']);
    assert.equal(fake.requests.length, 2);
    assert.equal(promptHunks(fake.requests[1].body).length, 8);
    assert.equal(second.json.run.llm?.hunksOverBudget, 8);
    assert.equal(second.json.run.llm?.budget?.exhausted, true);
    assert.equal(second.json.run.status, 'ok');
    assert.match(second.stderr, /the budget is used up, 8 hunk\(s\) were not sent to the LLM \(--over-budget to send them anyway\)/);

    const third = await review(repo, fake, ['--no-cache']);
    assert.equal(fake.requests.length, 2, 'no call at all');
    assert.equal(third.json.run.llm?.skipped, 'budget');
    assert.equal(byRule(third.json, 'secret').length, 1);

    await review(repo, fake, ['--no-cache', '--over-budget']);
    assert.equal(fake.requests.length, 4, 'the user overrode the budget');
  });

  it('sends nothing with --no-llm, in an untrusted workspace, or when no LLM is configured', async () => {
    const repo = featureRepo();
    fake.setDefault(bugOnFirstLine('src/lib/users.ts'));
    const off = (await review(repo, fake, ['--no-llm'])).json;
    assert.equal(off.run.llm, null);
    const untrusted = (await review(repo, fake, [], { DIFFWISE_LLM: 'untrusted' })).json;
    assert.equal(untrusted.run.llm?.skipped, 'untrusted');
    const none = (await runCliJsonAsync<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json'])).json;
    assert.equal(none.run.llm, null);
    assert.equal(fake.requests.length, 0);
    assert.equal(byRule(none, 'secret').length, 1);
  });

  it("sends the team's instructions for the path, and reports what did not fit the context budget", async () => {
    const repo = featureRepo({ maxContextTokens: 500 });
    // A long general section: with it, the 500-token context budget has no room for the list of uses.
    const house = Array.from({ length: 12 }, (_, i) => `- House rule ${i}: explain every non-obvious branch in a short comment above it.`).join('\n');
    write(repo, '.diffwise/instructions.md', ['Prefer early returns.', house, '', '## `src/lib/**`', 'LIB-RULE: library code never throws strings.', '', '## Style', 'Keep it short.', ''].join('\n'));
    // Enough dependents of createUser that their list does not fit in 500 tokens.
    for (let i = 0; i < 40; i++) write(repo, `src/users/user${i}.ts`, `import { createUser } from '../lib/users';\nexport const user${i} = createUser('user-number-${i}');\n`);
    commitAll(repo, 'many dependents');
    fake.setDefault(bugOnFirstLine('src/lib/users.ts'));
    const { json: document } = await review(repo, fake);
    const users = partOf(fake, 'src/lib/users.ts');
    assert.match(users.instructions, /Prefer early returns\.[\s\S]*Keep it short\.[\s\S]*LIB-RULE/);
    const signup = partOf(fake, 'src/signup.ts');
    assert.match(signup.instructions, /Prefer early returns\./);
    assert.doesNotMatch(signup.instructions, /LIB-RULE/, 'a path section applies to its paths only');
    assert.doesNotMatch(users.file, /`createUser` is used in/);
    // 500 tokens hold the instructions and one of these hunks, not two: each hunk is asked alone, once.
    assert.equal(fake.requests.length, 44);
    assert.ok(fake.requests.every((request) => promptHunks(request.body).length === 1));
    assert.ok(document.run.llm?.contextOmitted.some((line) => /^src\/lib\/users\.ts:1: .*the 4\d use\(s\) of createUser/.test(line)), JSON.stringify(document.run.llm?.contextOmitted));
    const text = await runCliAsync(repo, ['review', '--base', 'main'], envFor(fake));
    // The 40 new dependents are part of the branch too: 44 hunks, all answered from the cache by now.
    assert.match(text.stdout, /LLM review-model: 0 hunks asked, 44 from the cache.*context trimmed to fit the token budget for 1 hunk\n/);
  });

  it('reports an invalid config file as a partial run and still delivers the static findings', async () => {
    const repo = featureRepo();
    write(repo, '.diffwise/config.json', JSON.stringify({ llm: { maxConcurency: 2 } }));
    fake.setDefault(bugOnFirstLine('src/lib/users.ts'));
    const { json: document } = await review(repo, fake);
    assert.equal(document.run.status, 'partial');
    assert.match(document.run.errors.find((entry) => entry.stage === 'llm')!.message, /Invalid .*config\.json/);
    assert.equal(byRule(document, 'secret').length, 1);
    assert.equal(fake.requests.length, 0);
  });
});

/**
 * The LLM stage's grouping against the fake OpenAI-compatible server on
 * 127.0.0.1: reviewWithLlm called directly, on changed files made by hand, so
 * that each test chooses its hunks, budget and cache. The fake answers every
 * hunk a prompt names, labelled, so each request says which hunks it held.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../shared/review';
import type { DiffHunk, DiffLine } from '../../server/git/diffModel';
import { BudgetGuard } from '../../server/llm/budget';
import { ChatClient } from '../../server/llm/chatClient';
import { estimateTokens } from '../../server/llm/context';
import { reviewWithLlm, type LlmReviewerOptions } from '../../server/llm/llmReviewer';
import type { ChangedFile } from '../../server/review/rule';
import { CacheStore } from '../../server/store/cacheStore';
import { openDatabase } from '../../server/store/database';
import { startFakeOpenAi, type FakeBehaviour, type FakeOpenAi } from '../helpers/fakeOpenAi';
import { noSources } from '../helpers/llmSources';

const MODEL = 'group-model';
/** $1 per 1000 prompt tokens, nothing for the answer: a call's cost is its prompt's size. */
const PRICES = { [MODEL]: { inputPerMTok: 1000, outputPerMTok: 0 } };


/** The hunks a prompt names, from the line that ends each hunk's part. */
function hunksIn(body: any): Array<{ label: string; file: string; first: number; last: number }> {
  const user = body.messages.find((message: { role: string }) => message.role === 'user').content as string;
  return [...user.matchAll(/^Report problems only on lines (\d+)–(\d+) of (\S+), as hunk (H\d+)\.$/gm)].map((match) => ({
    label: match[4], file: match[3], first: Number(match[1]), last: Number(match[2]),
  }));
}

/**
 * Answers each hunk of a prompt with one finding on its first line naming its
 * file, plus, for the first hunk, one outside its lines and one with a label
 * the prompt did not give (both to be dropped). The prompt's size is its cost.
 */
const answerEveryHunk: FakeBehaviour = {
  kind: 'handler',
  handle: (body) => {
    const hunks = hunksIn(body);
    const findings = hunks.map((hunk) => ({ hunk: hunk.label, category: 'bug', severity: 'warning', line: hunk.first, endLine: hunk.first, message: `In ${hunk.file}.`, suggestion: null }));
    findings.push({ ...findings[0], line: hunks[0].last + 1, endLine: hunks[0].last + 1, message: 'Outside its hunk.' });
    findings.push({ ...findings[0], hunk: `H${hunks.length + 1}`, message: 'No such hunk.' });
    const prompt = estimateTokens(body.messages.map((message: { content: string }) => message.content).join(''));
    return { kind: 'success', content: JSON.stringify({ findings }), usage: { prompt, completion: 20 } };
  },
};

/**
 * `lines` as a modified file in which the lines numbered in `changed` were
 * rewritten: one hunk per run of changed lines, with one line of context each side.
 */
function modifiedFile(file: string, lines: string[], changed: number[]): ChangedFile {
  const runs: number[][] = [];
  for (const n of [...changed].sort((a, b) => a - b)) {
    const run = runs.at(-1);
    if (run && n - run.at(-1)! <= 3) run.push(n);
    else runs.push([n]);
  }
  const hunks: DiffHunk[] = runs.map((run) => {
    const first = Math.max(1, run[0] - 1);
    const last = Math.min(lines.length, run.at(-1)! + 1);
    const body: DiffLine[] = [];
    for (let n = first; n <= last; n++) {
      if (run.includes(n)) {
        body.push({ kind: 'del', text: '// before', oldLine: n, newLine: null });
        body.push({ kind: 'add', text: lines[n - 1], oldLine: null, newLine: n });
      } else body.push({ kind: 'context', text: lines[n - 1], oldLine: n, newLine: n });
    }
    return { oldStart: first, oldLines: last - first + 1, newStart: first, newLines: last - first + 1, header: '', lines: body };
  });
  const text = `${lines.join('\n')}\n`;
  return {
    diff: { oldPath: file, newPath: file, status: 'modified', oldMode: '100644', newMode: '100644', binary: false, submodule: false, similarity: null, hunks },
    path: file,
    newText: text,
    oldText: text.split('\n').map((line, i) => (changed.includes(i + 1) ? '// before' : line)).join('\n'),
    added: new Set(changed),
  };
}

/** A module of `count` small functions, one every five lines: function i's body is on line 5i + 2. */
function moduleOf(count: number, tag = ''): string[] {
  return Array.from({ length: count }, (_, i) => [`export function f${i}(x: number): number {`, `  return x * ${i + 1}${tag};`, '}', '', '']).flat();
}
const bodyLine = (i: number) => 5 * i + 2;

describe('LLM stage: several hunks per call (fake OpenAI-compatible server)', function () {
  this.timeout(60_000);
  let fake: FakeOpenAi;
  let dir: string;
  let cache: CacheStore;
  let client: ChatClient;

  beforeEach(async () => {
    fake = await startFakeOpenAi();
    fake.setDefault(answerEveryHunk);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-llm-groups-'));
    cache = new CacheStore(openDatabase(path.join(dir, 'cache.db')));
    client = new ChatClient({ baseUrl: fake.baseUrl, apiKey: 'sk-groups-0123456789', model: MODEL, prices: PRICES, maxAttempts: 1, maxConcurrency: 4 });
  });
  afterEach(async () => {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function review(files: ChangedFile[], options: Partial<LlmReviewerOptions> = {}, staticFindings: Finding[] = []) {
    return reviewWithLlm(
      {
        client, model: MODEL, maxConcurrency: 4, maxContextTokens: 6_000, sources: noSources,
        budget: new BudgetGuard(undefined, 0, false), estimateCostUsd: () => 0.01, cache, ...options,
      },
      files,
      staticFindings,
    );
  }

  const byFile = (findings: Array<{ file: string; line: number; message: string }>) => findings.map((finding) => `${finding.file}:${finding.line} ${finding.message}`).sort();

  it('asks about several small hunks of one file in one call, and gives each finding to its hunk', async () => {
    const file = modifiedFile('src/math.ts', moduleOf(4), [bodyLine(0), bodyLine(1), bodyLine(3)]);
    const result = await review([file]);
    assert.equal(fake.requests.length, 1);
    assert.deepEqual(hunksIn(fake.requests[0].body).map((hunk) => hunk.label), ['H1', 'H2', 'H3']);
    assert.equal(result.calls, 1);
    assert.deepEqual({ sent: result.summary.hunksSent, failed: result.summary.hunksFailed, cached: result.summary.hunksCached }, { sent: 3, failed: 0, cached: 0 });
    // One finding per hunk on its first line; the one outside its hunk and the one with a label never given are dropped.
    assert.deepEqual(byFile(result.findings), ['src/math.ts:1 In src/math.ts.', 'src/math.ts:16 In src/math.ts.', 'src/math.ts:6 In src/math.ts.']);
    assert.equal(result.error, null);
  });

  it('packs the hunks of several files into prompts that stay within the context budget', async () => {
    const files = Array.from({ length: 12 }, (_, i) => modifiedFile(`src/part${i}.ts`, moduleOf(2, ` + ${i}`), [bodyLine(1)]));
    const budget = 600;
    const result = await review(files, { maxContextTokens: budget });
    const asked = fake.requests.map((request) => hunksIn(request.body));
    assert.ok(fake.requests.length > 1 && fake.requests.length < files.length, `${fake.requests.length} calls`);
    for (const request of fake.requests) {
      const user = request.body.messages.find((message: { role: string }) => message.role === 'user').content as string;
      assert.ok(estimateTokens(user) <= budget, `${estimateTokens(user)} tokens:\n${user}`);
    }
    assert.deepEqual(asked.flat().map((hunk) => hunk.file).sort(), files.map((file) => file.path).sort(), 'each hunk asked once');
    assert.ok(asked.some((hunks) => new Set(hunks.map((hunk) => hunk.file)).size > 1), 'a prompt holds several files');
    assert.equal(result.calls, fake.requests.length);
    assert.equal(result.summary.hunksSent, 12);
    assert.deepEqual(byFile(result.findings), files.map((file) => `${file.path}:6 In ${file.path}.`).sort(), 'every finding in its own file');

    // The same files are grouped the same way.
    const first = fake.requests.map((request) => request.body.messages);
    await review(files, { maxContextTokens: budget, cache: undefined });
    assert.deepEqual(fake.requests.slice(first.length).map((request) => request.body.messages), first);
  });

  it('sends a big hunk alone and packs the small ones beside it', async () => {
    const constants = Array.from({ length: 200 }, (_, i) => `export const limit${i} = ${i * 1000};`);
    const big = modifiedFile('src/big.ts', constants, constants.map((_, i) => i + 1));
    assert.equal(big.diff.hunks.length, 1);
    const small = [modifiedFile('src/a.ts', moduleOf(2), [bodyLine(0)]), modifiedFile('src/b.ts', moduleOf(2), [bodyLine(1)])];
    const result = await review([small[0], big, small[1]], { maxContextTokens: 1_000 });
    const asked = fake.requests.map((request) => hunksIn(request.body).map((hunk) => hunk.file)).sort((a, b) => a.length - b.length);
    assert.deepEqual(asked, [['src/big.ts'], ['src/a.ts', 'src/b.ts']]);
    assert.equal(result.calls, 2);
    assert.equal(result.summary.hunksSent, 3);
  });

  it('serves an unchanged hunk from the cache and asks only about its changed neighbour', async () => {
    const lines = moduleOf(4);
    const first = await review([modifiedFile('src/math.ts', lines, [bodyLine(0), bodyLine(2)])]);
    assert.equal(fake.requests.length, 1);
    // Everything cached: no call, and the cache saved what the one call cost, split over its hunks.
    const again = await review([modifiedFile('src/math.ts', lines, [bodyLine(0), bodyLine(2)])]);
    assert.equal(fake.requests.length, 1);
    assert.deepEqual({ calls: again.calls, cached: again.summary.hunksCached, saved: again.summary.savedUsd }, { calls: 0, cached: 2, saved: first.costUsd });
    assert.deepEqual(byFile(again.findings), byFile(first.findings));

    // The second hunk changes: only it is sent, the first comes from the cache.
    const edited = [...lines];
    edited[bodyLine(2) - 1] = '  return x * 3 + 1;';
    const third = await review([modifiedFile('src/math.ts', edited, [bodyLine(0), bodyLine(2)])]);
    assert.equal(fake.requests.length, 2);
    assert.deepEqual(hunksIn(fake.requests[1].body).map((hunk) => [hunk.label, hunk.first]), [['H1', 11]]);
    assert.deepEqual({ calls: third.calls, sent: third.summary.hunksSent, cached: third.summary.hunksCached }, { calls: 1, sent: 1, cached: 1 });
    assert.ok(third.summary.savedUsd > 0 && third.summary.savedUsd < first.costUsd, `the first hunk's share of ${first.costUsd}: ${third.summary.savedUsd}`);
    assert.deepEqual(byFile(third.findings), ['src/math.ts:1 In src/math.ts.', 'src/math.ts:11 In src/math.ts.']);
  });

  it('counts a failed call that held several hunks as that many failed hunks, and caches none of them', async () => {
    fake.setDefault({ kind: 'status', status: 400, message: 'context_length_exceeded' });
    const files = [modifiedFile('src/a.ts', moduleOf(3), [bodyLine(0), bodyLine(2)]), modifiedFile('src/b.ts', moduleOf(2), [bodyLine(1)])];
    const result = await review(files);
    assert.equal(fake.requests.length, 1);
    assert.equal(result.calls, 1);
    assert.deepEqual({ sent: result.summary.hunksSent, failed: result.summary.hunksFailed }, { sent: 3, failed: 3 });
    assert.match(result.error ?? '', /^3 of 3 hunk\(s\) were not reviewed by the LLM: LLM call failed: HTTP 400 from .*: context_length_exceeded$/);
    assert.deepEqual(result.findings, []);

    fake.setDefault(answerEveryHunk);
    const recovered = await review(files);
    assert.deepEqual({ sent: recovered.summary.hunksSent, cached: recovered.summary.hunksCached, error: recovered.error }, { sent: 3, cached: 0, error: null });
  });

  it('reserves the budget once per call and counts a refused call per hunk', async () => {
    const files = [modifiedFile('src/a.ts', moduleOf(3), [bodyLine(0), bodyLine(2)])];
    const estimates: Array<[number, number]> = [];
    const result = await review(files, {
      budget: new BudgetGuard(1, 1, false),
      estimateCostUsd: (user, hunks) => (estimates.push([estimateTokens(user), hunks]), 0.01),
    });
    assert.equal(fake.requests.length, 0);
    assert.equal(estimates.length, 1);
    assert.equal(estimates[0][1], 2, 'the estimate is told how many hunks the prompt holds');
    assert.deepEqual({ overBudget: result.summary.hunksOverBudget, sent: result.summary.hunksSent, skipped: result.summary.skipped, calls: result.calls }, { overBudget: 2, sent: 0, skipped: 'budget', calls: 0 });
  });

  it('redacts each hunk on its own: an unterminated key in one hunk does not swallow the next', async () => {
    // A private key without its END is redacted to the end of the text it is in: that is the hunk's own part, not the prompt.
    const lines = moduleOf(3);
    lines[bodyLine(0) - 1] = "  const pem = '-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA7bq';";
    const result = await review([modifiedFile('src/a.ts', lines, [bodyLine(0), bodyLine(2)])]);
    const body = JSON.stringify(fake.requests[0].body);
    assert.ok(!body.includes('MIIEowIBAAKCAQEA7bq'));
    const user = fake.requests[0].body.messages.find((message: { role: string }) => message.role === 'user').content as string;
    assert.match(user, /\n## Hunk H2 [^]*\+ 12 \| {3}return x \* 3;\n[^]*as hunk H2\.$/, 'the second hunk is still there, whole');
    assert.ok(result.summary.redactions >= 1);
  });

  it('gives an unlabelled finding to the only hunk of a one-hunk prompt, and drops it from a prompt of several', async () => {
    const unlabelled: FakeBehaviour = {
      kind: 'handler',
      handle: (body) => {
        const findings = hunksIn(body).map((hunk) => ({ category: 'bug', severity: 'info', line: hunk.first, endLine: hunk.first, message: 'No label.', suggestion: null }));
        return { kind: 'success', content: JSON.stringify({ findings }) };
      },
    };
    fake.setDefault(unlabelled);
    const one = await review([modifiedFile('src/one.ts', moduleOf(2), [bodyLine(0)])]);
    assert.deepEqual(byFile(one.findings), ['src/one.ts:1 No label.']);
    const several = await review([modifiedFile('src/two.ts', moduleOf(2), [bodyLine(0), bodyLine(1)])]);
    assert.deepEqual(several.findings, []);

    fake.setDefault({
      kind: 'handler',
      handle: (body) => ({
        kind: 'success',
        content: JSON.stringify({ findings: hunksIn(body).map((hunk, i) => ({ hunk: i === 0 ? ' h1 ' : String(i + 1), category: 'bug', severity: 'info', line: hunk.first, endLine: hunk.first, message: 'Loose label.', suggestion: null })) }),
      }),
    });
    const loose = await review([modifiedFile('src/three.ts', moduleOf(2), [bodyLine(0), bodyLine(1)])]);
    assert.deepEqual(byFile(loose.findings), ['src/three.ts:1 Loose label.', 'src/three.ts:6 Loose label.']);
  });
});

import * as assert from 'node:assert/strict';
import type { DiffHunk, DiffLine } from '../../server/git/diffModel';
import { parseSource } from '../../server/index/languages';
import { BudgetGuard, monthStartUtc } from '../../server/llm/budget';
import { buildHunkPrompt, type ContextSources, type HunkPrompt } from '../../server/llm/context';
import { composePrompt } from '../../server/llm/grouping';
import { instructionsFor, parseInstructions } from '../../server/llm/instructions';
import { excludedPaths } from '../../server/llm/paths';
import { redactForLlm } from '../../server/llm/redaction';
import type { ChangedFile } from '../../server/review/rule';
import { noSources } from '../helpers/llmSources';


/** The user message of a prompt holding `prompt` alone. */
const userOf = (prompt: HunkPrompt) => composePrompt([prompt]).parts.join('\n\n');

/** `text` as a modified file whose one hunk adds lines `added` (1-based), with two lines of context around them. */
function fileWithHunk(path: string, text: string, added: number[]): { file: ChangedFile; hunk: DiffHunk } {
  const lines = text.split('\n');
  const first = Math.max(1, Math.min(...added) - 2);
  const last = Math.min(lines.length, Math.max(...added) + 2);
  const hunkLines: DiffLine[] = [];
  let oldLine = first;
  for (let n = first; n <= last; n++) {
    if (added.includes(n)) hunkLines.push({ kind: 'add', text: lines[n - 1], oldLine: null, newLine: n });
    else hunkLines.push({ kind: 'context', text: lines[n - 1], oldLine: oldLine++, newLine: n });
  }
  const hunk: DiffHunk = { oldStart: first, oldLines: oldLine - first, newStart: first, newLines: last - first + 1, header: '', lines: hunkLines };
  const file: ChangedFile = {
    diff: { oldPath: path, newPath: path, status: 'modified', oldMode: '100644', newMode: '100644', binary: false, submodule: false, similarity: null, hunks: [hunk] },
    path,
    newText: text,
    oldText: null,
    added: new Set(added),
  };
  return { file, hunk };
}

describe('LLM prompt context', () => {
  const body = [
    'export function total(items: number[]): number {',
    '  let sum = 0;',
    '  for (const item of items) sum += item;',
    '  return round(sum);',
    '}',
    '',
    'function round(value: number): number {',
    '  return Math.round(value * 100) / 100;',
    '}',
  ];

  it('numbers the hunk with new-file lines and adds the enclosing function and local callees', async () => {
    const text = body.join('\n');
    const { file, hunk } = fileWithHunk('src/total.ts', text, [4]);
    const prompt = await buildHunkPrompt(file, hunk, parseSource(file.path, text), [], noSources, 6000);
    const user = userOf(prompt);
    assert.match(user, /^One hunk to review; give each finding its hunk's label:\n- H1: src\/total\.ts, lines 2–6\n\n# File: src\/total\.ts \(modified\)\n\n## Hunk H1 /);
    assert.match(user, /\+ 4 \| {3}return round\(sum\);/);
    assert.match(user, / {2}3 \| {3}for \(const item of items\) sum \+= item;/);
    assert.match(user, /### Enclosing declaration `total`\n1 \| export function total/);
    assert.match(user, /`round`: src\/total\.ts:7: function round\(value: number\): number/);
    assert.match(user, /Report problems only on lines 2–6 of src\/total\.ts, as hunk H1\.$/);
    assert.deepEqual(prompt.range, { first: 2, last: 6 });
    assert.deepEqual(prompt.omitted, []);
  });

  it('keys the context independently of where the hunk sits in the file', async () => {
    const text = body.join('\n');
    const moved = ['// a header comment', '// another', '', ...body].join('\n');
    const a = fileWithHunk('src/total.ts', text, [4]);
    const b = fileWithHunk('src/total.ts', moved, [7]);
    const promptA = await buildHunkPrompt(a.file, a.hunk, parseSource('src/total.ts', text), [], noSources, 6000);
    const promptB = await buildHunkPrompt(b.file, b.hunk, parseSource('src/total.ts', moved), [], noSources, 6000);
    assert.notEqual(userOf(promptA), userOf(promptB));
    assert.equal(promptA.contextHash, promptB.contextHash);

    const edited = fileWithHunk('src/total.ts', text.replace('return round(sum);', 'return round(sum + 1);'), [4]);
    const promptC = await buildHunkPrompt(edited.file, edited.hunk, parseSource('src/total.ts', edited.file.newText!), [], noSources, 6000);
    assert.notEqual(promptC.contextHash, promptA.contextHash);
  });

  it('leaves out what does not fit the token budget, by priority, and says so', async () => {
    const text = body.join('\n');
    const { file, hunk } = fileWithHunk('src/total.ts', text, [4]);
    const sources: ContextSources = {
      ...noSources,
      instructionsFor: () => 'x'.repeat(1_000),
      usagesOf: async () => Array.from({ length: 50 }, (_, i) => ({ file: `src/use${i}.ts`, line: i + 1, message: 'calls `total`' })),
    };
    const prompt = await buildHunkPrompt(file, hunk, parseSource(file.path, text), [], sources, 350);
    assert.match(userOf(prompt), /# Team instructions\nx{1000}/);
    assert.doesNotMatch(userOf(prompt), /is used in/);
    assert.ok(prompt.omitted.includes('the 50 use(s) of total'), prompt.omitted.join(', '));
  });
});

describe('LLM redaction', () => {
  const token = ['ghp', '_', 'R8x2Lq', '9Vt4Kw', 'Zp7Nc3', 'Hy6Mb1', 'Jd5Gs0', 'Fa2Qe8', 'Ux'].join('');

  it('removes provider tokens, private keys, bearer tokens, URL passwords and quoted secret values', async () => {
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA7bq', '-----END RSA PRIVATE KEY-----'].join('\n');
    const text = [
      `+ 1 | const token = '${token}';`,
      pem,
      "fetch(url, { headers: { Authorization: 'Bearer abcdefghijklmnop1234567890' } });",
      'const db = "postgres://admin:hunter2hunter2@db.internal:5432/app";',
      'const config = { password: "correct horse battery" , apiKey: `k-live-12345678` };',
    ].join('\n');
    const { text: out, count } = await redactForLlm(text);
    for (const secret of [token, 'MIIEowIBAAKCAQEA7bq', 'abcdefghijklmnop1234567890', 'hunter2hunter2', 'k-live-12345678']) assert.ok(!out.includes(secret), `${secret} leaked:\n${out}`);
    assert.ok(count >= 5, String(count));
    assert.match(out, /postgres:\/\/admin:\[REDACTED\]@db\.internal/);
  });

  it('leaves code without secrets and placeholders alone', async () => {
    const text = 'const password = process.env.DB_PASSWORD;\nconst apiKey = "<your-api-key>";\nfunction token(length: number) { return length; }';
    assert.deepEqual(await redactForLlm(text), { text, count: 0 });
  });
});

describe('LLM instructions and exclusions', () => {
  it('applies the general text everywhere and path sections to their paths', () => {
    const instructions = parseInstructions('.diffwise/instructions.md', [
      'Prefer early returns.',
      '',
      '## `src/db/**`, `migrations/*.sql`',
      'Queries go through the sql tag.',
      '',
      '## Tone',
      'Be brief.',
    ].join('\n'));
    assert.equal(instructionsFor(instructions, 'src/app.ts'), 'Prefer early returns.\n\n## Tone\nBe brief.');
    assert.match(instructionsFor(instructions, 'src/db/users.ts'), /For src\/db\/\*\*, migrations\/\*\.sql:\nQueries go through the sql tag\./);
    assert.match(instructionsFor(instructions, 'migrations/001.sql'), /Queries go through/);
    assert.equal(instructionsFor(null, 'src/app.ts'), '');
  });

  it('never sends credential files, lockfiles or the team exclusions', () => {
    const excluded = excludedPaths(['vendor/**']);
    for (const path of ['.env', 'config/.env.production', 'certs/server.pem', 'package-lock.json', 'web/app.min.js', 'vendor/lib/a.ts']) assert.ok(excluded(path), path);
    for (const path of ['src/env.ts', 'src/vendor.ts', 'README.md']) assert.ok(!excluded(path), path);
  });
});

describe('LLM monthly budget', () => {
  it('reserves estimates so that concurrent calls cannot all start past the limit', () => {
    const budget = new BudgetGuard(4, 3.5, false);
    assert.equal(budget.reserve(1), true);
    assert.equal(budget.reserve(1), false, '3.5 spent + 1 reserved is past 4');
    budget.settle(1, 0.2);
    assert.equal(budget.reserve(0.2), true);
    budget.settle(0.2, 0.4);
    assert.deepEqual(budget.state(), { monthlyUsd: 4, spentUsd: 4.1, warning: true, exhausted: true });
    assert.equal(budget.reserve(0.1), false);
    assert.equal(new BudgetGuard(4, 10, true).reserve(1), true, 'the user overrode it');
    assert.equal(new BudgetGuard(undefined, 10, false).state(), null);
    assert.deepEqual(new BudgetGuard(10, 7.9, false).state(), { monthlyUsd: 10, spentUsd: 7.9, warning: false, exhausted: false });
  });

  it('counts the calendar month in UTC', () => {
    assert.equal(monthStartUtc(new Date('2026-11-25T22:05:00Z')), '2026-11-01T00:00:00.000Z');
    assert.equal(monthStartUtc(new Date('2027-01-01T00:00:00Z')), '2027-01-01T00:00:00.000Z');
  });
});

import * as assert from 'node:assert/strict';
import type { ReviewDocument } from '../../shared/review';
import { runCli, runCliJson } from '../helpers/cli';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, write } from '../helpers/gitRepo';

/** Built at run time so this repository's own secret scanning never sees a token in its source. */
const GITHUB_TOKEN = ['ghp', '_', 'R8x2Lq', '9Vt4Kw', 'Zp7Nc3', 'Hy6Mb1', 'Jd5Gs0', 'Fa2Qe8', 'Ux'].join('');

function baseRepo(): string {
  const repo = makeRepo();
  write(repo, 'tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }));
  write(repo, 'src/lib/api.ts', [
    'export function parse(input: string): number {',
    '  return input.length;',
    '}',
    '',
    'export function format(value: number): string {',
    '  return String(value);',
    '}',
    '',
  ].join('\n'));
  write(repo, 'src/lib/index.ts', "export { parse } from './api';\n");
  write(repo, 'src/main.ts', ["import { parse } from './lib/api';", '', 'const n = parse("a");', 'console.error(n);', ''].join('\n'));
  write(repo, 'src/ns.ts', ["import * as api from '@lib/api';", '', 'export const twice = api.parse("x") * 2;', ''].join('\n'));
  write(repo, 'src/viaIndex.ts', ["import { parse as p } from './lib';", '', 'export const y = p("b");', ''].join('\n'));
  write(repo, 'src/untouched.ts', "import { format } from './lib/api';\nexport const f = format(1);\n");
  commitAll(repo, 'initial');
  return repo;
}

function findingsOf(document: ReviewDocument, ruleId: string) {
  return document.findings.filter((finding) => finding.ruleId === ruleId);
}

describe('diffwise review (CLI on real repositories)', () => {
  after(cleanupRepos);

  it('reviews a branch: a breaking change with every call site, a secret never printed, a debug leftover', () => {
    const repo = baseRepo();
    git(repo, 'checkout', '-q', '-b', 'feature');
    write(repo, 'src/lib/api.ts', [
      'export function parse(input: string, radix: number): number {',
      '  console.log("parsing", input);',
      '  return input.length * radix;',
      '}',
      '',
      'export function format(value: number): string {',
      '  return String(value);',
      '}',
      '',
    ].join('\n'));
    write(repo, 'src/config.ts', `export const token = "${GITHUB_TOKEN}";\n`);
    commitAll(repo, 'feature work');

    const { code, json, stderr } = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json']);
    assert.equal(code, 1, stderr);
    assert.deepEqual(Object.keys(json), ['run', 'findings', 'impact']);
    assert.deepEqual(Object.keys(json.run).sort(), ['base', 'cacheHits', 'costUsd', 'durationMs', 'errors', 'files', 'head', 'hunks', 'id', 'learning', 'llm', 'llmCalls', 'mergeBase', 'notices', 'scope', 'skipped', 'startedAt', 'status', 'tokens'].sort());
    assert.equal(json.run.scope, 'branch');
    assert.equal(json.run.base, 'main');
    assert.equal(json.run.mergeBase, git(repo, 'rev-parse', 'main'));
    assert.equal(json.run.head, git(repo, 'rev-parse', 'HEAD'));
    assert.equal(json.run.status, 'ok', JSON.stringify(json.run.errors));
    assert.equal(json.run.files, 2);

    const [breaking] = findingsOf(json, 'breaking-change');
    assert.ok(breaking, JSON.stringify(json.findings, null, 2));
    assert.equal(breaking.file, 'src/lib/api.ts');
    assert.equal(breaking.line, 1);
    assert.equal(breaking.symbol, 'parse');
    assert.equal(breaking.severity, 'error');
    assert.match(breaking.message, /calls `parse\(input\)` \(1 argument\) no longer compile \(Expected 2 arguments, but got 1\.\)/);
    // The uses that no longer compile, found by the type checker: named, through a `paths` alias and a namespace,
    // and through the index's re-export (which itself still compiles, so it is not one of them).
    const places = breaking.related.map((r) => `${r.file}:${r.line}`);
    assert.deepEqual(places, ['src/main.ts:3', 'src/ns.ts:3', 'src/viaIndex.ts:3']);
    assert.match(breaking.related[0].message, /no longer compiles: Expected 2 arguments, but got 1/);
    assert.ok(!places.some((p) => p.startsWith('src/untouched.ts')), 'format did not change');
    // The impact summary: the two changed modules, what imports them, and the three broken call sites.
    assert.equal(json.impact?.changed, 2);
    assert.ok((json.impact?.dependents ?? 0) >= 3, JSON.stringify(json.impact));
    assert.equal(json.impact?.brokenCallSites, 3);

    const [secret] = findingsOf(json, 'secret');
    assert.equal(secret.file, 'src/config.ts');
    assert.equal(secret.severity, 'error');
    const debug = findingsOf(json, 'debug-leftover');
    assert.deepEqual(debug.map((f) => `${f.file}:${f.line}`), ['src/lib/api.ts:2']);
    assert.ok(!JSON.stringify(json).includes(GITHUB_TOKEN), 'the token must never be printed');
    for (const finding of json.findings) assert.match(finding.id, /^[0-9a-f]{16}$/);
  });

  it('keeps finding ids stable when lines above move, and reports only added lines', () => {
    const repo = baseRepo();
    git(repo, 'checkout', '-q', '-b', 'feature');
    write(repo, 'src/debug.ts', 'export function run() {\n  debugger;\n}\n');
    commitAll(repo, 'add debugger');
    const first = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json']).json;
    const [before] = findingsOf(first, 'debug-leftover');
    assert.equal(before.line, 2);

    write(repo, 'src/debug.ts', '// a comment\n// another\nexport function run() {\n  debugger;\n}\n');
    commitAll(repo, 'lines above');
    const second = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json']).json;
    const [after] = findingsOf(second, 'debug-leftover');
    assert.equal(after.line, 4);
    assert.equal(after.id, before.id);
    assert.notEqual(second.run.id, first.run.id);
  });

  it('reviews the working tree (with untracked files) and the staged scope separately', () => {
    const repo = baseRepo();
    write(repo, 'src/new.ts', 'export const a = 1;\ndebugger;\n');
    write(repo, 'src/staged.ts', 'console.log("staged");\n');
    git(repo, 'add', 'src/staged.ts');

    const working = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json']).json;
    assert.equal(working.run.scope, 'working');
    assert.deepEqual(findingsOf(working, 'debug-leftover').map((f) => f.file).sort(), ['src/new.ts', 'src/staged.ts']);

    const staged = runCliJson<ReviewDocument>(repo, ['review', '--staged', '--format', 'json']).json;
    assert.equal(staged.run.scope, 'staged');
    assert.deepEqual(findingsOf(staged, 'debug-leftover').map((f) => f.file), ['src/staged.ts']);
  });

  it('honours --fail-on and prints a readable text report', () => {
    const repo = baseRepo();
    write(repo, 'src/new.ts', 'debugger;\n');
    const text = runCli(repo, ['review']);
    assert.equal(text.code, 0, 'a warning does not fail at the default --fail-on error');
    assert.match(text.stdout, /^src\/new\.ts$/m);
    assert.match(text.stdout, /1:?\s+warning\s+.*debug-leftover/);
    assert.match(text.stdout, /1 problem \(0 errors, 1 warning\)/);
    assert.equal(runCli(repo, ['review', '--fail-on', 'warning']).code, 1);
    assert.match(runCli(repo, ['review']).stdout, /1 hunk \(1 from the cache\) of the working tree/);
    assert.equal(runCli(repo, ['review', '--fail-on', 'never']).code, 0);
  });

  it('prints SARIF 2.1.0 with rules, locations and fingerprints', () => {
    const repo = baseRepo();
    write(repo, 'src/dir with space/new.ts', 'debugger;\n');
    const { json } = runCliJson<{ version: string; runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string }> } }; results: Array<Record<string, any>> }> }>(repo, ['review', '--format', 'sarif']);
    assert.equal(json.version, '2.1.0');
    const [run] = json.runs;
    assert.equal(run.tool.driver.name, 'Diffwise');
    assert.deepEqual(run.tool.driver.rules.map((r) => r.id), [
      'breaking-change', 'secret', 'debug-leftover', 'conflict-marker', 'co-change', 'import-cycle',
      'llm/bug', 'llm/security', 'llm/performance', 'llm/maintainability', 'llm/testing',
    ]);
    const [result] = run.results;
    assert.equal(result.ruleId, 'debug-leftover');
    assert.equal(result.level, 'warning');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'src/dir%20with%20space/new.ts');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 1);
    assert.match(result.partialFingerprints['diffwise/v1'], /^[0-9a-f]{16}$/);
  });

  it('finds the importers of a deleted module', () => {
    const repo = baseRepo();
    git(repo, 'rm', '-q', 'src/lib/api.ts');
    const { json } = runCliJson<ReviewDocument>(repo, ['review', '--staged', '--format', 'json']);
    const removed = findingsOf(json, 'breaking-change').find((f) => f.symbol === 'parse');
    assert.ok(removed, JSON.stringify(json));
    assert.equal(removed.file, 'src/lib/api.ts');
    assert.ok(removed.related.some((r) => r.file === 'src/main.ts' && r.line === 3), JSON.stringify(removed.related));
  });

  it('skips binary files, handles a detached HEAD and an unborn HEAD', () => {
    const repo = baseRepo();
    write(repo, 'assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    commitAll(repo, 'binary');
    git(repo, 'checkout', '-q', '--detach');
    write(repo, 'assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9, 9]));
    const detached = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json']);
    assert.equal(detached.code, 0, detached.stderr);
    assert.equal(detached.json.run.files, 1);
    assert.deepEqual(detached.json.findings, []);

    const unborn = makeRepo();
    write(unborn, 'index.js', 'console.log(1);\n');
    const fresh = runCliJson<ReviewDocument>(unborn, ['review', '--format', 'json']);
    assert.equal(fresh.json.run.head, null);
    assert.equal(findingsOf(fresh.json, 'debug-leftover').length, 1);
    const branch = runCli(unborn, ['review', '--base', 'main']);
    assert.equal(branch.code, 2);
    assert.match(branch.stderr, /^diffwise: HEAD has no commits yet/);
  });

  it('fails with one clear line outside a repository, for an unknown base and for bad usage', () => {
    const outside = makeTempDir();
    const notRepo = runCli(outside, ['review']);
    assert.equal(notRepo.code, 2);
    assert.equal(notRepo.stderr.trim().split('\n').length, 1);
    assert.match(notRepo.stderr, /not a git repository/);

    const repo = baseRepo();
    const badBase = runCli(repo, ['review', '--base', 'no-such-branch']);
    assert.equal(badBase.code, 2);
    assert.match(badBase.stderr, /unknown base ref: no-such-branch/);

    for (const args of [['review', '--format', 'xml'], ['review', '--staged', '--base', 'main'], ['frobnicate'], ['review', '--nope']]) {
      const result = runCli(repo, args);
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    }
    assert.match(runCli(repo, ['--help']).stdout, /Usage: diffwise/);
    assert.match(runCli(repo, ['--version']).stdout, /^\d+\.\d+\.\d+/);
  });
});

import * as assert from 'node:assert/strict';
import type { Finding, ReviewDocument } from '../../shared/review';
import { runCli, runCliJson } from '../helpers/cli';
import { cleanupRepos, commitAll, featureBranchRepo, makeRepo, write } from '../helpers/gitRepo';

/** A repository with `files` on main, then `changes` committed on `feature`: the branch's review. */
function reviewBranch(files: Record<string, string>, changes: Record<string, string>): ReviewDocument {
  const repo = featureBranchRepo(files, changes);
  const { json, stderr } = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never', '--no-llm']);
  assert.ok(json, stderr);
  return json;
}

function breaks(document: ReviewDocument): Finding[] {
  return document.findings.filter((finding) => finding.ruleId === 'breaking-change');
}

const places = (finding: Finding) => finding.related.map((r) => `${r.file}:${r.line}`);

describe('breaking-change on real repositories (the type checker)', () => {
  after(cleanupRepos);

  it('an API declared in .d.ts files, imported as ./index.js: the importers that break make it an error', () => {
    const document = reviewBranch({
      'lib/index.js': 'module.exports = {};\n',
      'lib/index.d.ts': 'export interface Options { url: string }\nexport declare function connect(options: Options): void;\n',
      'src/app.ts': "import { connect, type Options } from '../lib/index.js';\n\nconst options: Options = { url: 'x' };\nconnect(options);\n",
    }, {
      'lib/index.d.ts': 'export interface Options { url: string; retries: number }\nexport declare function connect(options: Options): void;\n',
    });
    const [found, ...others] = breaks(document);
    assert.deepEqual(others, [], JSON.stringify(others));
    assert.equal(found.file, 'lib/index.d.ts');
    assert.equal(found.symbol, 'Options');
    assert.equal(found.severity, 'error');
    assert.match(found.message, /exported interface `Options`: objects typed `Options` must now provide `retries`/);
    assert.deepEqual(places(found), ['src/app.ts:3']);
    assert.match(found.related[0].message, /Property 'retries' is missing/);
  });

  it('a namespace import is a use of a member only where `ns.member` is used', () => {
    const document = reviewBranch({
      'src/math.ts': 'export function add(a: number, b: number): number { return a + b; }\nexport function neg(a: number): number { return -a; }\n',
      'src/usesAdd.ts': "import * as math from './math';\nexport const three = math.add(1, 2);\n",
      'src/usesNeg.ts': "import * as math from './math';\nexport const minus = math.neg(1);\n",
    }, {
      'src/math.ts': 'export function add(a: number, b: number, c: number): number { return a + b + c; }\nexport function neg(a: number): number { return -a; }\n',
    });
    const [found, ...others] = breaks(document);
    assert.deepEqual(others, []);
    assert.equal(found.symbol, 'add');
    assert.deepEqual(places(found), ['src/usesAdd.ts:2'], 'usesNeg.ts imports the namespace but never touches add');
  });

  it('a class member: the files that use that member, not every file that uses the class', () => {
    const document = reviewBranch({
      'src/config.ts': 'export class Config {\n  url = "";\n  name = "";\n}\n',
      'src/writer.ts': "import { Config } from './config';\nexport function set(config: Config) {\n  config.url = 'http://x';\n}\n",
      'src/reader.ts': "import { Config } from './config';\nexport function show(config: Config) {\n  return config.url + config.name;\n}\n",
      'src/maker.ts': "import { Config } from './config';\nexport const c = new Config();\n",
    }, {
      'src/config.ts': 'export class Config {\n  readonly url = "";\n  name = "";\n}\n',
    });
    const [found, ...others] = breaks(document);
    assert.deepEqual(others, []);
    assert.match(found.message, /writes to `Config\.url` no longer compile: it is now readonly/);
    assert.equal(found.line, 1);
    assert.deepEqual(places(found), ['src/writer.ts:3']);
    assert.equal(found.severity, 'error');
  });

  it('an export whose name starts with $ still has its importers checked', () => {
    const document = reviewBranch({
      'src/api.ts': 'export function $format(value: number): string { return String(value); }\n',
      'src/main.ts': "import { $format } from './api';\nexport const s = $format(1);\n",
    }, {
      'src/api.ts': 'export function $format(value: number, digits: number): string { return value.toFixed(digits); }\n',
    });
    const [found] = breaks(document);
    assert.equal(found.severity, 'error');
    assert.deepEqual(places(found), ['src/main.ts:2']);
  });

  it('a public entry of its package without a use in the workspace is an error; any other export without one a warning', () => {
    const document = reviewBranch({
      'package.json': JSON.stringify({ name: 'widgets', main: 'dist/index.js', types: 'dist/index.d.ts' }),
      'src/index.ts': 'export function render(name: string): string { return name; }\n',
      'src/internal.ts': 'export function helper(name: string): string { return name; }\n',
    }, {
      'src/index.ts': 'export function render(name: string, size: number): string { return name + size; }\n',
      'src/internal.ts': 'export function helper(name: string, size: number): string { return name + size; }\n',
    });
    const byFile = new Map(breaks(document).map((finding) => [finding.file, finding]));
    assert.equal(byFile.get('src/index.ts')?.severity, 'error');
    assert.match(byFile.get('src/index.ts')!.message, /public entry of widgets \(package\.json `types`\): code outside this workspace depends on it/);
    assert.equal(byFile.get('src/internal.ts')?.severity, 'warning');
    assert.match(byFile.get('src/internal.ts')!.message, /No use of it in this workspace breaks/);
  });

  it('callers already updated by the same change do not break: a warning, with no place listed', () => {
    const document = reviewBranch({
      'src/api.ts': 'export function parse(input: string): number { return input.length; }\n',
      'src/main.ts': "import { parse } from './api';\nexport const n = parse('a');\n",
    }, {
      'src/api.ts': 'export function parse(input: string, radix: number): number { return input.length * radix; }\n',
      'src/main.ts': "import { parse } from './api';\nexport const n = parse('a', 10);\n",
    });
    const [found] = breaks(document);
    assert.equal(found.severity, 'warning');
    assert.deepEqual(found.related, []);
  });

  it('compatible changes that look different are not findings', () => {
    const document = reviewBranch({
      'src/api.ts': [
        'export type Pair<T> = readonly T[];',
        'export type Options = { verbose?: boolean };',
        'export function first<T>(items: readonly T[]): T | undefined { return items[0]; }',
        'export function log(message: string): void {}',
        '',
      ].join('\n'),
      'src/main.ts': "import { first, log, type Options } from './api';\nconst o: Options = {};\nlog(String(first([1])) + o.verbose);\n",
    }, {
      'src/api.ts': [
        'export type Pair<S> = ReadonlyArray<S>;',
        'export interface Options { verbose?: boolean; depth?: number }',
        'export function first<S>(items: ReadonlyArray<S>): S | undefined { return items[0]; }',
        'export function log(message: string | number, ...extra: unknown[]): void {}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(breaks(document), []);
  });

  it('a module that does not parse: no finding from it, named in run.skipped by both rules that parse, the run partial', () => {
    const repo = makeRepo();
    write(repo, 'src/api.ts', 'export function a() {}\nexport function b() {}\n');
    commitAll(repo, 'main');
    write(repo, 'src/api.ts', 'export function a() {\nexport function b() {}\n');
    const { json } = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never', '--no-llm']);
    assert.deepEqual(breaks(json), []);
    assert.equal(json.run.status, 'partial');
    assert.deepEqual(json.run.skipped.map((entry) => [entry.file, entry.reason, entry.rules]), [['src/api.ts', 'does-not-parse', ['breaking-change', 'debug-leftover']]]);
    // In the order the rules ran: the type-checked one runs last.
    assert.match(json.run.skipped[0].detail, /^not checked for debugging leftovers: it does not parse \(line 3: .*\); its exported API was not compared: the new version does not parse at line \d+/);
    const text = runCli(repo, ['review', '--fail-on', 'never', '--no-llm']);
    assert.match(text.stdout, /skipped: src\/api\.ts: not checked for debugging leftovers: .*; its exported API was not compared/);
    // Not cached: the next review says so again.
    const again = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never', '--no-llm']);
    assert.equal(again.json.run.skipped.length, 1);
  });
});

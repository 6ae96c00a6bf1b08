/**
 * Start-up (issue 14): the built CLI loads a heavy package (dist/lib/*.js: the
 * compiler, secretlint, openai, octokit, the LSP stack) only when a command uses
 * it, and keeps a code cache that a damaged, foreign or unwritable cache file
 * cannot break. DIFFWISE_TRACE_LOADS=1 makes the loader say what it loads.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as zlib from 'node:zlib';
import { CLI, runCli, type CliResult } from '../helpers/cli';
import { cleanupRepos, commitAll, git, gitEnv, makeRepo, makeTempDir, write } from '../helpers/gitRepo';
import { TestLspClient } from '../helpers/lspClient';

const DIST = path.dirname(CLI);

/** The lazy bundles a run loaded (`lib/typescript.js` → `typescript`), from the trace. */
function lazyLoads(result: CliResult): string[] {
  return [...result.stderr.matchAll(/^diffwise: loaded lib\/(\S+)\.js/gm)].map((match) => match[1]);
}

/** How dist/commands.js was loaded (`code cache hit`, `no code cache`...), from the trace. */
function commandsLoad(result: CliResult): string | undefined {
  return /^diffwise: loaded dist\/commands\.js for .* \((.+)\)$/m.exec(result.stderr)?.[1];
}

describe('start-up: lazy bundles and the code cache', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  let cacheDir: string;
  const traced = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) => runCli(cwd, args, { DIFFWISE_TRACE_LOADS: '1', DIFFWISE_COMPILE_CACHE: cacheDir, ...env });
  beforeEach(() => {
    cacheDir = path.join(makeTempDir('diffwise-code-cache-'), 'code');
  });

  it('requiring dist/commands.js loads none of the lazy bundles', () => {
    const script = `require(${JSON.stringify(path.join(DIST, 'commands.js'))});
      process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((file) => file.startsWith(${JSON.stringify(path.join(DIST, 'lib') + path.sep)}))));`;
    const result = spawnSync(process.execPath, ['-e', script], { env: { ...gitEnv, DIFFWISE_TRACE_LOADS: '1' }, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
    assert.equal(result.stderr, '', 'nothing traced: nothing loaded');
  });

  it('metrics, the vote list, learned and an unchanged index load none; a review whose hunks are all cached loads no compiler', () => {
    const repo = makeRepo();
    write(repo, 'src/shapes.ts', 'export function area(side: number): number {\n  return side * side;\n}\n');
    commitAll(repo, 'initial');
    for (const args of [['metrics'], ['feedback', '--list'], ['learned']]) {
      const result = traced(repo, args);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(lazyLoads(result), [], `diffwise ${args.join(' ')}`);
    }
    const first = traced(repo, ['index']);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(lazyLoads(first), ['typescript'], 'indexing a new file parses it');
    const unchanged = traced(repo, ['index']);
    assert.deepEqual(lazyLoads(unchanged), [], 'nothing changed, nothing parsed');
    // Reads the index's catalogue without parsing, and asks the services with plain fetch (no openai, no octokit).
    assert.deepEqual(lazyLoads(traced(repo, ['doctor'])), [], 'diffwise doctor');

    git(repo, 'checkout', '-q', '-b', 'feature');
    write(repo, 'src/shapes.ts', 'export function area(side: number): number {\n  return side * side * 1;\n}\n');
    commitAll(repo, 'clean change');
    const review = ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never'];
    const cold = traced(repo, review);
    assert.equal(cold.code, 0, cold.stderr);
    assert.ok(lazyLoads(cold).includes('typescript'), 'the first review parses');
    const warm = traced(repo, review);
    assert.equal(JSON.parse(warm.stdout).run.cacheHits, 1);
    assert.deepEqual(lazyLoads(warm), [], 'all from the review cache, no finding to redact: nothing loaded');

    // A finding's code is redacted before it is remembered, by the secret detectors: secretlint, not the compiler;
    // once per code: the review after has the redaction in the review cache, and loads nothing.
    write(repo, 'src/shapes.ts', 'export function area(side: number): number {\n  debugger;\n  return side * side * 1;\n}\n');
    commitAll(repo, 'a leftover');
    const found = traced(repo, review);
    assert.ok(lazyLoads(found).includes('secretlint'), 'the new finding\'s code is redacted');
    const again = traced(repo, review);
    assert.equal(JSON.parse(again.stdout).findings.length, 1);
    assert.deepEqual(lazyLoads(again), [], 'the same code, redacted before');
    const uncached = traced(repo, [...review, '--no-cache']);
    assert.deepEqual(lazyLoads(uncached).filter((group) => group === 'secretlint'), ['secretlint'], 'without the review cache, redacted again');
  });

  it('a failed review loads Sentry only when SENTRY_DSN is set, and a clean one not even then', () => {
    const repo = makeRepo();
    write(repo, 'src/a.ts', 'export const a = 1;\n');
    commitAll(repo, 'initial');
    const unset = traced(repo, ['review', '--base', 'nope'], { SENTRY_DSN: '' });
    assert.equal(unset.code, 2, unset.stderr);
    assert.ok(!lazyLoads(unset).includes('sentry'), 'no DSN: @sentry/node is never loaded');
    // Nothing listens on loopback's port 9: the event is lost at once, the review's outcome stands.
    const dsn = 'http://publickey@127.0.0.1:9/1';
    const set = traced(repo, ['review', '--base', 'nope'], { SENTRY_DSN: dsn });
    assert.equal(set.code, 2, set.stderr);
    assert.ok(lazyLoads(set).includes('sentry'), 'a failure to report loads it');
    const clean = traced(repo, ['review', '--format', 'json', '--fail-on', 'never', '--no-llm'], { SENTRY_DSN: dsn });
    assert.equal(clean.code, 0, clean.stderr);
    assert.ok(!lazyLoads(clean).includes('sentry'), 'nothing failed, nothing to send');
    for (const args of [['metrics'], ['errors']]) assert.ok(!lazyLoads(traced(repo, args, { SENTRY_DSN: dsn })).includes('sentry'), `diffwise ${args[0]}`);
  });

  it('a review loads OpenTelemetry only when an OTLP endpoint is set, and a command that records no review not even then', () => {
    const repo = makeRepo();
    write(repo, 'src/a.ts', 'export const a = 1;\n');
    commitAll(repo, 'initial');
    const review = ['review', '--format', 'json', '--fail-on', 'never', '--no-llm'];
    const unset = traced(repo, review, { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' });
    assert.equal(unset.code, 0, unset.stderr);
    assert.ok(!lazyLoads(unset).includes('opentelemetry'), 'no endpoint: the SDK is never loaded');
    // Nothing listens on loopback's port 9: the export fails at once, the review's outcome stands.
    const endpoint = 'http://127.0.0.1:9';
    const off = traced(repo, review, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SDK_DISABLED: 'true' });
    assert.ok(!lazyLoads(off).includes('opentelemetry'), 'OTEL_SDK_DISABLED=true');
    const set = traced(repo, review, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    assert.equal(set.code, 0, set.stderr);
    assert.ok(lazyLoads(set).includes('opentelemetry'), 'a trace to export loads it');
    for (const args of [['metrics'], ['errors']]) assert.ok(!lazyLoads(traced(repo, args, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint })).includes('opentelemetry'), `diffwise ${args[0]}`);
  });

  it('the code cache is written once, then used; DIFFWISE_NO_COMPILE_CACHE=1 turns it off', function () {
    if (Number(process.versions.node.split('.')[0]) >= 22) this.skip(); // Node's own compile cache there
    const outside = makeTempDir();
    const first = traced(outside, ['metrics']);
    assert.equal(first.code, 2, 'outside a repository');
    assert.equal(commandsLoad(first), 'code cache miss');
    const files = fs.readdirSync(cacheDir);
    assert.equal(files.length, 1);
    assert.match(files[0], new RegExp(`^commands-[0-9a-f]{32}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.bin$`));
    assert.equal(commandsLoad(traced(outside, ['metrics'])), 'code cache hit');
    assert.deepEqual(fs.readdirSync(cacheDir), files, 'a hit is not written again');

    const off = traced(outside, ['metrics'], { DIFFWISE_NO_COMPILE_CACHE: '1' });
    assert.equal(commandsLoad(off), 'no code cache');
    assert.equal(off.code, 2);
  });

  it('a damaged, cut short or foreign cache file is ignored and replaced; an unwritable folder is no error', function () {
    if (Number(process.versions.node.split('.')[0]) >= 22) this.skip();
    const outside = makeTempDir();
    traced(outside, ['metrics']);
    const [name] = fs.readdirSync(cacheDir);
    const file = path.join(cacheDir, name);
    const good = fs.readFileSync(file);
    const cases: Array<[string, Buffer, string]> = [
      ['garbage', Buffer.from('not a cache file at all'), 'code cache miss'],
      ['cut short', good.subarray(0, good.length >> 1), 'code cache miss'],
      ['a flipped byte', Buffer.from(good.map((byte, i) => (i === good.length - 100 ? byte ^ 0xff : byte))), 'code cache miss'],
      // Intact, but V8's data for another source (here: empty code): V8 refuses it.
      ['foreign', foreignCache(good), 'code cache rejected'],
    ];
    for (const [what, bytes, status] of cases) {
      fs.writeFileSync(file, bytes);
      const result = traced(outside, ['metrics']);
      assert.equal(result.code, 2, `${what}: ${result.stderr}`);
      assert.match(result.stderr, /not inside a git repository|not a git repository/i, what);
      assert.equal(commandsLoad(result), status, what);
      assert.equal(commandsLoad(traced(outside, ['metrics'])), 'code cache hit', `${what}: written again`);
    }

    // A folder that cannot be made (its parent is a file: unwritable even for root, as a read-only one is not).
    const blocked = path.join(makeTempDir(), 'a-file');
    fs.writeFileSync(blocked, '');
    const result = traced(outside, ['metrics'], { DIFFWISE_COMPILE_CACHE: path.join(blocked, 'code') });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(commandsLoad(result), 'code cache miss');
    assert.doesNotMatch(result.stderr, /ENOTDIR|internal error/);
  });

  it('the daemon loads the LSP stack, and no compiler for a repository with nothing to parse', async () => {
    const repo = makeRepo();
    write(repo, 'README.md', '# nothing to parse\n');
    commitAll(repo, 'initial');
    const client = await TestLspClient.start(repo, { DIFFWISE_TRACE_LOADS: '1', DIFFWISE_COMPILE_CACHE: cacheDir });
    await client.stop();
    const loads = [...client.stderr.matchAll(/^diffwise: loaded lib\/(\S+)\.js/gm)].map((match) => match[1]);
    // pino: the daemon logs at info by default, to the editor's channel.
    assert.deepEqual(loads.sort(), ['lsp', 'pino']);
  });

  it('a command loads pino only when --log-level, --log-file or DIFFWISE_LOG_LEVEL asks for a log', () => {
    const repo = makeRepo();
    write(repo, 'README.md', '# nothing to parse\n');
    commitAll(repo, 'initial');
    const review = ['review', '--format', 'json', '--fail-on', 'never', '--no-llm'];
    const quiet = traced(repo, review, { DIFFWISE_LOG_LEVEL: '' });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.ok(!lazyLoads(quiet).includes('pino'), 'no log asked for: pino is never loaded');
    assert.ok(!lazyLoads(traced(repo, ['metrics'])).includes('pino'));
    const logged = traced(repo, [...review, '--log-level', 'debug']);
    assert.equal(logged.code, 0, logged.stderr);
    assert.ok(lazyLoads(logged).includes('pino'));
    assert.ok(lazyLoads(traced(repo, review, { DIFFWISE_LOG_LEVEL: 'info' })).includes('pino'));
  });
});

/** A well-formed cache file (our header, a correct checksum) whose V8 data is for another script. */
function foreignCache(like: Buffer): Buffer {
  const payload = new vm.Script('(function () { return 1; })').createCachedData();
  const header = Buffer.alloc(12);
  like.copy(header, 0, 0, 4);
  header.writeUInt32LE(zlib.crc32(payload), 4);
  header.writeUInt32LE(payload.length, 8);
  return Buffer.concat([header, payload]);
}

/**
 * The commands the documentation shows work as shown. Every shell block of README.md and
 * docs/**\/*.md fenced as ```` ```sh runnable ```` is run, in the page's order, in one scratch
 * git repository per page, with `diffwise` on the PATH as the built CLI; it must exit 0 (or
 * the code its fence states, ```` ```sh runnable exit=1 ````), and when a ```` ```text output ````
 * block follows it directly, what it printed (stdout and stderr together, as a terminal shows
 * them) must match that block once both are normalised (paths, times, ids, durations).
 * docs/contributing.md ("Runnable commands in the docs") is the convention's user-facing text.
 *
 * Nothing reaches the network or a language model: the environment is test/helpers/gitRepo.ts's
 * gitEnv (no DIFFWISE_*, no OPENAI_*), without GitHub tokens, with HOME in a scratch folder.
 * `npm run build` first (npm test does).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { CLI } from '../helpers/cli';
import { documentationPages } from '../helpers/docsPages';
import { cleanupRepos, gitEnv, makeRepo, makeTempDir } from '../helpers/gitRepo';

const root = path.resolve(__dirname, '..', '..');

/** One runnable block of a page, with the output the page shows for it, if any. */
interface RunnableBlock {
  page: string;
  /** 1-based line of the opening fence, for the failure message. */
  line: number;
  script: string;
  expectedExit: number;
  expectedOutput?: string;
}


/**
 * The runnable blocks of a page, in order. A fence's info string is `sh runnable` with an
 * optional `exit=N`; anything else after `runnable` is a mistake worth failing on, as is a
 * `text output` block that does not directly follow a runnable one (it would check nothing).
 */
export function runnableBlocks(page: string, source: string): RunnableBlock[] {
  const tokens = new MarkdownIt().parse(source, {});
  const blocks: RunnableBlock[] = [];
  tokens.forEach((token, index) => {
    if (token.type !== 'fence') return;
    const words = token.info.trim().split(/\s+/);
    const line = (token.map?.[0] ?? 0) + 1;
    if (words[0] === 'text' && words[1] === 'output') {
      const previous = tokens[index - 1];
      if (previous?.type !== 'fence' || !/^(sh|bash)\s+runnable\b/.test(previous.info.trim())) throw new Error(`${page}:${line}: a text output block must directly follow a sh runnable block`);
      return;
    }
    if ((words[0] !== 'sh' && words[0] !== 'bash') || words[1] !== 'runnable') return;
    let expectedExit = 0;
    for (const option of words.slice(2)) {
      const exit = /^exit=(\d+)$/.exec(option);
      if (!exit) throw new Error(`${page}:${line}: unknown option "${option}" on a runnable block (only exit=N)`);
      expectedExit = Number(exit[1]);
    }
    const next = tokens[index + 1];
    const expectedOutput = next?.type === 'fence' && /^text\s+output\b/.test(next.info.trim()) ? next.content : undefined;
    blocks.push({ page, line, script: token.content, expectedExit, expectedOutput });
  });
  return blocks;
}

/**
 * Output as compared: the scratch folders named, and what changes from run to run (times,
 * run ids, commit shas and finding ids, durations) replaced by a placeholder, trailing spaces
 * and blank lines dropped. Applied to both sides, so a page can show real-looking values.
 */
export function normalise(text: string, folders: Record<string, string> = {}): string[] {
  let out = text;
  for (const [placeholder, folder] of Object.entries(folders)) out = out.split(folder).join(placeholder);
  out = out
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?/g, '<time>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>')
    // Commit shas and finding ids: 7 to 40 hex digits with a digit among them (a sha may be all
    // digits; "defaced" is a word), or exactly 8 or 40 (an id may be all letters).
    .replace(/\b(?:(?=[0-9a-f]*\d)[0-9a-f]{7,40}|[0-9a-f]{8}|[0-9a-f]{40})\b/g, '<id>')
    .replace(/\b\d+(\.\d+)?\s?(ms|s)\b/g, '<duration>');
  const lines = out.split('\n').map((line) => line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Whether `actual` matches `expected`, where an expected line `...` stands for any lines (none included). */
export function matches(actual: string[], expected: string[]): boolean {
  if (expected.length === 0) return actual.length === 0;
  const [first, ...rest] = expected;
  if (first === '...') {
    for (let skip = 0; skip <= actual.length; skip++) if (matches(actual.slice(skip), rest)) return true;
    return false;
  }
  return actual.length > 0 && actual[0] === first && matches(actual.slice(1), rest);
}

/** A folder holding `diffwise`, a shim that runs the built CLI with this Node. */
function shimBin(): string {
  const bin = makeTempDir('diffwise-docs-bin-');
  const shim = path.join(bin, 'diffwise');
  fs.writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  fs.chmodSync(shim, 0o755);
  return bin;
}

/** The environment a page's commands run in: no LLM, no GitHub token, a scratch HOME. */
function docsEnv(bin: string, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...gitEnv, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, HOME: home, NO_COLOR: '1' };
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_APP_PRIVATE_KEY_FILE', 'GITHUB_WEBHOOK_SECRET', 'DATABASE_URL']) delete env[name];
  return env;
}

describe('runnable commands in the docs', function () {
  this.timeout(300_000);
  after(cleanupRepos);

  it('reads the fence convention: options, outputs, and the normalisation', () => {
    const blocks = runnableBlocks('x.md', '```sh runnable exit=1\nfalse\n```\n```text output\nhi\n```\n\n```sh\nnot run\n```\n');
    assert.deepEqual(blocks.map((block) => [block.line, block.expectedExit, block.expectedOutput]), [[1, 1, 'hi\n']]);
    assert.throws(() => runnableBlocks('x.md', '```sh runnable slow\nls\n```\n'), /unknown option "slow"/);
    assert.throws(() => runnableBlocks('x.md', 'text\n\n```text output\nhi\n```\n'), /must directly follow/);
    assert.deepEqual(normalise('at /tmp/r1/a in 0.7s, run 30f4ea81 2026-12-03 11:14  \n\n', { '<repo>': '/tmp/r1' }), ['at <repo>/a in <duration>, run <id> <time>']);
    assert.deepEqual(normalise('since main (76240707), abcdefab, defaced'), ['since main (<id>), <id>, defaced']);
    assert.ok(matches(['a', 'b', 'c', 'd'], ['a', '...', 'd']));
    assert.ok(!matches(['a', 'b'], ['a', 'c']));
  });

  const withBlocks = documentationPages()
    .map((page) => ({ page, blocks: runnableBlocks(page, fs.readFileSync(path.join(root, page), 'utf8')) }))
    .filter((entry) => entry.blocks.length > 0);

  it('finds runnable blocks in the docs', () => {
    assert.ok(withBlocks.length > 0, 'no ```sh runnable block in README.md or docs/');
  });

  for (const { page, blocks } of withBlocks) {
    it(`${page}: its ${blocks.length} runnable block(s) exit and print as shown`, () => {
      assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build first`);
      const repo = makeRepo();
      const home = makeTempDir('diffwise-docs-home-');
      const env = docsEnv(shimBin(), home);
      for (const block of blocks) {
        // exec 2>&1: one stream, in the order a terminal shows it; -e: a failing step fails the block.
        const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', `exec 2>&1\n${block.script}`], { cwd: repo, env, encoding: 'utf8', timeout: 120_000 });
        const where = `${block.page}:${block.line}`;
        assert.equal(result.status, block.expectedExit, `${where}: exit ${result.status} (expected ${block.expectedExit}); it printed:\n${result.stdout}`);
        if (block.expectedOutput === undefined) continue;
        const folders = { '<repo>': repo, '<home>': home };
        const actual = normalise(result.stdout, folders);
        const expected = normalise(block.expectedOutput, folders);
        assert.ok(matches(actual, expected), `${where}: the output differs from the page's.\n--- page\n${expected.join('\n')}\n--- actual\n${actual.join('\n')}`);
      }
    });
  }
});

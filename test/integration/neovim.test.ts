/**
 * Debian's Neovim, headless, against the real daemon, with the setups of
 * docs/editors.md (extracted from the page, not copied): the user opens a file
 * with a debug leftover, presses <leader>dr, sees the finding as a diagnostic,
 * gets its code actions, and types a line above it with `O`. The Neovim side is
 * fixtures/editors/neovim/init.lua; it writes what it saw as JSON, judged here.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanupRepos, commitAll, gitEnv, makeRepo, makeTempDir, write } from '../helpers/gitRepo';
import { pathWithDiffwise } from './fixtures/editors/diffwiseOnPath';
import { docSnippet } from './fixtures/editors/docSnippets';

const FIXTURES = path.join(__dirname, 'fixtures', 'editors', 'neovim');
const NEOVIM_07 = '-- Diffwise for Neovim 0.7 and later';
const NEOVIM_011 = '-- Diffwise for Neovim 0.11 and later';
/** How long the driver waits for any one thing (the daemon's start, a review); the whole run is bounded by the test's timeout. */
const STEP_TIMEOUT_MS = 40_000;

/** `NVIM v0.7.2`, or null when there is no `nvim` on the PATH. */
function neovimVersion(): string | null {
  const result = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n')[0].trim() : null;
}

/** What fixtures/editors/neovim/init.lua writes. */
interface DriverDiagnostic {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  code: string;
  message: string;
  findingId: string;
  /** The rule's page (codeDescription), where the daemon links one. */
  href?: string;
  /** The buffer's text on the diagnostic's line. */
  text: string;
}
interface DriverResults {
  ok: boolean;
  error?: string;
  steps: string[];
  filetype: string;
  root: string;
  commands: string[];
  notifications: Array<{ message: string; level: number }>;
  before: DriverDiagnostic[];
  codeActions: Array<{ title: string; command?: string; hasEdit: boolean }>;
  /** The hover's Markdown on the finding's code. */
  hover?: string;
  movedInTime: boolean;
  after: DriverDiagnostic[];
  lines: string[];
  /** The entries vim.lsp.buf.code_action() offered before "Ignore this finding" was picked. */
  ignoreOffered: string[];
  ignoredInTime: boolean;
  unignoredInTime: boolean;
  afterUnignore: DriverDiagnostic[];
  /** The entries vim.lsp.buf.code_action() offered before "Remove the line" was picked. */
  fixOffered: string[];
  fixedInTime: boolean;
  afterFix: DriverDiagnostic[];
  linesAfterFix: string[];
  undoneInTime: boolean;
  linesAfterUndo: string[];
  afterUndo: DriverDiagnostic[];
  revertedInTime: boolean;
  linesAfterRevert: string[];
  afterRevert: DriverDiagnostic[];
}

interface NeovimRun<T> {
  results: T;
  stderr: string;
  /** The end of Neovim's LSP log (the messages it exchanged with the daemon), for failure messages. */
  lspLog: string;
}

/** Runs Neovim headless with a private config, state and PATH (holding `diffwise`); resolves with the JSON it wrote. */
async function runNeovim<T>(args: string[], env: Record<string, string>, cwd: string): Promise<NeovimRun<T>> {
  const home = makeTempDir('diffwise-nvim-home-');
  const resultsFile = path.join(home, 'results.json');
  const xdg = Object.fromEntries(['CONFIG', 'DATA', 'STATE', 'CACHE'].map((kind) => [`XDG_${kind}_HOME`, path.join(home, kind.toLowerCase())]));
  const child = spawn('nvim', ['--headless', '--clean', ...args], {
    cwd,
    env: { ...gitEnv, ...xdg, HOME: home, PATH: pathWithDiffwise(), DIFFWISE_NVIM_RESULTS: resultsFile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', () => undefined);
  const killer = setTimeout(() => child.kill('SIGKILL'), 2 * STEP_TIMEOUT_MS + 20_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  const lspLog = lastLines(findFile(home, 'lsp.log'), 60);
  if (!fs.existsSync(resultsFile)) throw new Error(`nvim exited (${code}) without writing its results\n${stderr}\n${lspLog}`);
  return { results: JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as T, stderr, lspLog };
}

function findFile(dir: string, name: string): string | null {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === name) return path.join(entry.parentPath, entry.name);
  }
  return null;
}

function lastLines(file: string | null, count: number): string {
  return file ? fs.readFileSync(file, 'utf8').split('\n').slice(-count).join('\n') : '(no LSP log)';
}

/** A committed TypeScript file given a `console.log` in the working tree: one debug-leftover finding on line 2. */
function repoWithDebugLeftover(): { repo: string; file: string } {
  const repo = makeRepo();
  write(repo, 'src/greet.ts', 'export function greet(name: string): string {\n  return `Hello, ${name}`;\n}\n');
  commitAll(repo, 'initial');
  const file = write(repo, 'src/greet.ts', 'export function greet(name: string): string {\n  console.log(name);\n  return `Hello, ${name}`;\n}\n');
  return { repo, file };
}

/** Writes a snippet of docs/editors.md to a file Neovim can load. */
function snippetFile(firstLine: string): string {
  const file = path.join(makeTempDir('diffwise-snippet-'), 'snippet.lua');
  fs.writeFileSync(file, docSnippet('lua', firstLine));
  return file;
}

/** The review, diagnostics, code action and edit checks, on one Neovim session with a snippet loaded. */
function describeSession(title: string, firstLine: string, available: () => string | null) {
  describe(title, function () {
    let run: NeovimRun<DriverResults>;
    let repo: string;
    const detail = () => `\nsteps: ${run.results.steps.join(' → ')}\n${run.results.error ?? ''}\nstderr: ${run.stderr}\nLSP log:\n${run.lspLog}`;

    before(async function () {
      const unavailable = available();
      if (unavailable) {
        console.warn(`      (skipped: ${unavailable})`);
        this.skip();
      }
      const fixture = repoWithDebugLeftover();
      repo = fixture.repo;
      run = await runNeovim<DriverResults>(['-u', path.join(FIXTURES, 'init.lua')], {
        DIFFWISE_NVIM_SNIPPET: snippetFile(firstLine),
        DIFFWISE_NVIM_FILE: fixture.file,
        DIFFWISE_NVIM_TIMEOUT_MS: String(STEP_TIMEOUT_MS),
      }, repo);
    });

    it('starts the daemon for the repository when a TypeScript file opens', function () {
      assert.ok(run.results.steps.includes('attached'), detail());
      assert.equal(run.results.filetype, 'typescript');
      assert.equal(run.results.root, repo);
      assert.deepEqual([...run.results.commands].sort(), ['diffwise.ignoreFinding', 'diffwise.review', 'diffwise.unignoreFinding', 'diffwise.voteFinding']);
    });

    it('reviews on <leader>dr (workspace/executeCommand) and shows the finding as a diagnostic on its line', function () {
      assert.ok(run.results.steps.includes('reviewed'), detail());
      assert.equal(run.results.notifications[0]?.message, 'Diffwise: 1 finding');
      assert.equal(run.results.before.length, 1, detail());
      const [finding] = run.results.before;
      assert.equal(finding.code, 'debug-leftover');
      // On the call itself (0-based columns), not the whole line.
      assert.deepEqual([finding.lnum, finding.col, finding.end_lnum, finding.end_col], [1, 2, 1, 19]);
      assert.equal(finding.text.slice(finding.col, finding.end_col), 'console.log(name)');
      assert.match(finding.message, /console\.log/);
      assert.match(finding.findingId, /^[0-9a-f]{6,}$/);
      // The rule's page beside the daemon (dist/../docs/rules), kept by Neovim with the diagnostic.
      assert.equal(finding.href, pathToFileURL(path.resolve(__dirname, '..', '..', 'docs', 'rules', 'debug-leftover.md')).toString());
    });

    it('offers the code actions on the finding (textDocument/codeAction)', function () {
      assert.ok(run.results.steps.includes('code actions listed'), detail());
      assert.deepEqual(run.results.codeActions.map((action) => [action.title, action.command ?? null, action.hasEdit]), [
        ['Remove the line (debug-leftover)', null, true],
        ['Helpful (debug-leftover)', 'diffwise.voteFinding', false],
        ['Not helpful… (debug-leftover)', 'diffwise.voteFinding', false],
        ['Ignore this finding (debug-leftover)', 'diffwise.ignoreFinding', false],
      ]);
    });

    it('hovers on the finding with its actions, not the message the diagnostic already shows', function () {
      assert.ok(run.results.steps.includes('hovered'), detail());
      const hover = run.results.hover ?? '';
      assert.match(hover, /command:diffwise\.voteFinding/);
      assert.match(hover, /command:diffwise\.ignoreFinding/);
      assert.ok(!hover.includes(run.results.before[0].message), hover);
    });

    it('moves the diagnostic down one line, with its code, when a line is typed above it with O', function () {
      assert.ok(run.results.steps.includes('edited above the finding'), detail());
      // Neovim's own edit landed: the typed line, then the finding's code.
      assert.match(run.results.lines[1], /^\s*const before = 1;$/);
      assert.match(run.results.lines[2], /console\.log\(name\)/);
      assert.deepEqual(run.results.after.map((d) => [d.findingId, d.lnum, d.text.slice(d.col, d.end_col)]), [[run.results.before[0].findingId, 2, 'console.log(name)']], detail());
      assert.ok(run.results.movedInTime);
    });

    it('takes the diagnostic away on "Ignore this finding" and brings it back, on its code, with :DiffwiseUnignore', function () {
      assert.ok(run.results.steps.includes('unignored'), detail());
      const id = run.results.before[0].findingId;
      assert.ok(run.results.ignoreOffered.includes('Ignore this finding (debug-leftover)'), run.results.ignoreOffered.join(', '));
      assert.ok(run.results.ignoredInTime, 'the diagnostic stayed after Ignore this finding');
      assert.ok(run.results.unignoredInTime, detail());
      assert.deepEqual(run.results.afterUnignore.map((d) => [d.findingId, d.lnum, d.text.slice(d.col, d.end_col)]), [[id, 2, 'console.log(name)']]);
      assert.equal(run.results.notifications.at(-1)?.message, `Diffwise: ${id} is reported again`);
    });

    it('takes the diagnostic away at once when its "Remove the line" fix is applied (vim.lsp.buf.code_action)', function () {
      assert.ok(run.results.steps.includes('fixed with the code action'), detail());
      assert.ok(run.results.fixOffered.includes('Remove the line (debug-leftover)'), run.results.fixOffered.join(', '));
      assert.ok(!run.results.linesAfterFix.some((line) => line.includes('console.log')), run.results.linesAfterFix.join('\n'));
      assert.deepEqual(run.results.afterFix, [], detail());
      assert.ok(run.results.fixedInTime);
    });

    it('brings the finding back, on its code, when the fix is undone with u', function () {
      assert.ok(run.results.steps.includes('undone'), detail());
      assert.match(run.results.linesAfterUndo[2], /console\.log\(name\)/, run.results.linesAfterUndo.join('\n'));
      assert.deepEqual(run.results.afterUndo.map((d) => [d.findingId, d.lnum, d.text.slice(d.col, d.end_col)]), [[run.results.before[0].findingId, 2, 'console.log(name)']], detail());
      assert.ok(run.results.undoneInTime);
    });

    it('puts the finding back on its reviewed line when the buffer is reverted with :edit!', function () {
      assert.ok(run.results.steps.includes('reverted'), detail());
      assert.deepEqual(run.results.linesAfterRevert, fs.readFileSync(path.join(repo, 'src', 'greet.ts'), 'utf8').split('\n').slice(0, -1));
      assert.deepEqual(run.results.afterRevert.map((d) => [d.findingId, d.lnum, d.text.slice(d.col, d.end_col)]), [[run.results.before[0].findingId, 1, 'console.log(name)']], detail());
      assert.ok(run.results.revertedInTime);
    });
  });
}

describe('Neovim against the daemon (docs/editors.md)', function () {
  this.timeout(2 * STEP_TIMEOUT_MS + 30_000);
  const version = neovimVersion();
  let hasLspConfig = false;
  after(cleanupRepos);

  before(function () {
    if (version) return;
    // CI installs Debian's neovim (test/e2e/setup.sh): there a missing nvim is a broken setup, not a reason to skip.
    if (process.env.CI) throw new Error('nvim is not on the PATH: CI must install Debian\'s neovim package (test/e2e/setup.sh)');
    console.warn('      (skipped: nvim is not on the PATH; apt-get install neovim to run the Neovim tests)');
    this.skip();
  });

  describe('the Neovim 0.11 snippet', function () {
    let parse: NeovimRun<{ parsed: boolean; parseError?: string; hasLspConfig: boolean; ran?: boolean; runError?: string; config?: { cmd: string[]; root_markers: string[]; filetypes: string[] } }>;
    before(async function () {
      const dir = makeTempDir();
      parse = await runNeovim(['-c', `luafile ${path.join(FIXTURES, 'parseCheck.lua')}`], { DIFFWISE_NVIM_SNIPPET: snippetFile(NEOVIM_011) }, dir);
      hasLspConfig = parse.results.hasLspConfig;
    });

    it('parses as Lua in this Neovim', function () {
      assert.ok(parse.results.parsed, parse.results.parseError);
    });

    it('defines the diffwise configuration where vim.lsp.config exists (0.11+)', function () {
      if (!hasLspConfig) {
        console.warn(`      (skipped: ${version} has no vim.lsp.config; it is 0.11+)`);
        this.skip();
      }
      assert.ok(parse.results.ran, parse.results.runError);
      assert.deepEqual(parse.results.config?.cmd, ['diffwise', 'serve', '--stdio']);
      assert.deepEqual(parse.results.config?.root_markers, ['.git']);
      assert.ok(parse.results.config?.filetypes.includes('typescript'));
    });
  });

  describeSession('with the Neovim 0.7+ snippet', NEOVIM_07, () => null);
  describeSession('with the Neovim 0.11+ snippet', NEOVIM_011, () => (hasLspConfig ? null : `${version} has no vim.lsp.config (0.11+)`));
});

/**
 * The rule pages (docs/rules/*.md) are the targets of the diagnostics'
 * `codeDescription` links, and their examples promise what a review reports.
 * This test keeps the promise: it parses every page, builds a real git repository
 * for each example, runs the built CLI's review of the change and checks that the
 * page's rule gives exactly the findings the page shows — so a rule that changes
 * without its page, or a page written from memory, fails here.
 *
 * The convention (docs/rules/README.md says the same for writers): a fenced block's
 * info string is `<language> <role> [attributes]`.
 *
 *   before        a file as it is on the base branch (`main`)
 *   history       one commit on `main` per line, touching the files the line names (made
 *                 before the `before` files are written, so main ends as they show)
 *   after         a file the change writes, with no expectation of its own
 *   finding       a file the change writes; closes the example: the page's rule reports
 *                 exactly the lines marked `← finding` (a trailing `// ← finding` or
 *                 `# ← finding` comment, removed before the file is written) or listed
 *                 in `lines=N,M`, in this file, and nothing else anywhere
 *   no-finding    a file the change writes; closes the example: the rule reports nothing
 *   illustration  an LLM rule's example (it needs a model): shown, never run; llm-* pages only
 *
 * Attributes: `file=PATH` (else a first line `// file: PATH` or `# file: PATH`, kept in
 * the file; a block may hold several files, each starting at such a line; else
 * `src/example.<ext>`), `lines=…`, `severity=error` (on a finding block: the severity of
 * its findings), `args="--no-co-change"` (added to the review's command line),
 * `base=above` (on a closing block: start from the `before` and `history` blocks of the
 * example above, so a page need not repeat them), `title="…"` (the example's name here).
 * A block with a language alone is prose (an output sample, a config snippet) and is not
 * run. Everything an example writes before its closing block belongs to it; the next
 * example starts from nothing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReviewDocument } from '../../shared/review';
import { LLM_RULES } from '../../server/llm/prompt';
import { STATIC_RULES } from '../../server/review/rules';
import { runCliJsonAsync } from '../helpers/cli';
import { cleanupRepos, commitAll, git, makeRepo, write } from '../helpers/gitRepo';

const RULES_DIR = path.resolve(__dirname, '..', '..', 'docs', 'rules');
const ROLES = ['before', 'history', 'after', 'finding', 'no-finding', 'illustration'] as const;
type Role = (typeof ROLES)[number];
const CLOSING: ReadonlySet<Role> = new Set(['finding', 'no-finding']);
/** Every page has these, so that a user finds the same answers in the same place on each. */
const SECTIONS = ['## What it finds', '## Why', '## Examples that are findings', '## Examples that are not', '## How to silence it'];
const EXTENSIONS: Record<string, string> = { ts: 'ts', typescript: 'ts', js: 'js', javascript: 'js', py: 'py', python: 'py', go: 'go', java: 'java', yaml: 'yml', json: 'json', markdown: 'md', md: 'md', text: 'txt' };
const MARKER = /\s*(?:\/\/|#)\s*← finding\b.*$/;
const HEADER = /^\s*(?:\/\/|#)\s*file:\s*(\S+)\s*$/;

interface Block {
  lang: string;
  role: Role | null;
  attrs: Record<string, string>;
  body: string;
  /** 1-based line of the opening fence in the page, for messages. */
  pageLine: number;
}

interface FileSpec {
  path: string;
  text: string;
  /** Lines of this file the page marks as findings (closing `finding` blocks only). */
  expected: number[];
}

interface Example {
  page: string;
  ruleId: string;
  title: string;
  expectFinding: boolean;
  before: FileSpec[];
  history: string[][];
  change: FileSpec[];
  args: string[];
  /** The severity every finding of the example has, when the page says it (`severity=`). */
  severity?: string;
}

function parseInfo(info: string): { lang: string; words: string[]; attrs: Record<string, string> } {
  const attrs: Record<string, string> = {};
  const words: string[] = [];
  for (const match of info.matchAll(/(\w[\w-]*)=(?:"([^"]*)"|(\S+))|(\S+)/g)) {
    if (match[4] !== undefined) words.push(match[4]);
    else attrs[match[1]!] = match[2] ?? match[3]!;
  }
  return { lang: words[0] ?? '', words: words.slice(1), attrs };
}

/** Every fenced block of a page (``` or ~~~, indented in a list or not). */
function blocksOf(page: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^\\s*${fence![0]}{${fence!.length},}\\s*$`).test(lines[j]!); j++) body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!);
    assert.ok(j < lines.length, `${page}:${i + 1}: the block is never closed`);
    const { lang, words, attrs } = parseInfo(info!.trim());
    assert.ok(words.length <= 1, `${page}:${i + 1}: one role per block, got ${words.join(' ')}`);
    const role = words[0] ?? null;
    assert.ok(role === null || (ROLES as readonly string[]).includes(role), `${page}:${i + 1}: unknown role "${role}" (one of ${ROLES.join(', ')})`);
    blocks.push({ lang, role: role as Role | null, attrs, body: body.length ? body.join('\n') + '\n' : '', pageLine: i + 1 });
    i = j;
  }
  return blocks;
}

/** The files a block holds: one per `file:` header, or one named by `file=` or by its language. */
function filesOf(page: string, block: Block): FileSpec[] {
  const lines = block.body.replace(/\n$/, '').split('\n');
  const starts = lines.flatMap((line, index) => (HEADER.test(line) ? [index] : []));
  if (block.attrs.file !== undefined || starts[0] !== 0) {
    const ext = EXTENSIONS[block.lang];
    const file = block.attrs.file ?? (ext ? `src/example.${ext}` : undefined);
    assert.ok(file, `${page}:${block.pageLine}: name the file (file=PATH, or a first line "// file: PATH")`);
    assert.equal(starts.length, 0, `${page}:${block.pageLine}: file= and "file:" headers together`);
    return [fileSpec(block, file, lines)];
  }
  return starts.map((start, k) => fileSpec(block, HEADER.exec(lines[start]!)![1]!, lines.slice(start, starts[k + 1] ?? lines.length)));
}

function fileSpec(block: Block, file: string, lines: string[]): FileSpec {
  const expected: number[] = [];
  const text = lines.map((line, index) => {
    if (!MARKER.test(line)) return line;
    expected.push(index + 1);
    return line.replace(MARKER, '');
  });
  if (block.attrs.lines) expected.push(...block.attrs.lines.split(',').map(Number));
  return { path: file, text: text.join('\n') + '\n', expected };
}

function examplesOf(page: string, ruleId: string, blocks: Block[]): Example[] {
  const examples: Example[] = [];
  let open: Example | null = null;
  for (const block of blocks) {
    if (block.role === null || block.role === 'illustration') continue;
    open ??= { page, ruleId, title: '', expectFinding: false, before: [], history: [], change: [], args: [] };
    if (block.role === 'before') open.before.push(...filesOf(page, block));
    else if (block.role === 'history') open.history.push(...block.body.split('\n').filter((line) => line.trim()).map((line) => line.trim().split(/\s+/)));
    else {
      const files = filesOf(page, block);
      if (block.role !== 'finding') for (const file of files) assert.deepEqual(file.expected, [], `${page}:${block.pageLine}: a ${block.role} block marks no finding`);
      open.change.push(...(block.role === 'finding' ? files : files.map((file) => ({ ...file, expected: [] }))));
    }
    if (CLOSING.has(block.role)) {
      open.expectFinding = block.role === 'finding';
      open.title = block.attrs.title ?? `${block.role} at ${page}:${block.pageLine}`;
      open.args = block.attrs.args ? block.attrs.args.split(/\s+/) : [];
      open.severity = block.attrs.severity;
      if (block.attrs.base === 'above') {
        const previous = examples[examples.length - 1];
        assert.ok(previous, `${page}:${block.pageLine}: base=above with no example above`);
        open.before = [...previous.before, ...open.before];
        open.history = [...previous.history, ...open.history];
      }
      if (open.expectFinding) assert.ok(open.change.some((file) => file.expected.length > 0), `${page}:${block.pageLine}: a finding block marks its line(s): "// ← finding" or lines=N`);
      examples.push(open);
      open = null;
    }
  }
  assert.equal(open, null, `${page}: before/after/history blocks with no finding or no-finding block to close them`);
  return examples;
}

/** The example as a repository: `main` with its base and history, `feature` one commit on with the change. */
function buildRepo(example: Example): string {
  const repo = makeRepo();
  write(repo, '.gitignore', 'node_modules/\n');
  // The history first, so that main's last commit leaves every file as its `before` block shows it.
  example.history.forEach((files, n) => {
    for (const file of files) {
      const absolute = path.join(repo, file);
      const before = fs.existsSync(absolute) ? fs.readFileSync(absolute, 'utf8') : '';
      write(repo, file, `${before}${file.endsWith('.py') ? '#' : '//'} history ${n + 1}\n`);
    }
    commitAll(repo, `history ${n + 1}`);
  });
  for (const file of example.before) write(repo, file.path, file.text);
  commitAll(repo, 'base');
  git(repo, 'checkout', '-q', '-b', 'feature');
  for (const file of example.change) write(repo, file.path, file.text);
  commitAll(repo, 'the change');
  return repo;
}

/**
 * At most `limit` at a time: each review is its own process. A review spends most of its time
 * waiting (git, the file system, module loading), so a few more than the cores keeps them busy.
 */
async function mapLimited<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const pageOf = (ruleId: string) => `${ruleId.replace(/\//g, '-')}.md`;
const pages = fs.readdirSync(RULES_DIR).filter((name) => name.endsWith('.md') && name !== 'README.md').sort();
const llmIds = new Set(LLM_RULES.map((rule) => rule.id as string));
const allIds = [...STATIC_RULES.map((rule) => rule.id), ...llmIds];
const ruleOfPage = new Map(allIds.map((id) => [pageOf(id), id]));
const parsed = pages.map((page) => {
  const text = fs.readFileSync(path.join(RULES_DIR, page), 'utf8');
  return { page, text, blocks: blocksOf(page, text) };
});
const examples = parsed.flatMap(({ page, blocks }) => {
  const ruleId = ruleOfPage.get(page);
  return ruleId && !llmIds.has(ruleId) ? examplesOf(page, ruleId, blocks) : [];
});

describe('docs/rules: every rule has a page, and every example gives exactly the findings it shows', function () {
  this.timeout(120_000);
  const results = new Map<Example, { findings: string[]; severities: string[]; error?: string }>();

  before(async () => {
    const outcomes = await mapLimited(examples, Math.min(8, os.cpus().length + 2), async (example) => {
      const repo = buildRepo(example);
      const { json, stderr } = await runCliJsonAsync<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json', '--no-llm', ...example.args]);
      const error = json.run.status === 'ok' ? undefined : `review ${json.run.status}: ${JSON.stringify(json.run.errors)} ${stderr}`;
      const own = json.findings.filter((finding) => finding.ruleId === example.ruleId);
      return { findings: own.map((finding) => `${finding.file}:${finding.line}`).sort(), severities: [...new Set(own.map((finding) => finding.severity))], error };
    });
    examples.forEach((example, index) => results.set(example, outcomes[index]!));
  });
  after(cleanupRepos);

  it('every rule of the registry has a page, and every page is a rule’s', () => {
    assert.deepEqual(allIds.map(pageOf).filter((page) => !pages.includes(page)), [], 'rules without a page in docs/rules/');
    assert.deepEqual(pages.filter((page) => !ruleOfPage.has(page)), [], 'pages of no rule (server/review/rules/index.ts, LLM_RULES)');
  });

  it('docs/rules/README.md links every page', () => {
    const index = fs.readFileSync(path.join(RULES_DIR, 'README.md'), 'utf8');
    assert.deepEqual(pages.filter((page) => !index.includes(`](${page})`)), []);
  });

  // The pages ship in the VSIX (docs/rules/**), and vsce refuses to package a file in which its secretlint
  // preset finds a secret: the secret page's examples must be ones diffwise finds and that preset does not.
  it('the pages pass the VSIX packager’s secret scan', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { lintFiles } = require('@vscode/vsce/out/secretLint') as { lintFiles(files: string[], secrets: boolean, dotEnv: boolean): Promise<{ ok: boolean; results: Array<{ message: { text: string } }> }> };
    const result = await lintFiles(pages.map((page) => path.join(RULES_DIR, page)), true, false);
    assert.deepEqual(result.results.map((finding) => finding.message.text), []);
  });

  for (const { page, text, blocks } of parsed) {
    const ruleId = ruleOfPage.get(page);
    if (!ruleId) continue;
    it(`${page}: the sections, and examples of its kind`, () => {
      assert.ok(text.startsWith(`# \`${ruleId}\``), `${page} starts with its rule id as the title`);
      assert.match(text, /^\*\*Severity:\*\*/m, `${page} says its severity`);
      for (const section of SECTIONS) assert.ok(text.split('\n').includes(section), `${page} has "${section}"`);
      const roles = blocks.map((block) => block.role);
      if (llmIds.has(ruleId)) {
        assert.ok(roles.includes('illustration'), `${page}: an LLM rule's examples are marked illustration`);
        assert.deepEqual(roles.filter((role) => role !== null && role !== 'illustration'), [], `${page}: an LLM rule's examples need a model and cannot run`);
      } else {
        assert.ok(!roles.includes('illustration'), `${page}: only llm-* pages may show examples that do not run`);
        const own = examples.filter((example) => example.page === page);
        assert.ok(own.some((example) => example.expectFinding), `${page} has a runnable finding example`);
        assert.ok(own.some((example) => !example.expectFinding), `${page} has a runnable no-finding example`);
      }
    });
  }

  for (const example of examples) {
    it(`${example.page}: ${example.title}`, () => {
      const result = results.get(example)!;
      assert.equal(result.error, undefined);
      const expected = example.change.flatMap((file) => file.expected.map((line) => `${file.path}:${line}`)).sort();
      assert.deepEqual(result.findings, expected, `${example.ruleId} findings`);
      if (example.severity) assert.deepEqual(result.severities, [example.severity], 'the severity the page shows');
    });
  }
});

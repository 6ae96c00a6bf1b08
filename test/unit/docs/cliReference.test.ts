/**
 * The CLI reference cannot drift from the CLI: docs/cli.md is what scripts/docs/cliReference.ts
 * generates from the usage texts `diffwise --help` prints, every option the parser's table
 * accepts has a usage line (and every option a usage text names is accepted), and the parser
 * of the usage layout reads what --help actually shows.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CLI_OPTIONS, USAGE } from '../../../server/cli/args';
import { CLI_REFERENCE_PATH, cliModel, cliReferencePage, INTERNAL_OPTIONS, optionProblems, parseUsage } from '../../../scripts/docs/cliReference';

describe('docs/cli.md (the CLI reference)', () => {
  it('is what the generator writes from the usage texts', () => {
    assert.equal(fs.readFileSync(CLI_REFERENCE_PATH, 'utf8'), cliReferencePage(), 'docs/cli.md is out of date: run npx tsx scripts/docs/cliReference.ts');
  });

  it('documents every option of the parseArgs table, and names no option the table lacks', () => {
    assert.deepEqual(optionProblems(), []);
    const documented = new Set([...cliModel().commands.flatMap((command) => command.options), ...cliModel().common].map((option) => option.long));
    for (const name of Object.keys(CLI_OPTIONS)) {
      if (!(name in INTERNAL_OPTIONS)) assert.ok(documented.has(name), `--${name} has no row on the page`);
    }
    for (const name of documented) assert.ok(name in CLI_OPTIONS, `the page documents --${name}, which the CLI does not accept`);
  });

  it('fails on an option the table accepts but no usage line documents, and on one the usage names but the table lacks', () => {
    const withUndocumented = { ...CLI_OPTIONS, 'no-such-flag': { type: 'boolean' } } as const;
    assert.deepEqual(optionProblems(USAGE, withUndocumented), ['--no-such-flag is in the options table (CLI_OPTIONS) but no usage line documents it']);
    const usageWithExtra = USAGE.replace('Common options:\n', 'Common options:\n  --imaginary        Not a real option\n');
    assert.deepEqual(optionProblems(usageWithExtra), ['the usage text names --imaginary, which the options table (CLI_OPTIONS) does not accept']);
    assert.throws(() => cliReferencePage(usageWithExtra), /usage and its options table disagree:\n {2}the usage text names --imaginary/);
  });

  it('reads the usage layout: stacked terms, continuation lines, a term one space from its description', () => {
    const sections = parseUsage(USAGE);
    const commands = sections.find((section) => section.title === 'Commands')!;
    const learned = commands.entries.find((entry) => entry.terms[0] === 'learned export [FILE]')!;
    assert.deepEqual(learned.terms, ['learned export [FILE]', 'learned import [FILE]']);
    assert.match(learned.description, /^Write every vote to a team file/);
    const github = sections.find((section) => section.title === 'GitHub (pr)')!;
    assert.deepEqual(github.entries.map((entry) => entry.terms[0]), ['GITHUB_TOKEN', 'DIFFWISE_GITHUB_API_URL', 'DIFFWISE_GITHUB_TIMEOUT_MS', 'DIFFWISE_GITHUB_DEADLINE_MS']);
    const model = cliModel();
    const review = model.commands.find((command) => command.name === 'review')!;
    const format = review.options.find((option) => option.long === 'format')!;
    assert.equal(format.value, 'FORMAT');
    assert.equal(format.default, 'text');
    assert.deepEqual(model.commands.find((command) => command.name === 'doctor')!.exitNotes, ['Exit 1 when any is an error.']);
    assert.match(review.exitNotes.join(' '), /`--fail-on`: Exit 1 when a finding is at or above LEVEL/);
    assert.equal(model.commands.find((command) => command.name === 'worker')!.options.find((option) => option.long === 'fail-on')!.default, 'DIFFWISE_FAIL_ON, else error');
    assert.equal(model.exitCodes, '0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or runtime error.');
  });

  it('gives every command of --help a section, and links the JSON documents\' schemas', () => {
    const page = cliReferencePage();
    for (const name of ['review', 'index', 'metrics', 'errors', 'alerts', 'doctor', 'feedback', 'ignore', 'ignored', 'unignore', 'learned', 'pr sync', 'pr comments', 'pr publish', 'impact', 'graph', 'serve', 'server', 'worker']) {
      assert.ok(page.includes(`\n## diffwise ${name}\n`), `no section for diffwise ${name}`);
    }
    assert.match(page, /\[review-document\.schema\.json\]\(review-document\.schema\.json\)/);
    assert.match(page, /\[metrics-document\.schema\.json\]\(metrics-document\.schema\.json\)/);
    assert.match(page, /\n## Exit codes\n/);
  });
});

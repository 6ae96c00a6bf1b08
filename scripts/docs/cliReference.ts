/**
 * Generates docs/cli.md, the CLI reference, from the CLI's own definitions: the usage texts
 * that `diffwise --help` prints (USAGE, IMPACT_USAGE, SERVICE_USAGE) give the commands, the
 * options' descriptions and defaults, the environment variables and the exit codes; the
 * `parseArgs` table (CLI_OPTIONS) says which options exist. Nothing is written twice, so the
 * page cannot say something the help does not.
 *
 * It refuses to write a page (and test/unit/docs/cliReference.test.ts fails) when the two
 * sources disagree: an option the table accepts that no usage line documents, or a usage text
 * naming an option the table does not accept.
 *
 * Run: npx tsx scripts/docs/cliReference.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI_OPTIONS, USAGE } from '../../server/cli/args';

export const CLI_REFERENCE_PATH = path.resolve(__dirname, '..', '..', 'docs', 'cli.md');

/** Options the table accepts that are not for people: each with why it stays out of the help. */
export const INTERNAL_OPTIONS: Readonly<Record<string, string>> = {
  clientProcessId: 'vscode-languageclient appends --clientProcessId=PID to a server it starts over stdio',
};

/** One entry of a usage section: its term line(s) (a command's forms, an option's flags) and what it says. */
export interface UsageEntry {
  terms: string[];
  description: string;
}

/** A block of the usage text under a heading such as `review options:` or `Environment:`. */
export interface UsageSection {
  title: string;
  /** Text on the heading's own line after its colon (the `Exit codes:` line has it). */
  text: string;
  entries: UsageEntry[];
}

export interface OptionDoc {
  long: string;
  short: string | undefined;
  value: string | undefined;
  description: string;
  default: string | undefined;
}

export interface CommandDoc {
  /** `review`, `pr sync`, `learned export`. */
  name: string;
  forms: { synopsis: string; description: string }[];
  options: OptionDoc[];
  /** What the usage says the command exits with, where it says so (doctor's error, review's --fail-on). */
  exitNotes: string[];
}

export interface CliModel {
  usageLine: string;
  commands: CommandDoc[];
  common: OptionDoc[];
  environment: UsageSection[];
  exitCodes: string;
}

/**
 * Splits a usage text into its sections. The layout is --help's: a heading at column 0, an
 * entry's term at column 2 with its description after two or more spaces (or on the next,
 * deeper-indented lines), and stacked terms sharing one description (learned export / import).
 */
export function parseUsage(text: string): UsageSection[] {
  const sections: UsageSection[] = [];
  const columns = new Map<UsageSection, number>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const section = sections.at(-1);
    if (!line.startsWith(' ')) {
      const [title, rest] = line.endsWith(':') ? [line.slice(0, -1), ''] : splitOnce(line, ': ');
      sections.push({ title: title.trim(), text: rest.trim(), entries: [] });
      continue;
    }
    if (!section) throw new Error(`usage line before any heading: ${line}`);
    const last = section.entries.at(-1);
    if (/^ {2}\S/.test(line)) {
      let [term, description] = splitOnce(line.trim(), /\s{2,}/);
      // A term one character short of the description column leaves a single space before it
      // (DIFFWISE_GITHUB_API_URL): the column the section's other entries use tells them apart.
      const column = columns.get(section);
      if (!description && column !== undefined && line[column - 1] === ' ' && /\S/.test(line[column] ?? '') && /\S/.test(line[column - 2] ?? '')) {
        [term, description] = [line.slice(2, column - 1), line.slice(column)];
      }
      if (description && column === undefined) columns.set(section, line.indexOf(description, 2 + term.length));
      if (last && !last.description) {
        last.terms.push(term);
        last.description = description;
      } else {
        section.entries.push({ terms: [term], description });
      }
    } else {
      if (!last) throw new Error(`usage continuation line without an entry: ${line}`);
      last.description = `${last.description} ${line.trim()}`.trim();
    }
  }
  return sections;
}

/** The commands, their options, the common options, the environment and the exit codes, from the usage text. */
export function cliModel(usage: string = USAGE): CliModel {
  const sections = parseUsage(usage);
  const [head] = sections;
  const commandSection = sections.find((section) => section.title === 'Commands');
  const exitSection = sections.find((section) => section.title === 'Exit codes');
  if (!head || !commandSection || !exitSection) throw new Error('the usage text has no Usage line, Commands section or Exit codes line');

  const commands: CommandDoc[] = [];
  for (const entry of commandSection.entries) {
    for (const term of entry.terms) {
      const name = commandName(term);
      let command = commands.find((known) => known.name === name);
      if (!command) commands.push(command = { name, forms: [], options: [], exitNotes: [] });
      command.forms.push({ synopsis: `diffwise ${term}`, description: entry.description });
    }
  }
  const optionSections = sections.filter((section) => / options$/.test(section.title.replace(/\s*\(.*\)$/, '')));
  let common: OptionDoc[] = [];
  for (const section of optionSections) {
    const options = section.entries.flatMap(optionsOf);
    const owners = section.title.replace(/\s*\(.*\)$/, '').replace(/ options$/, '');
    if (owners === 'Common') {
      common = options;
      continue;
    }
    for (const owner of owners.split(/, | and /)) {
      // "feedback options" are every feedback form's; "pr" has none of its own but its subcommands'.
      const targets = commands.filter((command) => command.name === owner || command.name.startsWith(`${owner} `));
      if (!targets.length) throw new Error(`"${section.title}" names a command the Commands section does not list: ${owner}`);
      for (const target of targets) target.options.push(...options);
    }
  }
  // Options that only the synopsis shows (feedback --up, pr publish --dry-run, serve --stdio).
  for (const command of commands) {
    for (const form of command.forms) {
      for (const flag of form.synopsis.matchAll(/--([a-z][\w-]*)(?: ([A-Z][A-Z_]*))?/g)) {
        if (command.options.some((option) => option.long === flag[1])) continue;
        command.options.push({ long: flag[1]!, short: undefined, value: flag[2], description: 'See the synopsis above.', default: undefined });
      }
    }
    for (const form of command.forms) {
      const note = exitNoteOf(form.description);
      if (note) command.exitNotes.push(note);
    }
    for (const option of command.options) {
      const note = exitNoteOf(option.description);
      if (note) command.exitNotes.push(`\`--${option.long}\`: ${note}`);
    }
  }
  const lastOptions = sections.indexOf(optionSections.at(-1)!);
  const environment = sections.slice(lastOptions + 1).filter((section) => section !== exitSection);
  return { usageLine: head.text, commands, common, environment, exitCodes: exitSection.text };
}

/**
 * What the usage text and the options table disagree on, one line each (empty when they agree):
 * the check that keeps `--help`, this page and the parser one source.
 */
export function optionProblems(usage: string = USAGE, table: Readonly<Record<string, { type: string; short?: string }>> = CLI_OPTIONS): string[] {
  const problems: string[] = [];
  const sections = parseUsage(usage);
  const termText = sections.flatMap((section) => section.entries.flatMap((entry) => entry.terms)).join('\n');
  const named = new Set([...usage.matchAll(/(?<![\w-])--([a-zA-Z][\w-]*)/g)].map((match) => match[1]!));
  for (const [name, definition] of Object.entries(table)) {
    if (name in INTERNAL_OPTIONS) continue;
    if (!new RegExp(`(?<![\\w-])--${escapeRegExp(name)}(?![\\w-])`).test(termText)) problems.push(`--${name} is in the options table (CLI_OPTIONS) but no usage line documents it`);
    if (definition.short && !new RegExp(`(?<![\\w-])-${definition.short}\\b`).test(termText)) problems.push(`-${definition.short} (--${name}) is in the options table but no usage line shows it`);
  }
  for (const name of named) {
    if (!(name in table)) problems.push(`the usage text names --${name}, which the options table (CLI_OPTIONS) does not accept`);
  }
  return problems;
}

/** The page, as docs/cli.md holds it. Throws when the usage and the options table disagree. */
export function cliReferencePage(usage: string = USAGE): string {
  const problems = optionProblems(usage);
  if (problems.length) throw new Error(`the CLI's usage and its options table disagree:\n  ${problems.join('\n  ')}`);
  const model = cliModel(usage);
  const out: string[] = [
    '# CLI reference',
    '',
    '<!-- Generated by scripts/docs/cliReference.ts from the CLI\'s usage texts and options table (server/cli/args.ts, impactArgs.ts, serviceArgs.ts). Do not edit: run npx tsx scripts/docs/cliReference.ts -->',
    '',
    `Usage: \`${model.usageLine}\`. Everything on this page is also what \`diffwise --help\` prints, from the same text.`,
    '',
    'The JSON documents have JSON Schemas, generated from the TypeScript types and checked against real output by the tests:',
    '',
    '- `diffwise review --format json`: [review-document.schema.json](review-document.schema.json)',
    '- `diffwise metrics --json`: [metrics-document.schema.json](metrics-document.schema.json)',
    '',
    '## Commands',
    '',
    '| Command | What it does |',
    '| --- | --- |',
    ...model.commands.map((command) => `| [\`diffwise ${command.name}\`](#${slug(`diffwise ${command.name}`)}) | ${cell(command.forms[0]!.description)} |`),
    '',
  ];
  for (const command of model.commands) {
    out.push(`## diffwise ${command.name}`, '', '```text', ...command.forms.map((form) => form.synopsis), '```', '');
    for (const form of command.forms) out.push(command.forms.length > 1 ? `- \`${form.synopsis}\`: ${inline(form.description)}` : inline(form.description));
    out.push('');
    if (command.options.length) out.push(...optionTable(command.options), '');
    out.push(`The [common options](#common-options) apply too.${command.exitNotes.length ? ` Exit codes: ${command.exitNotes.map(inline).join(' ')}` : ''}`, '');
  }
  out.push('## Common options', '', 'Every command takes these.', '', ...optionTable(model.common), '');
  out.push('## Environment variables', '');
  for (const section of model.environment) {
    out.push(`### ${section.title}`, '', '| Variable | Effect |', '| --- | --- |');
    for (const entry of section.entries) out.push(`| ${entry.terms.map((term) => `\`${term}\``).join(', ')} | ${cell(entry.description)} |`);
    out.push('');
  }
  out.push('## Exit codes', '', '| Code | Meaning |', '| --- | --- |');
  for (const part of model.exitCodes.replace(/\.$/, '').split(/, (?=\d )/)) {
    const [code, meaning] = splitOnce(part, ' ');
    out.push(`| ${code} | ${cell(meaning)} |`);
  }
  out.push('', 'Where a command exits otherwise, its section says so (doctor exits 1 when a check is an error; review\'s `--fail-on` sets what counts as a finding that fails).', '');
  return out.join('\n');
}

function optionTable(options: readonly OptionDoc[]): string[] {
  return [
    '| Option | Value | Description | Default |',
    '| --- | --- | --- | --- |',
    ...options.map((option) => `| ${[option.short && `\`-${option.short}\``, `\`--${option.long}\``].filter(Boolean).join(', ')} | ${option.value ? `\`${option.value}\`` : ''} | ${cell(option.description)} | ${option.default ? cell(option.default) : ''} |`),
  ];
}

/** The options one usage entry documents: `-h, --help` is one option, `--working, --staged, --base REF` three. */
function optionsOf(entry: UsageEntry): OptionDoc[] {
  const options: OptionDoc[] = [];
  for (const term of entry.terms) {
    let short: string | undefined;
    for (const piece of term.split(/,\s*/)) {
      const shortMatch = /^-([a-zA-Z])$/.exec(piece);
      if (shortMatch) {
        short = shortMatch[1];
        continue;
      }
      const match = /^--([a-zA-Z][\w-]*)(?: (\S+))?$/.exec(piece);
      if (!match) throw new Error(`not an option term: "${piece}" (in "${term}")`);
      options.push({ long: match[1]!, short, value: match[2], description: entry.description, default: defaultOf(entry.description, match[2] !== undefined) });
      short = undefined;
    }
  }
  return options;
}

/**
 * What a description says about the exit code ("(exit 1 when any is an error)", "Exit 1 when a
 * finding is at or above LEVEL: …"), as a sentence; undefined when it says nothing.
 */
function exitNoteOf(description: string): string | undefined {
  const start = description.search(/\bexits? \d/i);
  if (start < 0) return undefined;
  let note: string;
  if (description[start - 1] === '(') {
    // The parenthesis's own text, up to the bracket that closes it.
    let depth = 1;
    let end = start;
    while (end < description.length && depth > 0) {
      if (description[end] === '(') depth++;
      if (description[end] === ')') depth--;
      end++;
    }
    note = description.slice(start, depth === 0 ? end - 1 : end);
  } else {
    note = description.slice(start).replace(/\. .*$/s, '');
  }
  return `${note.charAt(0).toUpperCase()}${note.slice(1).replace(/\.$/, '')}.`;
}

/** The default an option's description states: "(default: X)", "(default X; …)", or "X (default)" for a value. */
function defaultOf(description: string, takesValue: boolean): string | undefined {
  const stated = /\bdefault:? ([^;)]+)/.exec(description)?.[1]?.trim();
  const markedWord = /(\S+) \(default\)/.exec(description)?.[1];
  const marked = markedWord === undefined ? undefined : takesValue ? markedWord.replace(/[^\w.-]/g, '') : 'yes';
  // The worker's --fail-on says both: "error (default), … (default: DIFFWISE_FAIL_ON)".
  if (stated && marked && !stated.includes('else')) return `${stated}, else ${marked}`;
  return stated ?? marked;
}

/** `pr sync` from `pr sync`, `feedback` from `feedback ID --up|…`, `learned export` from `learned export [FILE]`. */
function commandName(term: string): string {
  const words: string[] = [];
  for (const word of term.split(/\s+/)) {
    if (!/^[a-z][a-z-]*$/.test(word)) break;
    words.push(word);
  }
  if (!words.length) throw new Error(`a command line without a command name: ${term}`);
  return words.join(' ');
}

function splitOnce(text: string, separator: string | RegExp): [string, string] {
  const match = typeof separator === 'string' ? { index: text.indexOf(separator), length: separator.length } : (() => {
    const found = separator.exec(text);
    return found ? { index: found.index, length: found[0].length } : { index: -1, length: 0 };
  })();
  return match.index < 0 ? [text, ''] : [text.slice(0, match.index), text.slice(match.index + match.length)];
}

/** Usage text as Markdown prose: `<git dir>` is not an HTML tag. */
function inline(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Usage text in a table cell: a `|` would end the cell. */
function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

/** GitHub's heading anchor (as test/unit/docs/links.test.ts checks them). */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

if (require.main === module) {
  fs.writeFileSync(CLI_REFERENCE_PATH, cliReferencePage());
  process.stdout.write(`wrote ${path.relative(process.cwd(), CLI_REFERENCE_PATH)}\n`);
}

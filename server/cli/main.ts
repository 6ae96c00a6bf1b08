#!/usr/bin/env node
/**
 * `diffwise`: the terminal front end's entry. It parses the command line, answers
 * `--help` and `--version` itself, and loads the commands (commands.ts: the core
 * and SQLite) only for a command that needs them: they are a bundle of their own,
 * so that a usage error or `--version` costs what Node's own start-up costs. The
 * core in turn loads the compiler, secretlint, openai, octokit and the LSP stack
 * (dist/lib/, build/lazyModules.mjs) only when it uses them, and both through a
 * code cache (bundleLoader.ts). Every failure ends here as one line.
 */
import * as path from 'node:path';
import { fileErrorText } from '../fileErrors';
import { parseCommand, USAGE } from './args';
import { loadBundle } from './bundleLoader';
import type * as Commands from './commands';

type CommandsModule = typeof Commands;

declare const DIFFWISE_VERSION: string;
const VERSION = typeof DIFFWISE_VERSION === 'string' ? DIFFWISE_VERSION : '0.0.0-dev';

/** The commands, from the bundle beside this one (dist/commands.js), through the code cache. */
function loadCommands(command: string): CommandsModule {
  // A path computed at run time, so that the bundler leaves this file without the core in it;
  // loaded as CommonJS (both bundles are), not import(): this one must not pull the other in.
  return loadBundle(path.join(__dirname, 'commands.js'), `diffwise ${command}`) as CommandsModule;
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseCommand(argv, process.env);
  if (command.name === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.name === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  return loadCommands(command.name).runCommand(command);
}

/**
 * The errors a user can act on: their message is the line. Told apart by name,
 * not class, since they are thrown from the other bundle.
 */
const KNOWN_ERRORS = new Set(['UsageError', 'GitError', 'StoreError', 'FeedbackError', 'GitHubError', 'ImpactError', 'ServiceError']);

/**
 * Every failure as one line. Errors the user can act on are their own message;
 * the file system's are said in words with the path; anything else is a bug,
 * said as such, with how to see more.
 */
function oneLine(error: unknown): string {
  if (error instanceof Error && KNOWN_ERRORS.has(error.name)) return firstLine(error.message);
  const errno = error as NodeJS.ErrnoException;
  if (typeof errno?.code === 'string' && typeof errno.syscall === 'string') {
    return `cannot ${errno.syscall.replace(/Sync$/, '')} ${errno.path ?? ''}: ${fileErrorText(errno)}`.replace(/\s+:/, ':');
  }
  const message = error instanceof Error ? error.message : String(error);
  return `internal error: ${firstLine(message)} (a bug in Diffwise; DIFFWISE_DEBUG=1 shows where)`;
}

function firstLine(message: string): string {
  const line = message.split('\n').find((part) => part.trim() !== '') ?? message;
  return line.trim();
}

/**
 * Ends the process once what it wrote has reached stdout and stderr, rather than when the
 * event loop runs dry. By then the command has awaited all of its work; what the loop would
 * still wait for is V8 tidying its heap and the last child process's handles closing, about
 * 30 ms of an unchanged re-review. The write callbacks keep the output whole where a pipe is
 * asynchronous (Windows); `exit` listeners (the code cache's) still run. Never for `serve`,
 * whose promise does not settle.
 */
function exitOnceWritten(): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit()));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    exitOnceWritten();
  },
  (error: unknown) => {
    process.stderr.write(`diffwise: ${oneLine(error)}\n`);
    // The stack is for bug reports, on request: a user sees one line.
    if (process.env.DIFFWISE_DEBUG && process.env.DIFFWISE_DEBUG !== '0') process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 2;
    exitOnceWritten();
  },
);

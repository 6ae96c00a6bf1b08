/**
 * Assertions shared by the bad-input suite (test/integration/badInput/): every
 * failure a user can meet ends in one clear line on stderr and the right exit
 * code, never a stack trace or a JavaScript error message, and loses nothing.
 *
 *   const result = runCli(repo, ['review', '--base', 'nope']);
 *   expectOneLineFailure(result, { code: 2, message: /unknown base ref: nope/ });
 */
import * as assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliResult } from './cli';

/** What leaks when an error was not turned into a message for people. */
const LEAKS = [
  /^\s+at .+[:(]\d+/m, // a stack frame
  /Cannot read propert/i,
  /is not a function/,
  /is not iterable/,
  /Unexpected token .* in JSON|is not valid JSON/,
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError)\b/,
  /\[object Object\]/,
  /\bundefined\b.*\bundefined\b/,
];

export interface FailureExpectation {
  /** The exit code: 2 for usage and runtime errors, 1 for findings at or above --fail-on. */
  code: number;
  /** What the one line must say. */
  message: RegExp;
  /** Lines allowed before the error (notices such as "the database was corrupt…"); 0 by default. */
  noticesBefore?: number;
}

/** The run failed with exactly one `diffwise: …` line (after `noticesBefore` notices) and leaked nothing. */
export function expectOneLineFailure(result: CliResult, expected: FailureExpectation): string {
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  const context = `exit ${result.code}\nstderr:\n${result.stderr}\nstdout:\n${result.stdout.slice(0, 2000)}`;
  assert.equal(result.code, expected.code, context);
  expectNoLeak(result.stderr, context);
  expectNoLeak(result.stdout, context);
  assert.ok(lines.length >= 1, `no error message at all\n${context}`);
  assert.ok(lines.length <= 1 + (expected.noticesBefore ?? 0), `more than one line of error\n${context}`);
  const line = lines[lines.length - 1];
  assert.match(line, /^diffwise: /, context);
  assert.match(line, expected.message, context);
  return line;
}

/** Nothing in `text` looks like an error that escaped unexplained. */
export function expectNoLeak(text: string, context = text): void {
  for (const leak of LEAKS) assert.doesNotMatch(text, leak, `leaked ${leak}\n${context}`);
}

/**
 * A fingerprint of every file under `dir` (names, modes and contents; `.git`
 * objects included), to show that a failure left the user's files as they were.
 */
export function treeFingerprint(dir: string, skip: (relative: string) => boolean = () => false): string {
  const hash = createHash('sha256');
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const absolute = path.join(current, entry.name);
      const relative = path.relative(dir, absolute);
      if (skip(relative)) continue;
      if (entry.isDirectory()) walk(absolute);
      else if (entry.isFile()) hash.update(relative).update('\0').update(fs.readFileSync(absolute)).update('\0');
      else if (entry.isSymbolicLink()) hash.update(relative).update('->').update(fs.readlinkSync(absolute)).update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/**
 * Starts every job now, at most `limit` at a time, and gives each one's
 * outcome by name: a suite of slow CLI runs (most of their time is waiting for
 * a timeout, a retry or node's start-up) then takes the time of its slowest
 * few, not of all. Each `it` awaits its own outcome and asserts on it.
 *
 *   const outcomes = runConcurrently(cases.map((c) => [c.name, () => run(c)]), 4);
 *   for (const c of cases) it(c.name, async () => check(c, await outcomes.get(c.name)!));
 */
export function runConcurrently<T>(jobs: ReadonlyArray<readonly [string, () => Promise<T>]>, limit: number): Map<string, Promise<T>> {
  const outcomes = new Map<string, Promise<T>>();
  let running = 0;
  const waiting: Array<() => void> = [];
  const slot = async (): Promise<void> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
  };
  const release = (): void => {
    running -= 1;
    waiting.shift()?.();
  };
  for (const [name, job] of jobs) {
    if (outcomes.has(name)) throw new Error(`two jobs named ${name}`);
    const outcome = slot().then(job).finally(release);
    // Awaited later by its own test; until then a failure must not count as unhandled.
    outcome.catch(() => undefined);
    outcomes.set(name, outcome);
  }
  return outcomes;
}

/**
 * Damages a database file behind its 100-byte header, so that it is still
 * recognisably Diffwise's (the header says so) but unreadable inside: the WAL is
 * checkpointed into the file first, then the rest of the file is overwritten.
 */
export function damageBehindHeader(file: string, fill = 0x5a): void {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const bytes = fs.readFileSync(file);
  bytes.fill(fill, 100);
  fs.writeFileSync(file, bytes);
  for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

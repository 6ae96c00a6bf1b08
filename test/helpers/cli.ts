/**
 * Runs the built CLI (`dist/cli.js`) as a user would: a child process in a given
 * folder, with its stdout, stderr and exit code. `npm test` builds first.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitEnv } from './gitRepo';

export const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...gitEnv, NO_COLOR: '1', ...env }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI expecting JSON on stdout. */
export function runCliJson<T>(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; json: T; stderr: string } {
  return withJson<T>(runCli(cwd, args, env));
}

function withJson<T>(result: CliResult): { code: number | null; json: T; stderr: string } {
  try {
    return { code: result.code, json: JSON.parse(result.stdout) as T, stderr: result.stderr };
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
}

/**
 * Runs the CLI without blocking this process: for tests whose fake servers
 * (an LLM endpoint, GitHub) live in the test process and must keep answering.
 */
export function runCliAsync(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...gitEnv, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `runCliAsync` expecting JSON on stdout. */
export async function runCliJsonAsync<T>(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; json: T; stderr: string }> {
  return withJson<T>(await runCliAsync(cwd, args, env));
}

/** What the extension-host suites share: the fixture's paths, diagnostics, waiting, running a review. */
import { execSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReviewDocument } from '../../../shared/review';

export const fixture = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
export const uriOf = (relative: string) => vscode.Uri.file(path.join(fixture(), relative));
/**
 * Diffwise's diagnostics on a fixture file, each with its rule id as `code`: VS Code
 * makes a code with a link (codeDescription, the rule's page) `{ value, target }`.
 */
export const diagnosticsOf = (relative: string) => vscode.languages.getDiagnostics(uriOf(relative)).filter((d) => d.source === 'diffwise').map(withPlainCode);

function withPlainCode(diagnostic: vscode.Diagnostic): vscode.Diagnostic {
  if (typeof diagnostic.code !== 'object') return diagnostic;
  return Object.assign(new vscode.Diagnostic(diagnostic.range, diagnostic.message, diagnostic.severity), diagnostic, { code: diagnostic.code.value });
}

export async function waitFor<T>(what: string, probe: () => T | undefined | PromiseLike<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs a review command until the daemon answers (it may still be starting). */
export async function review(command: string, ...args: unknown[]): Promise<ReviewDocument> {
  return waitFor(`${command} to return a review`, () => vscode.commands.executeCommand<ReviewDocument | undefined>(command, ...args), 60_000);
}

/** The pids of the running daemons (`dist/cli.js serve`). Not pkill -f: it would match its own shell's command line. */
export function daemonPids(): number[] {
  return execSync('ps -eo pid=,args=', { encoding: 'utf8' })
    .split('\n')
    .filter((line) => /dist\/cli\.js serve/.test(line))
    .map((line) => Number.parseInt(line.trim(), 10));
}

// Types only: erased by esbuild, so the suite does not bundle the extension it tests.
export type { DiffwiseApi } from '../../../extension/extension';
export type { PrThreadInfo } from '../../../extension/prComments';

/** Runs a command that opens a quick pick and accepts its active (first) item, until the command returns. */
export async function acceptingFirstItem<T>(command: string): Promise<T> {
  let settled = false;
  const running = Promise.resolve(vscode.commands.executeCommand<T>(command)).finally(() => (settled = true));
  const deadline = Date.now() + 20_000;
  while (!settled && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return running;
}

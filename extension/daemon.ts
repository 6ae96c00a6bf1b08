/**
 * Starting and stopping the daemon: `diffwise serve --stdio` from the installed
 * folder, run by the system Node (never VS Code's Electron: better-sqlite3 is a
 * native module built for Node's ABI). A missing or too old Node gets a
 * notification that says how to fix it. The environment it gets (the LLM key,
 * the workspace-trust switch) is built by ./daemonEnv.ts.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ClientCapabilities, type FeatureState, type LanguageClientOptions, type ServerOptions, type StaticFeature } from 'vscode-languageclient/node';
import { IGNORE_FINDING_COMMAND, LastReviewChangedNotification, PrCommentsChangedNotification, StatusNotification, VOTE_FINDING_COMMAND, type LastReviewChangedParams, type StatusParams } from '../shared/protocol';
import type { Config } from './config';
import { daemonLogLevel } from './daemonEnv';

const MINIMUM_NODE_MAJOR = 20;

export class NodeMissingError extends Error {}

/** Checks that `nodePath` runs and is recent enough; returns its version. */
export async function checkNode(nodePath: string): Promise<string> {
  let version: string;
  try {
    version = (await promisify(execFile)(nodePath, ['--version'], { timeout: 10_000 })).stdout.trim();
  } catch {
    throw new NodeMissingError(`Diffwise needs Node.js ${MINIMUM_NODE_MAJOR} or later, and "${nodePath}" could not be run. Install Node.js or set diffwise.server.nodePath to its full path.`);
  }
  const major = Number.parseInt(version.replace(/^v/, ''), 10);
  if (!(major >= MINIMUM_NODE_MAJOR)) {
    throw new NodeMissingError(`Diffwise needs Node.js ${MINIMUM_NODE_MAJOR} or later; "${nodePath}" is ${version}. Install a newer Node.js or set diffwise.server.nodePath.`);
  }
  return version;
}

export function createClient(
  context: vscode.ExtensionContext,
  config: Config,
  env: NodeJS.ProcessEnv,
  outputChannel: vscode.LogOutputChannel,
  traceChannel: vscode.LogOutputChannel,
  onStatus: (status: StatusParams) => void,
  onLastReviewChanged: (params: LastReviewChangedParams) => void,
  middleware: LanguageClientOptions['middleware'],
  onPrCommentsChanged: (params: { pullNumber: number }) => void,
): LanguageClient {
  const cli = context.asAbsolutePath(path.join('dist', 'cli.js'));
  // An executable's `options` go to child_process.spawn as they are: `env` replaces the
  // extension host's environment rather than adding to it, so a variable left out stays out.
  // The channel's level, as the daemon reads it at start: a level set with "Developer: Set Log Level…" applies from the next restart.
  const daemonEnv = { ...env, DIFFWISE_LOG_LEVEL: daemonLogLevel(outputChannel.logLevel) };
  const run = { command: config.nodePath, args: [cli, 'serve'], transport: TransportKind.stdio, options: { cwd: context.extensionPath, env: daemonEnv } };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    // Diffwise publishes diagnostics for any file in the workspace, not for one language.
    documentSelector: [{ scheme: 'file' }],
    outputChannel,
    traceOutputChannel: traceChannel,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0],
    // Hovers carry `command:diffwise.voteFinding?…` and `command:diffwise.ignoreFinding?…` links; trusted for those and no other.
    markdown: { isTrusted: { enabledCommands: [VOTE_FINDING_COMMAND, IGNORE_FINDING_COMMAND] } },
    middleware,
  };
  const client = new LanguageClient('diffwise', 'Diffwise', serverOptions, clientOptions);
  client.registerFeature(new NoWindowProgress());
  context.subscriptions.push(
    client.onNotification(StatusNotification.type, onStatus),
    client.onNotification(LastReviewChangedNotification.type, onLastReviewChanged),
    client.onNotification(PrCommentsChangedNotification.type, onPrCommentsChanged),
  );
  return client;
}

/**
 * Tells the daemon that this client shows no work-done progress. The language client
 * would show the daemon's indexing progress as a window progress: a second, transient
 * Diffwise entry in the status bar beside the one item (./statusBar.ts), which already
 * says "indexing" from `diffwise/status`. Registered after the built-in features, so its
 * answer is the last word on `window.workDoneProgress`. Other editors still get progress.
 */
class NoWindowProgress implements StaticFeature {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    capabilities.window = { ...capabilities.window, workDoneProgress: false };
  }

  initialize(): void {}

  getState(): FeatureState {
    return { kind: 'static' };
  }

  clear(): void {}
}

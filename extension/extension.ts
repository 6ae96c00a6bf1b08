/**
 * The extension's entry: wires the config, the log, the daemon client, the
 * status bar and the commands together. Everything disposable goes into
 * `context.subscriptions`; `deactivate` stops the daemon.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ReviewRequest, type ReviewParams } from '../shared/protocol';
import type { ReviewDocument } from '../shared/review';
import { registerCommands } from './commands';
import { Config } from './config';
import { checkNode, createClient } from './daemon';
import { StatusBar } from './statusBar';

let client: LanguageClient | undefined;

/** What the extension exports to other extensions (and to its tests). */
export interface DiffwiseApi {
  /** How long activation took, daemon start included, in milliseconds. */
  activationMs: number;
  /**
   * Runs a review without any UI and returns its document; cancelling the token
   * cancels the work in the daemon (the promise then rejects).
   */
  review(params: ReviewParams, token?: vscode.CancellationToken): Promise<ReviewDocument>;
}

export async function activate(context: vscode.ExtensionContext): Promise<DiffwiseApi> {
  const started = performance.now();
  const config = new Config();
  const log = vscode.window.createOutputChannel('Diffwise', { log: true });
  const trace = vscode.window.createOutputChannel('Diffwise LSP Trace', { log: true });
  const statusBar = new StatusBar();
  context.subscriptions.push(log, trace, statusBar);

  const start = async () => {
    try {
      log.info(`starting the daemon with ${config.nodePath} (${await checkNode(config.nodePath)})`);
    } catch (error) {
      statusBar.show({ state: 'error', message: (error as Error).message });
      const choice = await vscode.window.showErrorMessage((error as Error).message, 'Open Settings');
      if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'diffwise.server.nodePath');
      return;
    }
    client = createClient(context, config, log, trace, (status) => statusBar.show(status));
    await client.start();
  };
  const restart = async () => {
    await client?.stop().catch((error: Error) => log.warn(`stopping the daemon: ${error.message}`));
    client?.dispose();
    client = undefined;
    await start();
  };

  context.subscriptions.push(
    ...registerCommands({ context, config, client: () => client, log, restart }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!config.needsRestart(event)) return;
      const choice = await vscode.window.showInformationMessage('Diffwise: the daemon must restart for this setting to apply.', 'Restart Now');
      if (choice) await restart();
    }),
  );
  await start();
  const activationMs = Math.round(performance.now() - started);
  log.info(`activated in ${activationMs} ms`);
  return {
    activationMs,
    review: async (params, token) => {
      if (!client) throw new Error('the Diffwise daemon is not running');
      return client.sendRequest(ReviewRequest.type, params, token);
    },
  };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

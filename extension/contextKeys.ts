/**
 * The context keys package.json's `when` and `enablement` clauses read, so the
 * palette and the menus offer only what applies: no "Clear LLM API Key" without a
 * key, no pull-request commands without a GitHub remote, no Unignore before a review.
 * VS Code has no public way to read a context key back, so the values set are kept
 * here too (`snapshot`) for the e2e suite and for the extension's own decisions.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { parseGitHubRemote } from '../server/github/remote';

/** Every context key the extension sets; package.json's clauses use exactly these. */
export const CONTEXT_KEYS = ['diffwise.daemonRunning', 'diffwise.llmKeySet', 'diffwise.hasGitHubRemote', 'diffwise.hasLastReview'] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];

/** The remote the daemon syncs pull requests from (server/github/pullRequests.ts). */
const PULL_REQUEST_REMOTE = 'origin';

export class ContextKeys {
  private readonly values = new Map<ContextKey, boolean>();

  /** Sets a key (once per change: setContext is a round trip to the renderer). */
  async set(key: ContextKey, value: boolean): Promise<void> {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    await vscode.commands.executeCommand('setContext', key, value);
  }

  /** The values set so far; a key never set reads false, as it does in a `when` clause. */
  snapshot(): Record<ContextKey, boolean> {
    return Object.fromEntries(CONTEXT_KEYS.map((key) => [key, this.values.get(key) ?? false])) as Record<ContextKey, boolean>;
  }

  /**
   * Whether the folder's `origin` is a GitHub repository the daemon could sync: the same
   * parse the daemon makes, with the same GitHub Enterprise API URL (setting, else environment).
   */
  async refreshGitHubRemote(folder: string | undefined, log: vscode.LogOutputChannel): Promise<void> {
    let isGitHub = false;
    if (folder) {
      try {
        const { stdout } = await promisify(execFile)('git', ['remote', 'get-url', PULL_REQUEST_REMOTE], { cwd: folder });
        const apiUrl = vscode.workspace.getConfiguration('diffwise.github').get<string>('apiUrl', '').trim() || process.env.DIFFWISE_GITHUB_API_URL?.trim();
        parseGitHubRemote(stdout.trim(), apiUrl || undefined);
        isGitHub = true;
      } catch (error) {
        // No origin, or not GitHub: the pull-request commands stay out of the palette.
        log.debug(`no GitHub remote: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    await this.set('diffwise.hasGitHubRemote', isGitHub);
  }
}

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
import { LLM_API_KEY_SECRET } from './daemonEnv';

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
   * Sets the keys that follow the workspace (the stored LLM key, the GitHub remote) and
   * keeps them current; the daemon's keys are set by whoever starts and stops it.
   */
  async track(secrets: vscode.SecretStorage, folder: string | undefined, log: vscode.LogOutputChannel): Promise<vscode.Disposable[]> {
    const refreshKey = async () => this.set('diffwise.llmKeySet', (await secrets.get(LLM_API_KEY_SECRET).then(undefined, () => undefined)) !== undefined);
    const refreshRemote = () => this.refreshGitHubRemote(folder, log);
    const disposables = [
      // Fired for this window's own Set and Clear LLM API Key too, and for other windows'.
      secrets.onDidChange((event) => {
        if (event.key === LLM_API_KEY_SECRET) void refreshKey();
      }),
      // `git remote add/remove/set-url` rewrite the repository's config file; a focus catches what a watcher missed.
      ...await watchGitConfig(folder, refreshRemote),
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused) void refreshRemote();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('diffwise.github.apiUrl')) void refreshRemote();
      }),
    ];
    await Promise.all([refreshKey(), refreshRemote()]);
    return disposables;
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

/** Calls `changed` whenever the repository's git config file (where remotes live) changes. */
async function watchGitConfig(folder: string | undefined, changed: () => void): Promise<vscode.Disposable[]> {
  if (!folder) return [];
  let gitDir: string;
  try {
    gitDir = (await promisify(execFile)('git', ['rev-parse', '--absolute-git-dir'], { cwd: folder })).stdout.trim();
  } catch {
    return []; // not a repository: no remote to follow
  }
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(gitDir), 'config'));
  return [watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed)];
}

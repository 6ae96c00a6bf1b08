/**
 * When the pull request's comments are synced from GitHub: by **Diffwise: Sync Pull
 * Request Comments** (a cancellable progress notification, errors said in the
 * daemon's one actionable line), on a branch switch (a watcher on the repository's
 * `HEAD` file: no git extension, no network), and every
 * `diffwise.github.syncIntervalMinutes` while the window has the focus. Never two
 * at once; automatic syncs only spin Diffwise's status bar item, and say nothing of the
 * routine "no pull request for this branch" (the log has it).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PrSyncResult } from '../shared/github';
import { PrSyncRequest } from '../shared/protocol';
import type { Config } from './config';
import type { PrComments } from './prComments';
import { repositoryRoot } from './repoRoot';

export type SyncTrigger = 'command' | 'interval' | 'branch';

type Outcome = { result: PrSyncResult } | { error: Error; cancelled: boolean };

/**
 * A missing, rejected or too weak token (the daemon's messages name GITHUB_TOKEN, as
 * they are also the CLI's): answered with a Sign in to GitHub button.
 */
export const isTokenError = (message: string): boolean => /GITHUB_TOKEN|GH_TOKEN|\btoken\b/i.test(message);
/**
 * What an automatic sync meets in the ordinary course of things and should not
 * interrupt anyone for: no `origin`, a remote that is not GitHub, a detached HEAD,
 * a branch without a pull request.
 */
export const isRoutineError = (message: string): boolean =>
  /no open pull request|no (pull request|PR) for|no remote named|not a GitHub repository|is not github\.com|HEAD is detached/i.test(message);

export interface PrSyncDeps {
  client: () => LanguageClient | undefined;
  log: vscode.LogOutputChannel;
  config: Config;
  comments: PrComments;
  /** Diffwise: Sign in to GitHub; resolves to the account, or undefined when the user declined. */
  signIn: () => Promise<string | undefined>;
  /** Spins Diffwise's one status bar item while an automatic sync runs (no window progress: a second item). */
  busy: <T>(label: string, work: () => Promise<T>) => Promise<T>;
}

export class PrSync implements vscode.Disposable {
  private inFlight: Promise<Outcome> | undefined;
  private lastAttempt = 0;
  /** The last automatic failure shown: the same one is not shown again every few minutes. */
  private lastShown: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private head: string | undefined;
  private headTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: PrSyncDeps) {
    this.schedule();
    this.disposables.push(
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused) this.tick();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('diffwise.github.syncIntervalMinutes')) this.schedule();
      }),
    );
    void this.watchHead().catch((error: Error) => deps.log.warn(`not watching the branch for pull-request syncs: ${error.message}`));
  }

  /** The daemon (re)started: show what it has stored, and sync if one is due. */
  daemonStarted(): void {
    void this.deps.comments.refresh();
    this.tick();
  }

  /**
   * Syncs now. From the command: progress and errors in notifications, a join of a
   * sync already running rather than a second one. Returns what the sync did, or
   * undefined when it failed or was cancelled (or, automatic, when one was running).
   */
  async run(trigger: SyncTrigger): Promise<PrSyncResult | undefined> {
    if (trigger !== 'command') {
      // A branch switch during a sync needs one of its own, for the new branch, after it.
      if (this.inFlight && trigger === 'branch') await this.inFlight;
      if (this.inFlight) return undefined;
      const outcome = await this.deps.busy('Syncing pull-request comments', () => this.start(trigger));
      return this.reportAutomatic(trigger, outcome);
    }
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Diffwise: syncing the pull request\'s comments from GitHub', cancellable: true },
      (_progress, token) => this.inFlight ?? this.start(trigger, token),
    );
    return this.reportCommand(outcome);
  }

  dispose(): void {
    clearInterval(this.timer);
    clearTimeout(this.headTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private start(trigger: SyncTrigger, token?: vscode.CancellationToken): Promise<Outcome> {
    const client = this.deps.client();
    if (!client) return Promise.resolve({ error: new Error('the Diffwise daemon is not running'), cancelled: false });
    this.lastAttempt = Date.now();
    const started = performance.now();
    const work = (async (): Promise<Outcome> => {
      try {
        const result = await client.sendRequest(PrSyncRequest.type, {}, token);
        this.deps.log.info(`pull-request sync (${trigger}): #${result.pull.number}, ${result.comments} comment(s) in ${result.threads} thread(s), `
          + `${result.newComments} new, ${result.updatedComments} updated; ${result.requests} request(s), ${result.notModified} not modified, `
          + `${Math.round(performance.now() - started)} ms`);
        this.deps.comments.synced();
        await this.deps.comments.refresh();
        return { result };
      } catch (error) {
        const cancelled = token?.isCancellationRequested === true || /cancel/i.test((error as Error).message);
        this.deps.log[cancelled ? 'info' : 'warn'](`pull-request sync (${trigger}) ${cancelled ? 'cancelled' : `failed: ${(error as Error).message}`}`);
        return { error: error as Error, cancelled };
      }
    })();
    this.inFlight = work;
    void work.finally(() => {
      if (this.inFlight === work) this.inFlight = undefined;
    });
    return work;
  }

  private async reportCommand(outcome: Outcome): Promise<PrSyncResult | undefined> {
    if ('result' in outcome) {
      this.lastShown = undefined;
      const { pull, comments, threads, newComments } = outcome.result;
      const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
      void vscode.window.showInformationMessage(`Diffwise: pull request #${pull.number}: ${plural(comments, 'comment', 'comments')} in ${plural(threads, 'thread', 'threads')}${newComments ? `, ${newComments} new` : ''}.`);
      return outcome.result;
    }
    if (outcome.cancelled) return undefined;
    const message = outcome.error.message;
    const actions = isTokenError(message) ? ['Sign in to GitHub', 'Show Log'] : ['Show Log'];
    void vscode.window.showErrorMessage(`Diffwise: ${message}`, ...actions).then(async (choice) => {
      if (choice === 'Show Log') this.deps.log.show();
      if (choice === 'Sign in to GitHub' && (await this.deps.signIn())) await this.run('command');
    });
    return undefined;
  }

  private reportAutomatic(trigger: SyncTrigger, outcome: Outcome): PrSyncResult | undefined {
    if ('result' in outcome) {
      this.lastShown = undefined;
      return outcome.result;
    }
    const message = outcome.error.message;
    if (outcome.cancelled || isRoutineError(message) || message === this.lastShown) return undefined;
    // A bad token, a rate limit, an unreachable server: worth a word, once.
    this.lastShown = message;
    void vscode.window.showWarningMessage(`Diffwise: the ${trigger === 'branch' ? 'branch switch\'s' : 'automatic'} pull-request sync failed: ${message}`, 'Show Log')
      .then((choice) => choice && this.deps.log.show());
    return undefined;
  }

  /** Every interval's worth of minutes while focused; checked each minute, so a focus regained after long syncs soon. */
  private schedule(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    const minutes = this.deps.config.syncIntervalMinutes;
    if (minutes <= 0) return;
    this.timer = setInterval(() => this.tick(), Math.min(60_000, minutes * 60_000));
  }

  private tick(): void {
    const minutes = this.deps.config.syncIntervalMinutes;
    if (minutes <= 0 || !vscode.window.state.focused || this.inFlight || !this.deps.client()) return;
    if (Date.now() - this.lastAttempt < minutes * 60_000) return;
    void this.run('interval');
  }

  /** Watches the repository's HEAD file (in its git dir, which a worktree has of its own): a new content is a branch switch. */
  private async watchHead(): Promise<void> {
    const root = await repositoryRoot();
    if (!root) return;
    const gitDir = path.resolve(root, (await promisify(execFile)('git', ['rev-parse', '--absolute-git-dir'], { cwd: root })).stdout.trim());
    const headFile = path.join(gitDir, 'HEAD');
    const read = () => fs.readFile(headFile, 'utf8').then((text) => text.trim(), () => undefined);
    this.head = await read();
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(gitDir), 'HEAD'));
    const changed = () => {
      // git writes HEAD.lock and renames it: wait for the dust to settle.
      clearTimeout(this.headTimer);
      this.headTimer = setTimeout(async () => {
        const head = await read();
        if (!head || head === this.head) return;
        this.deps.log.info(`HEAD is now ${head.replace(/^ref: refs\/heads\//, '')}: re-reading and syncing the pull-request comments`);
        this.head = head;
        await this.deps.comments.refresh();
        await this.run('branch');
      }, 500);
    };
    this.disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed));
  }
}

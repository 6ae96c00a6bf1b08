/**
 * The commands. Reviews show a cancellable progress notification whose Cancel
 * cancels the request, and so the work, in the daemon. Each review command also
 * takes its parameters as arguments, so keybindings and other extensions can
 * skip the pickers.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ReindexRequest, ReviewRequest, type ReviewParams } from '../shared/protocol';
import type { ReviewDocument, ReviewRun, ReviewScope } from '../shared/review';
import type { Config } from './config';
import { LLM_API_KEY_SECRET } from './daemonEnv';
import { FeedbackViewProvider } from './feedbackView';
import { exportLearned, importLearned } from './learnedTransfer';
import { clearLlmApiKey, setLlmApiKey } from './llmKey';
import { isLlmError, LlmNotices } from './llmRun';
import type { PrComments } from './prComments';
import { publishFindings } from './prPublish';
import { votePrComment } from './prVotes';
import type { PrSync } from './prSync';
import type { Votes } from './voting';

const LAST_BASE_KEY = 'diffwise.lastBase';

export interface CommandContext {
  context: vscode.ExtensionContext;
  config: Config;
  client: () => LanguageClient | undefined;
  log: vscode.LogOutputChannel;
  restart: () => Promise<void>;
  /** Restarts the daemon if the LLM key or the workspace trust it was started with changed. */
  refreshEnvironment: (reason: string) => Promise<void>;
  /** Called with every review's run (the status bar shows its LLM line). */
  onReviewed: (run: ReviewRun) => void;
  /** Every vote cast in this window; Undo Vote withdraws the last. */
  votes: Votes;
  /** Opens the metrics panel, or reveals it. */
  showMetrics: () => void;
  /** The pull request's comment threads, and their syncs. */
  prComments: PrComments;
  prSync: PrSync;
  /** Diffwise: Sign in to GitHub: the account's label, or undefined when the user declined. */
  signInToGitHub: () => Promise<string | undefined>;
}

export function registerCommands(deps: CommandContext): vscode.Disposable[] {
  const keyStored = async () => (await deps.context.secrets.get(LLM_API_KEY_SECRET).then(undefined, () => undefined)) !== undefined;
  const notices: LlmNotices = new LlmNotices(deps.log, (params) => runReview(deps, notices, params), keyStored);
  const review = (scope: ReviewScope, base?: string) => runReview(deps, notices, { scope, base, trigger: 'command' });
  return [
    vscode.commands.registerCommand('diffwise.reviewBranch', async (base?: string) => {
      const chosen = typeof base === 'string' && base ? base : await pickBase(deps);
      if (!chosen) return undefined;
      await deps.context.workspaceState.update(LAST_BASE_KEY, chosen);
      return review('branch', chosen);
    }),
    vscode.commands.registerCommand('diffwise.reviewStaged', () => review('staged')),
    vscode.commands.registerCommand('diffwise.reviewWorkingTree', () => review('working')),
    vscode.commands.registerCommand('diffwise.reindex', () => reindex(deps)),
    vscode.commands.registerCommand('diffwise.showLog', () => deps.log.show()),
    vscode.commands.registerCommand('diffwise.restartDaemon', () => deps.restart()),
    vscode.commands.registerCommand('diffwise.showMenu', () => showMenu()),
    vscode.commands.registerCommand('diffwise.setLlmApiKey', (key?: unknown) => setLlmApiKey(deps, key)),
    vscode.commands.registerCommand('diffwise.clearLlmApiKey', () => clearLlmApiKey(deps)),
    vscode.commands.registerCommand('diffwise.showMetrics', () => deps.showMetrics()),
    vscode.commands.registerCommand('diffwise.showFeedback', () => vscode.commands.executeCommand(`${FeedbackViewProvider.viewId}.focus`)),
    vscode.commands.registerCommand('diffwise.undoVote', () => reportFailure(deps.votes.undo())),
    vscode.commands.registerCommand('diffwise.exportLearned', (file?: unknown) => reportFailure(exportLearned(deps, file))),
    vscode.commands.registerCommand('diffwise.importLearned', (file?: unknown) => reportFailure(importLearned(deps, file))),
    vscode.commands.registerCommand('diffwise.syncPullRequestComments', () => deps.prSync.run('command')),
    vscode.commands.registerCommand('diffwise.signInToGitHub', async () => {
      const account = await reportFailure(deps.signInToGitHub());
      if (account) await deps.prSync.run('command');
      return account;
    }),
    // The Comments API's menus: a CommentReply, a CommentThread, a Comment (package.json's comments/* menus).
    vscode.commands.registerCommand('diffwise.replyToPrComment', (reply: vscode.CommentReply) => reportFailure(deps.prComments.reply(reply))),
    vscode.commands.registerCommand('diffwise.resolvePrThread', (thread: vscode.CommentThread) => reportFailure(deps.prComments.setResolved(thread, true))),
    vscode.commands.registerCommand('diffwise.unresolvePrThread', (thread: vscode.CommentThread) => reportFailure(deps.prComments.setResolved(thread, false))),
    vscode.commands.registerCommand('diffwise.applyPrSuggestion', (comment: unknown) => reportFailure(deps.prComments.applySuggestion(comment))),
    vscode.commands.registerCommand('diffwise.prCommentHelpful', (comment: unknown) => votePrComment(deps.client(), comment, 'up')),
    vscode.commands.registerCommand('diffwise.prCommentNotHelpful', (comment: unknown) => votePrComment(deps.client(), comment, 'down')),
    vscode.commands.registerCommand('diffwise.publishFindings', () => publishFindings(deps.client(), deps.log)),
  ];
}

async function runReview(deps: CommandContext, notices: LlmNotices, params: ReviewParams): Promise<ReviewDocument | undefined> {
  const client = deps.client();
  if (!client) {
    void vscode.window.showErrorMessage('Diffwise: the daemon is not running.', 'Show Log').then((choice) => choice && deps.log.show());
    return undefined;
  }
  const what = params.scope === 'branch' ? `branch since ${params.base}` : params.scope === 'staged' ? 'staged changes' : 'working tree';
  try {
    const document = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Diffwise: reviewing the ${what}`, cancellable: true },
      (_progress, token) => client.sendRequest(ReviewRequest.type, params, token),
    );
    const errors = document.findings.filter((finding) => finding.severity === 'error').length;
    vscode.window.setStatusBarMessage(`Diffwise: ${document.findings.length} finding(s), ${errors} error(s) in the ${what}`, 5000);
    deps.onReviewed(document.run);
    // The LLM stage's failures get their own message (LlmNotices): the static findings stand.
    const llmErrors = document.run.errors.filter(isLlmError);
    const otherErrors = document.run.errors.filter((error) => !isLlmError(error));
    // What a rule could not judge is said, never left for an all-clear to hide.
    const unjudged = (document.run.skipped ?? []).filter((entry) => entry.rules.length > 0);
    const unjudgedText = unjudged.length
      ? `${unjudged.length} file(s) not fully reviewed: ${unjudged.slice(0, 3).map((entry) => `${entry.file} (${entry.reason.replace(/-/g, ' ')})`).join(', ')}${unjudged.length > 3 ? ', …' : ''}`
      : '';
    if (document.run.status !== 'ok' && (otherErrors.length > 0 || llmErrors.length === 0)) {
      const reasons = [...otherErrors.map((e) => `${e.stage}: ${e.message}`), ...(unjudgedText ? [unjudgedText] : [])].join('; ');
      const show = document.run.status === 'failed' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
      void show(`Diffwise: the review was ${document.run.status}: ${reasons}`, 'Show Log').then((choice) => {
        if (choice) deps.log.show(true);
      });
    }
    notices.afterReview(document.run, params);
    return document;
  } catch (error) {
    const message = (error as Error).message;
    if (/cancel/i.test(message)) {
      deps.log.info(`review of the ${what} cancelled`);
      return undefined;
    }
    void vscode.window.showErrorMessage(`Diffwise: ${message}`);
    return undefined;
  }
}

/** A command's failure as an error message (a command's rejection alone shows nothing useful). */
async function reportFailure<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    const message = (error as Error).message;
    void vscode.window.showErrorMessage(message.startsWith('Diffwise') ? message : `Diffwise: ${message}`);
    return undefined;
  }
}

async function reindex(deps: CommandContext): Promise<void> {
  const client = deps.client();
  if (!client) return;
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Diffwise: indexing' },
    () => client.sendRequest(ReindexRequest.type, {}),
  );
  vscode.window.setStatusBarMessage(`Diffwise: ${summary.files} files indexed (${summary.reparsed} re-parsed) in ${summary.durationMs} ms`, 5000);
}

/** Local and remote branches, the best default first: the remembered base, the setting, origin/HEAD, main, master. */
async function pickBase(deps: CommandContext): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let refs: string[] = [];
  if (folder) {
    try {
      const { stdout } = await promisify(execFile)('git', ['for-each-ref', '--format=%(refname:short)', 'refs/heads', 'refs/remotes'], { cwd: folder });
      refs = stdout.split('\n').map((line) => line.trim()).filter((ref) => ref && !ref.endsWith('/HEAD'));
    } catch (error) {
      deps.log.warn(`could not list branches: ${(error as Error).message}`);
    }
  }
  const preferred = [deps.context.workspaceState.get<string>(LAST_BASE_KEY), deps.config.defaultBase, 'origin/main', 'origin/master', 'main', 'master']
    .filter((ref): ref is string => Boolean(ref));
  const first = preferred.find((ref) => refs.includes(ref)) ?? preferred[0];
  const ordered = [...new Set([first, ...refs].filter((ref): ref is string => Boolean(ref)))];
  const picked = await vscode.window.showQuickPick(
    ordered.map((ref) => ({ label: ref, description: ref === first ? 'default' : ref.includes('/') ? 'remote' : 'local' })),
    { title: 'Diffwise: Review Branch', placeHolder: 'Review this branch since it left… (type any ref)', matchOnDescription: true },
  );
  return picked?.label;
}

async function showMenu(): Promise<void> {
  const items: Array<vscode.QuickPickItem & { command: string }> = [
    { label: '$(git-branch) Review Branch…', command: 'diffwise.reviewBranch' },
    { label: '$(diff) Review Staged Changes', command: 'diffwise.reviewStaged' },
    { label: '$(edit) Review Working Tree', command: 'diffwise.reviewWorkingTree' },
    { label: '$(sync) Reindex Workspace', command: 'diffwise.reindex' },
    { label: '$(output) Show Log', command: 'diffwise.showLog' },
    { label: '$(debug-restart) Restart Daemon', command: 'diffwise.restartDaemon' },
    { label: '$(key) Set LLM API Key…', command: 'diffwise.setLlmApiKey' },
    { label: '$(feedback) Show Feedback Panel', command: 'diffwise.showFeedback' },
    { label: '$(graph) Show Metrics', command: 'diffwise.showMetrics' },
    { label: '$(discard) Undo Vote', command: 'diffwise.undoVote' },
    { label: '$(export) Export Learned Votes', command: 'diffwise.exportLearned' },
    { label: '$(cloud-download) Import Learned Votes…', command: 'diffwise.importLearned' },
    { label: '$(comment-discussion) Sync Pull Request Comments', command: 'diffwise.syncPullRequestComments' },
    { label: '$(github) Sign in to GitHub', command: 'diffwise.signInToGitHub' },
    { label: '$(cloud-upload) Publish Findings to Pull Request', command: 'diffwise.publishFindings' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Diffwise' });
  if (picked) await vscode.commands.executeCommand(picked.command);
}

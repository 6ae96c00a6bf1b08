/**
 * The commands. Reviews show a cancellable progress notification whose Cancel
 * cancels the request, and so the work, in the daemon. Each review command also
 * takes its parameters as arguments, so keybindings and other extensions can
 * skip the pickers.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ReindexRequest, ReviewRequest, type ImpactParams, type ReviewParams } from '../shared/protocol';
import type { ReviewDocument, ReviewRun, ReviewScope } from '../shared/review';
import { branchChoices, LAST_BASE_KEY, pickBranch } from './branchPicker';
import type { Config } from './config';
import type { ContextKeys } from './contextKeys';
import { LLM_API_KEY_SECRET } from './daemonEnv';
import { FeedbackViewProvider } from './feedbackView';
import { exportLearned, importLearned } from './learnedTransfer';
import { clearLlmApiKey, setLlmApiKey } from './llmKey';
import { isLlmError, LlmNotices } from './llmRun';
import type { PrComments } from './prComments';
import { publishFindings } from './prPublish';
import { votePrComment } from './prVotes';
import type { PrSync } from './prSync';
import { showActions } from './actionsMenu';
import { unignoreFinding } from './unignore';
import type { Votes } from './voting';

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
  /** Diffwise: Run Health Check (extension/healthCheck.ts); resolves to the report shown. */
  runHealthCheck: () => Promise<unknown>;
  /** Opens the impact view on a change (the last review's, or one the user picks, without one). */
  showImpact: (params?: ImpactParams) => Promise<void>;
  /** The pull request's comment threads, and their syncs. */
  prComments: PrComments;
  prSync: PrSync;
  /** Diffwise: Sign in to GitHub: the account's label, or undefined when the user declined. */
  signInToGitHub: () => Promise<string | undefined>;
  /** The context keys the menus read; the actions menu offers what they allow. */
  contextKeys: ContextKeys;
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
    vscode.commands.registerCommand('diffwise.showMenu', () => showActions(deps.contextKeys.snapshot())),
    vscode.commands.registerCommand('diffwise.setLlmApiKey', (key?: unknown) => setLlmApiKey(deps, key)),
    vscode.commands.registerCommand('diffwise.clearLlmApiKey', () => clearLlmApiKey(deps)),
    vscode.commands.registerCommand('diffwise.showMetrics', () => deps.showMetrics()),
    vscode.commands.registerCommand('diffwise.runHealthCheck', () => deps.runHealthCheck()),
    vscode.commands.registerCommand('diffwise.showImpact', (params?: ImpactParams) => reportFailure(deps.showImpact(isImpactParams(params) ? params : undefined))),
    vscode.commands.registerCommand('diffwise.showFeedback', () => vscode.commands.executeCommand(`${FeedbackViewProvider.viewId}.focus`)),
    vscode.commands.registerCommand('diffwise.unignore', (findingId?: unknown) => unignoreFinding(deps.client(), findingId)),
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
    // The counts go to the one status bar item, from the daemon's diffwise/status.
    deps.onReviewed(document.run);
    // The LLM stage's failures get their own message (LlmNotices): the static findings stand.
    const llmErrors = document.run.errors.filter(isLlmError);
    const otherErrors = document.run.errors.filter((error) => !isLlmError(error));
    // What a rule could not judge is said, never left for an all-clear to hide.
    const unjudged = (document.run.skipped ?? []).filter((entry) => entry.rules.length > 0);
    const unjudgedText = unjudged.length
      ? `${unjudged.length} ${unjudged.length === 1 ? 'file' : 'files'} not fully reviewed: ${unjudged.slice(0, 3).map((entry) => `${entry.file} (${entry.reason.replace(/-/g, ' ')})`).join(', ')}${unjudged.length > 3 ? ', …' : ''}`
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
  // A notification, not a window progress: that would be a second Diffwise entry in the status bar.
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Diffwise: indexing the workspace' },
    () => client.sendRequest(ReindexRequest.type, {}),
  );
  void vscode.window.showInformationMessage(`Diffwise: ${summary.files} ${summary.files === 1 ? 'file' : 'files'} indexed (${summary.reparsed} re-parsed) in ${summary.durationMs} ms.`);
}

/** The picker over the repository's branches (./branchPicker.ts), the suggested base first. */
async function pickBase(deps: CommandContext): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) return undefined;
  return pickBranch(await branchChoices(folder, deps.config.defaultBase, deps.context.workspaceState.get<string>(LAST_BASE_KEY), deps.log));
}

/** A CodeLens or a keybinding passes the change; the palette passes nothing (or an editor's URI, from a menu). */
function isImpactParams(value: unknown): value is ImpactParams {
  return typeof value === 'object' && value !== null && ['working', 'staged', 'branch'].includes((value as { scope?: unknown }).scope as string);
}

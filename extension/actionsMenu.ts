/**
 * Diffwise: Show Actions… (the status bar item's click): every action, grouped, with
 * codicons, offering only what applies now by the same context keys the palette uses
 * (./contextKeys.ts): no Clear LLM API Key without a key, no pull-request actions
 * without a GitHub remote.
 */
import * as vscode from 'vscode';
import type { ContextKey } from './contextKeys';

interface Action {
  icon: string;
  label: string;
  command: string;
  /** Offered only when every one of these keys is set. */
  needs?: ContextKey[];
}

/** The menu's sections, in order (exported for the e2e suite: each command is a declared one). */
export const ACTION_SECTIONS: ReadonlyArray<{ title: string; actions: Action[] }> = [
  {
    title: 'Review',
    actions: [
      { icon: 'edit', label: 'Review Working Tree', command: 'diffwise.reviewWorkingTree' },
      { icon: 'diff', label: 'Review Staged Changes', command: 'diffwise.reviewStaged' },
      { icon: 'git-branch', label: 'Review Branch…', command: 'diffwise.reviewBranch' },
    ],
  },
  {
    title: 'Feedback',
    actions: [
      { icon: 'feedback', label: 'Show Feedback Panel', command: 'diffwise.showFeedback' },
      { icon: 'graph', label: 'Show Metrics', command: 'diffwise.showMetrics' },
      { icon: 'discard', label: 'Undo Vote', command: 'diffwise.undoVote', needs: ['diffwise.daemonRunning'] },
      { icon: 'eye', label: 'Unignore a Finding…', command: 'diffwise.unignore', needs: ['diffwise.daemonRunning', 'diffwise.hasLastReview'] },
      { icon: 'export', label: 'Export Learned Votes', command: 'diffwise.exportLearned', needs: ['diffwise.daemonRunning'] },
      { icon: 'cloud-download', label: 'Import Learned Votes…', command: 'diffwise.importLearned', needs: ['diffwise.daemonRunning'] },
    ],
  },
  {
    title: 'Pull request',
    actions: [
      { icon: 'comment-discussion', label: 'Sync Pull Request Comments', command: 'diffwise.syncPullRequestComments', needs: ['diffwise.hasGitHubRemote'] },
      { icon: 'cloud-upload', label: 'Publish Findings to Pull Request', command: 'diffwise.publishFindings', needs: ['diffwise.hasGitHubRemote', 'diffwise.hasLastReview'] },
      { icon: 'github', label: 'Sign in to GitHub', command: 'diffwise.signInToGitHub', needs: ['diffwise.hasGitHubRemote'] },
    ],
  },
  {
    title: 'LLM reviewer',
    actions: [
      { icon: 'key', label: 'Set LLM API Key…', command: 'diffwise.setLlmApiKey' },
      { icon: 'trash', label: 'Clear LLM API Key', command: 'diffwise.clearLlmApiKey', needs: ['diffwise.llmKeySet'] },
    ],
  },
  {
    title: 'Daemon',
    actions: [
      { icon: 'sync', label: 'Reindex Workspace', command: 'diffwise.reindex', needs: ['diffwise.daemonRunning'] },
      { icon: 'debug-restart', label: 'Restart Daemon', command: 'diffwise.restartDaemon' },
      { icon: 'output', label: 'Show Log', command: 'diffwise.showLog' },
    ],
  },
];

type ActionItem = vscode.QuickPickItem & { command?: string };

/** The menu's items for these context key values. */
export function actionItems(keys: Record<ContextKey, boolean>): ActionItem[] {
  const items: ActionItem[] = [];
  for (const section of ACTION_SECTIONS) {
    const offered = section.actions.filter((action) => (action.needs ?? []).every((key) => keys[key]));
    if (offered.length === 0) continue;
    items.push({ label: section.title, kind: vscode.QuickPickItemKind.Separator });
    for (const action of offered) items.push({ label: `$(${action.icon}) ${action.label}`, command: action.command });
  }
  return items;
}

export async function showActions(keys: Record<ContextKey, boolean>): Promise<void> {
  const picked = await vscode.window.showQuickPick(actionItems(keys), { title: 'Diffwise: Actions', placeHolder: 'What should Diffwise do?' });
  if (picked?.command) await vscode.commands.executeCommand(picked.command);
}

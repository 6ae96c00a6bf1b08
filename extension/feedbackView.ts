/**
 * The feedback panel: a webview view in the Diffwise activity-bar container that
 * lists the last review's findings with their votes, what learning suppressed,
 * and what the user ignored (with Unignore). The page itself is webview/feedback/main.ts; this side answers
 * its requests (shared/webview.ts, FeedbackViewRequests) from the daemon.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { IGNORE_FINDING_COMMAND, LastReviewRequest, UNIGNORE_FINDING_COMMAND, type LastReviewChangedParams } from '../shared/protocol';
import { openLink } from './webviewLinks';
import { repositoryFileUri } from './repoRoot';
import type { Votes } from './voting';
import { WebviewHost } from './webviewHost';
import { webviewHtml, webviewOptions } from './webviewHtml';

export class FeedbackViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  /** The view's id in package.json; VS Code derives the `diffwise.feedback.focus` command from it. */
  static readonly viewId = 'diffwise.feedback';
  private host: WebviewHost<'feedback'> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: () => LanguageClient | undefined,
    private readonly votes: Votes,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'feedback', 'Diffwise Feedback');
    this.host?.dispose();
    const host = new WebviewHost(view.webview, 'feedback', {
      lastReview: () => this.requireClient().sendRequest(LastReviewRequest.type, {}),
      vote: (params) => this.votes.cast(params),
      openFinding: async ({ file, line }) => {
        const uri = await repositoryFileUri(file);
        if (!uri) throw new Error('no workspace folder is open');
        const position = new vscode.Position(line - 1, 0);
        await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: true });
        return null;
      },
      reviewWorkingTree: async () => {
        await vscode.commands.executeCommand('diffwise.reviewWorkingTree');
        return null;
      },
      restartDaemon: async () => {
        await vscode.commands.executeCommand('diffwise.restartDaemon');
        return null;
      },
      // Straight to the daemon's commands, as any LSP client runs them: the daemon marks the finding
      // in the last review and says so (diffwise/lastReviewChanged), and the panel fetches it again.
      ignore: ({ findingId }) => this.executeDaemonCommand(IGNORE_FINDING_COMMAND, findingId),
      unignore: ({ findingId }) => this.executeDaemonCommand(UNIGNORE_FINDING_COMMAND, findingId),
      openLink: ({ url }) => openLink(url),
    }, this.log);
    this.host = host;
    view.onDidChangeVisibility(() => {
      if (!view.visible) host.unload();
    });
    view.onDidDispose(() => {
      host.dispose();
      if (this.host === host) this.host = undefined;
    });
  }

  /** The daemon says the last review changed: the panel fetches it again. */
  lastReviewChanged(params: LastReviewChangedParams): void {
    this.host?.push('lastReviewChanged', params);
  }

  daemonChanged(running: boolean): void {
    this.host?.push('daemonChanged', { running });
  }

  dispose(): void {
    this.host?.dispose();
  }

  private async executeDaemonCommand(command: string, findingId: string): Promise<null> {
    await this.requireClient().sendRequest(ExecuteCommandRequest.type, { command, arguments: [findingId] });
    return null;
  }

  private requireClient(): LanguageClient {
    const client = this.client();
    if (!client) throw new Error('The Diffwise daemon is not running.');
    return client;
  }
}

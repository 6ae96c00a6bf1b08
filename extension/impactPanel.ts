/**
 * Diffwise: Show Impact: one webview panel (revealed again when it is open) drawing
 * the dependency graph of a change (webview/impact/main.ts over `diffwise/impact`).
 * The change is the last review's (its scope and base) unless the command is given
 * one; without a review it asks, like the review commands do.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ImpactRequest, LastReviewRequest, type ImpactParams, type LastReviewChangedParams } from '../shared/protocol';
import type { ImpactView } from '../shared/webview';
import { branchChoices, LAST_BASE_KEY, pickBranch } from './branchPicker';
import type { Config } from './config';
import { repositoryFileUri, repositoryRoot } from './repoRoot';
import { WebviewHost } from './webviewHost';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** What the panel shows now, for the e2e suite (VS Code cannot read a webview from outside). */
export interface ImpactPanelState {
  open: boolean;
  params: ImpactParams | undefined;
  /** The last document the page was sent; null when it was told there is no change. */
  view: ImpactView | null | undefined;
  /** The files the page asked to open, in order. */
  opened: Array<{ file: string; line: number }>;
}

export class ImpactPanel implements vscode.Disposable {
  static readonly viewType = 'diffwise.impact';
  private current: { panel: vscode.WebviewPanel; host: WebviewHost<'impact'> } | undefined;
  private params: ImpactParams | undefined;
  private view: ImpactView | null | undefined;
  private readonly opened: Array<{ file: string; line: number }> = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly config: Config,
    private readonly client: () => LanguageClient | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens the panel on `params`, else on the last review's change, else on the change the user picks. */
  async show(params?: ImpactParams): Promise<void> {
    const chosen = params ?? (await this.lastReviewScope()) ?? (await this.pickScope());
    if (!chosen) return;
    this.params = chosen;
    if (this.current) {
      this.current.panel.reveal();
      this.current.host.push('refresh', { reason: 'scope' });
      return;
    }
    this.adopt(vscode.window.createWebviewPanel(ImpactPanel.viewType, 'Diffwise Impact', vscode.ViewColumn.Active, {
      ...webviewOptions(this.context.extensionUri),
      retainContextWhenHidden: false,
    }));
  }

  /** Takes charge of a panel: a new one, or one VS Code restores after a reload (it then shows the last review's change). */
  adopt(panel: vscode.WebviewPanel): void {
    this.current?.panel.dispose();
    const extensionUri = this.context.extensionUri;
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'resources', 'diffwise.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'impact', 'Diffwise Impact');
    const host = new WebviewHost(panel.webview, 'impact', {
      impact: async () => {
        const client = this.client();
        if (!client) throw new Error('The Diffwise daemon is not running.');
        this.params ??= await this.lastReviewScope();
        this.view = this.params ? await client.sendRequest(ImpactRequest.type, this.params) : null;
        return this.view;
      },
      openNode: async ({ file, line }) => {
        this.opened.push({ file, line });
        const uri = await repositoryFileUri(file);
        if (!uri) throw new Error('no workspace folder is open');
        const position = new vscode.Position(line - 1, 0);
        // Beside the graph, so that the next node is one click away.
        await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: true, viewColumn: vscode.ViewColumn.Beside });
        return null;
      },
      reviewWorkingTree: async () => {
        await vscode.commands.executeCommand('diffwise.reviewWorkingTree');
        return null;
      },
    }, this.log);
    panel.onDidChangeViewState(() => {
      if (!panel.visible) host.unload();
    });
    panel.onDidDispose(() => {
      host.dispose();
      if (this.current?.panel === panel) this.current = undefined;
    });
    this.current = { panel, host };
  }

  /** A finished review is the change to show now (votes and edits do not change the graph). */
  lastReviewChanged(params: LastReviewChangedParams): void {
    if (params.cause !== 'review' || !this.current) return;
    this.params = undefined;
    this.current.host.push('refresh', { reason: 'review' });
  }

  daemonChanged(running: boolean): void {
    if (running) this.current?.host.push('refresh', { reason: 'daemon' });
  }

  state(): ImpactPanelState {
    return { open: this.current !== undefined, params: this.params, view: this.view, opened: [...this.opened] };
  }

  dispose(): void {
    this.current?.panel.dispose();
  }

  private async lastReviewScope(): Promise<ImpactParams | undefined> {
    const client = this.client();
    if (!client) return undefined;
    try {
      const last = await client.sendRequest(LastReviewRequest.type, {});
      if (!last) return undefined;
      return { scope: last.run.scope, ...(last.run.base ? { base: last.run.base } : {}) };
    } catch (error) {
      this.log.warn(`impact: could not read the last review: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async pickScope(): Promise<ImpactParams | undefined> {
    const items: Array<vscode.QuickPickItem & { scope: ImpactParams['scope'] }> = [
      { label: '$(edit) Working Tree', description: 'uncommitted changes', scope: 'working' },
      { label: '$(diff) Staged Changes', description: 'what the next commit holds', scope: 'staged' },
      { label: '$(git-branch) Branch…', description: 'everything since a base branch', scope: 'branch' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Diffwise: Show Impact of', placeHolder: 'Which change?' });
    if (!picked) return undefined;
    if (picked.scope !== 'branch') return { scope: picked.scope };
    const folder = await repositoryRoot();
    if (!folder) return undefined;
    const base = await pickBranch(await branchChoices(folder, this.config.defaultBase, this.context.workspaceState.get<string>(LAST_BASE_KEY), this.log));
    if (!base) return undefined;
    await this.context.workspaceState.update(LAST_BASE_KEY, base);
    return { scope: 'branch', base };
  }
}

/**
 * Diffwise: Show Metrics: one webview panel (revealed again when it is open) with
 * the charts of webview/metrics/main.ts over `diffwise/metrics`. Not kept alive
 * when hidden: the page keeps its time range with setState and fetches again.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MetricsRequest, type LastReviewChangedParams } from '../shared/protocol';
import { openLink } from './webviewLinks';
import { WebviewHost } from './webviewHost';
import { webviewHtml, webviewOptions } from './webviewHtml';

export class MetricsPanel implements vscode.Disposable {
  static readonly viewType = 'diffwise.metrics';
  private current: { panel: vscode.WebviewPanel; host: WebviewHost<'metrics'> } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: () => LanguageClient | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  show(): void {
    if (this.current) {
      this.current.panel.reveal();
      return;
    }
    this.adopt(vscode.window.createWebviewPanel(MetricsPanel.viewType, 'Diffwise Metrics', vscode.ViewColumn.Active, {
      ...webviewOptions(this.extensionUri),
      retainContextWhenHidden: false,
    }));
  }

  /**
   * Takes charge of a panel: a new one, or one VS Code restores after a reload
   * (registered in extension.ts as the serializer of `diffwise.metrics`), whose page
   * finds its time range again with getState.
   */
  adopt(panel: vscode.WebviewPanel): void {
    this.current?.panel.dispose();
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'resources', 'diffwise.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'metrics', 'Diffwise Metrics');
    const host = new WebviewHost(panel.webview, 'metrics', {
      metrics: (params) => {
        const client = this.client();
        if (!client) throw new Error('The Diffwise daemon is not running.');
        return client.sendRequest(MetricsRequest.type, params);
      },
      reviewWorkingTree: async () => {
        await vscode.commands.executeCommand('diffwise.reviewWorkingTree');
        return null;
      },
      setUpLlm: async () => {
        // The settings editor filtered to the LLM section: the endpoint, the model, the budget, on/off.
        await vscode.commands.executeCommand('workbench.action.openSettings', 'diffwise.llm');
        return null;
      },
      openLink: ({ url }) => openLink(url),
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

  /** Votes do not change the run metrics; a finished review does. */
  lastReviewChanged(params: LastReviewChangedParams): void {
    if (params.cause === 'review') this.current?.host.push('refresh', { reason: 'review' });
  }

  daemonChanged(running: boolean): void {
    if (running) this.current?.host.push('refresh', { reason: 'daemon' });
  }

  dispose(): void {
    this.current?.panel.dispose();
  }
}

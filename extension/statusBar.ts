/** The status bar item: indexing progress, then the last review's findings; a click opens the command menu. */
import * as vscode from 'vscode';
import type { StatusParams } from '../shared/protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('diffwise.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Diffwise';
    this.item.command = 'diffwise.showMenu';
    this.show({ state: 'starting', message: 'Starting the Diffwise daemon' });
    this.item.show();
  }

  show(status: StatusParams): void {
    const last = status.lastReview;
    const counts = last ? `$(error) ${last.findings.error} $(warning) ${last.findings.warning}` : '';
    switch (status.state) {
      case 'starting':
        this.item.text = '$(loading~spin) Diffwise';
        break;
      case 'indexing':
        this.item.text = '$(sync~spin) Diffwise: indexing';
        break;
      case 'reviewing':
        this.item.text = '$(loading~spin) Diffwise: reviewing';
        break;
      case 'error':
        this.item.text = '$(warning) Diffwise';
        break;
      default:
        this.item.text = last ? `$(checklist) ${counts}` : '$(checklist) Diffwise';
    }
    this.item.tooltip = last
      ? `${status.message}\nLast review (${last.scope}): ${last.findings.error} errors, ${last.findings.warning} warnings, ${last.findings.info} info in ${(last.durationMs / 1000).toFixed(1)} s`
      : status.message;
    this.item.backgroundColor = status.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

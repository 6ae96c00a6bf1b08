/** The status bar item: indexing progress, then the last review's findings; a click opens the command menu. */
import * as vscode from 'vscode';
import type { StatusParams } from '../shared/protocol';
import type { ReviewRun } from '../shared/review';
import { llmStatusLine } from './llmRun';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('diffwise.status', vscode.StatusBarAlignment.Left, 10);
  private status: StatusParams = { state: 'starting', message: 'Starting the Diffwise daemon' };
  /** The LLM line of the last review this window asked for, and which review that was. */
  private llm: { scope: string; durationMs: number; line: string } | undefined;

  constructor() {
    this.item.name = 'Diffwise';
    this.item.command = 'diffwise.showMenu';
    this.show(this.status);
    this.item.show();
  }

  show(status: StatusParams): void {
    this.status = status;
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
    // The daemon's status says nothing of the LLM; the line comes from the review's own
    // document, and only while the status still describes that review.
    const llm = last && this.llm && this.llm.scope === last.scope && this.llm.durationMs === last.durationMs ? `\n${this.llm.line}` : '';
    this.item.tooltip = last
      ? `${status.message}\nLast review (${last.scope}): ${last.findings.error} errors, ${last.findings.warning} warnings, ${last.findings.info} info in ${(last.durationMs / 1000).toFixed(1)} s${llm}`
      : status.message;
    this.item.backgroundColor = status.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  /** Adds the LLM line of a review that just returned to the tooltip. */
  showRun(run: ReviewRun): void {
    const line = llmStatusLine(run);
    this.llm = line ? { scope: run.scope, durationMs: run.durationMs, line } : undefined;
    this.show(this.status);
  }

  dispose(): void {
    this.item.dispose();
  }
}

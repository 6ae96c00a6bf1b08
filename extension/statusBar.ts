/**
 * Diffwise's one status bar item: the daemon's state (starting, indexing, reviewing),
 * then the last review's counts as the daemon sends them in `diffwise/status` after
 * every review, vote, ignore and edit. Nothing else of Diffwise's goes to the status
 * bar: no transient message beside it, and work the extension starts by itself (an
 * automatic pull-request sync) spins this item rather than adding a window progress.
 * A click opens the actions menu.
 */
import * as vscode from 'vscode';
import type { HealthReport } from '../shared/observability';
import type { StatusParams } from '../shared/protocol';
import type { ReviewRun, Severity } from '../shared/review';
import { llmStatusLine } from './llmRun';

/** What the item shows now (read by the e2e suite: VS Code has no API to read the status bar). */
export interface StatusBarState {
  text: string;
  tooltip: string;
  /** The screen reader's label: the counts in words. */
  accessibleLabel: string;
  /** The last health check had errors: the item has the warning background and names them. */
  degraded: boolean;
}

const SEVERITY_WORDS: Record<Severity, [string, string]> = { error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['info', 'info'] };

/** `1 error`, `2 warnings`, `0 info`: real plurals, never "error(s)". */
export function countText(severity: Severity, count: number): string {
  return `${count} ${SEVERITY_WORDS[severity][count === 1 ? 0 : 1]}`;
}

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('diffwise.status', vscode.StatusBarAlignment.Left, 10);
  private status: StatusParams = { state: 'starting', message: 'Starting the Diffwise daemon' };
  /** The LLM line of the last review this window asked for, and which review that was. */
  private llm: { scope: string; durationMs: number; line: string } | undefined;
  /** Work in progress the extension started itself, by label; the item spins while any runs. */
  private readonly busyWith = new Map<number, string>();
  private nextBusyId = 0;
  /** The titles of the checks that were errors in the last health check; empty when it was clean. */
  private failingChecks: string[] = [];

  constructor() {
    this.item.name = 'Diffwise';
    this.item.command = { command: 'diffwise.showMenu', title: 'Diffwise: Show Actions…' };
    this.render();
    this.item.show();
  }

  get state(): StatusBarState {
    const label = this.item.accessibilityInformation?.label ?? '';
    return { text: this.item.text, tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : '', accessibleLabel: label, degraded: this.failingChecks.length > 0 };
  }

  show(status: StatusParams): void {
    this.status = status;
    this.render();
  }

  /** Adds the LLM line of a review that just returned to the tooltip. */
  showRun(run: ReviewRun): void {
    const line = llmStatusLine(run);
    this.llm = line ? { scope: run.scope, durationMs: run.durationMs, line } : undefined;
    this.render();
  }

  /** Degraded while a health check's errors stand; a later check without errors clears it. */
  showHealth(report: HealthReport): void {
    this.failingChecks = report.checks.filter((check) => check.status === 'error').map((check) => check.title);
    this.render();
  }

  /** Spins the item, with `label` in its tooltip, until `work` settles. */
  async busy<T>(label: string, work: () => Promise<T>): Promise<T> {
    const id = this.nextBusyId++;
    this.busyWith.set(id, label);
    this.render();
    try {
      return await work();
    } finally {
      this.busyWith.delete(id);
      this.render();
    }
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(): void {
    const { status } = this;
    const last = status.lastReview;
    const counts = last ? `$(error) ${last.findings.error} $(warning) ${last.findings.warning} $(info) ${last.findings.info}` : '';
    const busy = [...this.busyWith.values()];
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
        this.item.text = `${busy.length ? '$(sync~spin)' : '$(checklist)'} Diffwise${counts ? ` ${counts}` : ''}`;
    }
    const inWords = last ? (['error', 'warning', 'info'] as const).map((severity) => countText(severity, last.findings[severity])).join(', ') : '';
    // The daemon's status says nothing of the LLM; the line comes from the review's own
    // document, and only while the status still describes that review.
    const llm = last && this.llm && this.llm.scope === last.scope && this.llm.durationMs === last.durationMs ? this.llm.line : undefined;
    const lines = [
      `Diffwise: ${status.message}`,
      ...(last ? [`Last review (${scopeText(last.scope)}): ${inWords}, in ${(last.durationMs / 1000).toFixed(1)} s`] : []),
      ...(llm ? [llm] : []),
      ...busy.map((label) => `${label}…`),
      ...(this.failingChecks.length ? [`Health check failing: ${this.failingChecks.join(', ')} (Diffwise: Run Health Check for the fixes)`] : []),
      'Click for Diffwise actions',
    ];
    this.item.tooltip = lines.join('\n');
    this.item.accessibilityInformation = { label: last ? `Diffwise: ${inWords}` : `Diffwise: ${status.message}`, role: 'button' };
    this.item.backgroundColor = status.state === 'error'
      ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : this.failingChecks.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }
}

function scopeText(scope: string): string {
  return scope === 'working' ? 'working tree' : scope === 'staged' ? 'staged changes' : scope;
}

/**
 * The CodeLens on the changed exports of the last review's change: "N dependents,
 * M tests" above each, which opens the impact view. Only in the change's files, and
 * only after a review: the counts are those of `diffwise/impact` for that review's
 * scope, fetched once per review, not per keystroke.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ImpactRequest, LastReviewRequest, type ImpactParams } from '../shared/protocol';
import { impactLensEntries, lensTitle, type ImpactLensEntry } from './impactLensEntries';
import { repositoryRoot } from './repoRoot';

export type { ImpactLensEntry } from './impactLensEntries';

export class ImpactLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private entries: ImpactLensEntry[] = [];
  private params: ImpactParams | undefined;
  private root: string | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Fetches the last review's impact again (after a review), or forgets it (the daemon stopped). */
  async refresh(): Promise<void> {
    const client = this.client();
    this.entries = [];
    this.params = undefined;
    if (client) {
      try {
        const last = await client.sendRequest(LastReviewRequest.type, {});
        if (last) {
          this.params = { scope: last.run.scope, ...(last.run.base ? { base: last.run.base } : {}) };
          this.root = await repositoryRoot();
          this.entries = impactLensEntries(await client.sendRequest(ImpactRequest.type, this.params));
        }
      } catch (error) {
        this.log.warn(`impact lenses: ${(error as Error).message}`);
      }
    }
    this.changed.fire();
  }

  /** The lenses shown now, for the e2e suite. */
  list(): ImpactLensEntry[] {
    return [...this.entries];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.root || document.uri.scheme !== 'file' || this.entries.length === 0) return [];
    const file = path.relative(this.root, document.uri.fsPath).split(path.sep).join('/');
    return this.entries
      .filter((entry) => entry.file === file && entry.line <= document.lineCount)
      .map((entry) => new vscode.CodeLens(new vscode.Range(entry.line - 1, 0, entry.line - 1, 0), {
        title: lensTitle(entry),
        tooltip: `What depends on ${entry.symbol}: open Diffwise: Show Impact`,
        command: 'diffwise.showImpact',
        arguments: [this.params],
      }));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

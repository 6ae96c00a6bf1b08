/**
 * The one typed view of the `diffwise.*` settings on the client (rust-analyzer's `Config`).
 * `diffwise.trace.server` has no getter: the language client reads it by its id itself.
 */
import * as vscode from 'vscode';
import { RESTART_SETTINGS, SETTING_DEFAULTS, type DiffwiseSettings } from '../shared/settings';

export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('diffwise');
  }

  private get<K extends keyof DiffwiseSettings>(key: K): DiffwiseSettings[K] {
    return this.section.get<DiffwiseSettings[K]>(key, SETTING_DEFAULTS[key]);
  }

  get nodePath(): string {
    return this.get('server.nodePath').trim() || SETTING_DEFAULTS['server.nodePath'];
  }

  get defaultBase(): string {
    return this.get('review.defaultBase').trim();
  }

  /** Minutes between automatic pull-request comment syncs; 0 (or nonsense) turns them off. */
  get syncIntervalMinutes(): number {
    const minutes = Number(this.get('github.syncIntervalMinutes'));
    return Number.isFinite(minutes) && minutes > 0 ? minutes : 0;
  }

  /** Whether a configuration change touches a setting that needs a daemon restart. */
  needsRestart(event: vscode.ConfigurationChangeEvent): boolean {
    return RESTART_SETTINGS.some((key) => event.affectsConfiguration(`diffwise.${key}`));
  }
}

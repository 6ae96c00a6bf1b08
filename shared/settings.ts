/**
 * Every `diffwise.*` setting, typed once. The declarations with descriptions live
 * in package.json (`contributes.configuration`); a unit test checks that the two
 * lists agree, so a setting cannot be added to one and forgotten in the other.
 */

import type { Severity } from './review';

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface DiffwiseSettings {
  /** The Node.js (20 or later) that runs the daemon. */
  'server.nodePath': string;
  /** The ref "Review Branch…" offers first; empty means the remembered one, else origin/HEAD, main or master. */
  'review.defaultBase': string;
  /** Which findings become diagnostics; pulled by the daemon per file (a folder can narrow it). */
  'review.severities': Severity[];
  /** The review cache's size limit in MiB; least recently used entries go first. */
  'cache.maxSizeMb': number;
  /** Cache entries unused for this many days are dropped. */
  'cache.maxAgeDays': number;
  /** Traces the LSP messages between VS Code and the daemon. */
  'trace.server': TraceLevel;
}

export const SETTING_DEFAULTS: DiffwiseSettings = {
  'server.nodePath': 'node',
  'review.defaultBase': '',
  'review.severities': ['error', 'warning', 'info'],
  'cache.maxSizeMb': 256,
  'cache.maxAgeDays': 30,
  'trace.server': 'off',
};

/** Settings whose change only takes effect when the daemon restarts (rust-analyzer's list). */
export const RESTART_SETTINGS: ReadonlyArray<keyof DiffwiseSettings> = ['server.nodePath'];

/**
 * Every `diffwise.*` setting, typed once. The declarations with descriptions live
 * in package.json (`contributes.configuration`); a unit test checks that the two
 * lists agree, so a setting cannot be added to one and forgotten in the other.
 */

import { LEARNING_DEFAULTS } from './feedback';
import type { Severity } from './review';

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface DiffwiseSettings {
  /** The Node.js (20 or later) that runs the daemon. */
  'server.nodePath': string;
  /** The ref "Review Branch…" offers first; empty means the remembered one, else origin/HEAD, main or master. */
  'review.defaultBase': string;
  /** Which findings become diagnostics; pulled by the daemon per file (a folder can narrow it). */
  'review.severities': Severity[];
  /** Suggest the files the history says change with the changed ones (the co-change rule). Pulled by the daemon per review. */
  'coChange.enabled': boolean;
  /** The review cache's size limit in MiB; least recently used entries go first. */
  'cache.maxSizeMb': number;
  /** Cache entries unused for this many days are dropped. */
  'cache.maxAgeDays': number;
  /** Traces the LSP messages between VS Code and the daemon. */
  'trace.server': TraceLevel;
  /** Ask the configured LLM about each changed hunk; off keeps reviews local. Pulled by the daemon per review. */
  'llm.enabled': boolean;
  /** The OpenAI-compatible endpoint; empty means DIFFWISE_LLM_BASE_URL, `.diffwise/config.json` or OpenAI's. */
  'llm.baseUrl': string;
  /** The model; empty means DIFFWISE_LLM_MODEL, `.diffwise/config.json` or gpt-4o-mini. */
  'llm.model': string;
  /** Monthly spending limit in USD; null means `.diffwise/config.json`'s, else none. */
  'llm.monthlyBudgetUsd': number | null;
  /** Demote and suppress findings of rules the team keeps voting down. Pulled by the daemon per review. */
  'learning.enabled': boolean;
  /** Votes on a rule before learning changes anything about it. */
  'learning.minVotes': number;
  /** Demote a rule's findings one severity step when its acceptance is below this share. */
  'learning.demoteBelow': number;
  /** Suppress a rule's findings when the upper 95% Wilson bound of its acceptance is below this share. */
  'learning.suppressBelow': number;
  /** Suppress new LLM findings at least this similar to one voted down (0..1). */
  'learning.similarity': number;
  /** Accepted and rejected examples per LLM prompt (0: none). */
  'learning.promptExamples': number;
  /** A GitHub Enterprise Server's API URL; empty means github.com (or DIFFWISE_GITHUB_API_URL). Pulled by the daemon per sync. */
  'github.apiUrl': string;
  /** Minutes between automatic pull-request comment syncs while the window has the focus; 0 turns them off. */
  'github.syncIntervalMinutes': number;
  /** Also put a thumbs reaction on GitHub when voting on a pull-request comment. */
  'github.reactOnVote': boolean;
  /** Reviews the failure rate and p95 duration alerts look at; null means `.diffwise/config.json`'s, else 20. Pulled by the daemon. */
  'alerts.window': number | null;
  /** Alert above this share of failed reviews (percent); null means the config file's, else 20. */
  'alerts.failureRatePercent': number | null;
  /** Alert when the p95 review duration is above this (ms); null means the config file's, else 30000. */
  'alerts.p95TargetMs': number | null;
  /** Alert when the database is larger than this (MiB); null means the config file's, else 1024. */
  'alerts.databaseMaxMb': number | null;
  /** Alert when the database's disk has less free than this (MiB); null means the config file's, else 1024. */
  'alerts.freeDiskMinMb': number | null;
  /** A Slack-compatible incoming webhook for fired and cleared alerts; empty means DIFFWISE_ALERT_WEBHOOK_URL or the config file's. */
  'alerts.webhookUrl': string;
}

/** The `diffwise.llm.*` settings the daemon pulls per review (section `diffwise.llm`, keys without the prefix). */
export interface LlmEditorSettings {
  enabled: boolean;
  baseUrl: string;
  model: string;
  monthlyBudgetUsd: number | null;
}

/** The `diffwise.github.*` settings the daemon pulls (section `diffwise.github`, keys without the prefix). */
export interface GitHubEditorSettings {
  apiUrl: string;
  syncIntervalMinutes: number;
}

export const SETTING_DEFAULTS: DiffwiseSettings = {
  'server.nodePath': 'node',
  'review.defaultBase': '',
  'review.severities': ['error', 'warning', 'info'],
  'coChange.enabled': true,
  'cache.maxSizeMb': 256,
  'cache.maxAgeDays': 30,
  'trace.server': 'off',
  'llm.enabled': true,
  'llm.baseUrl': '',
  'llm.model': '',
  'llm.monthlyBudgetUsd': null,
  'learning.enabled': LEARNING_DEFAULTS.enabled,
  'learning.minVotes': LEARNING_DEFAULTS.minVotes,
  'learning.demoteBelow': LEARNING_DEFAULTS.demoteBelow,
  'learning.suppressBelow': LEARNING_DEFAULTS.suppressBelow,
  'learning.similarity': LEARNING_DEFAULTS.similarity,
  'learning.promptExamples': LEARNING_DEFAULTS.promptExamples,
  'github.apiUrl': '',
  'github.syncIntervalMinutes': 5,
  'github.reactOnVote': false,
  'alerts.window': null,
  'alerts.failureRatePercent': null,
  'alerts.p95TargetMs': null,
  'alerts.databaseMaxMb': null,
  'alerts.freeDiskMinMb': null,
  'alerts.webhookUrl': '',
};

/**
 * The environment variable through which the extension hands the daemon the API
 * key from SecretStorage: never a setting, never an LSP message (those can be traced).
 */
export const LLM_API_KEY_ENV = 'DIFFWISE_LLM_API_KEY';

/**
 * Set to `off` or `untrusted` in the daemon's environment to forbid sending code
 * to any LLM (VS Code sets `untrusted` in a workspace the user has not trusted).
 */
export const LLM_SWITCH_ENV = 'DIFFWISE_LLM';

/** Settings whose change only takes effect when the daemon restarts (rust-analyzer's list). */
export const RESTART_SETTINGS: ReadonlyArray<keyof DiffwiseSettings> = ['server.nodePath'];

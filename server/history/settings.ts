/**
 * The co-change rule's settings: the defaults, then the team's `.diffwise/config.json`
 * (`"coChange": {…}`, checked in), then the editor's `diffwise.coChange.enabled`
 * or the CLI's `--no-co-change`, each overriding the one before.
 */
import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { definedOnly, readValidatedConfig } from '../configFile';
import { CO_CHANGE_DEFAULTS } from './coChangeModel';

export interface CoChangeSettings {
  enabled: boolean;
  /** Commits mined, newest first. */
  commits: number;
  minSupport: number;
  minConfidence: number;
  maxFilesPerCommit: number;
}

export const CO_CHANGE_SETTING_DEFAULTS: CoChangeSettings = {
  enabled: true,
  commits: CO_CHANGE_DEFAULTS.commits,
  minSupport: CO_CHANGE_DEFAULTS.minSupport,
  minConfidence: CO_CHANGE_DEFAULTS.minConfidence,
  maxFilesPerCommit: CO_CHANGE_DEFAULTS.maxFilesPerCommit,
};

export const fileSchema = lazySchema(() => z.looseObject({
  coChange: z.strictObject({
    enabled: z.boolean().optional().describe('Run the co-change rule: suggest files the git history says change with the changed ones but the change did not touch.'),
    commits: z.int().min(10).max(100_000).optional().describe('Commits of history mined, newest first.'),
    minSupport: z.int().min(1).optional().describe('Commits that must have touched both files before they count as changing together.'),
    minConfidence: z.number().min(0).max(1).optional().describe('The share of the changed file\'s commits that also touched its partner (0..1) needed for a finding.'),
    maxFilesPerCommit: z.int().min(2).optional().describe('Commits touching more files than this (sweeping renames, formatting) are left out of the mining.'),
  }).optional().describe('The co-change rule\'s mining of the git history.'),
}));

export function loadCoChangeSettings(repoRoot: string, overrides: Partial<CoChangeSettings> = {}): CoChangeSettings {
  const fromFile: Partial<CoChangeSettings> = readValidatedConfig(repoRoot, fileSchema)?.coChange ?? {};
  return { ...CO_CHANGE_SETTING_DEFAULTS, ...definedOnly(fromFile), ...definedOnly(overrides) };
}

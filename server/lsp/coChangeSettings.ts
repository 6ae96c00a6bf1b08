/**
 * `diffwise.coChange.*` as the daemon pulls it for a repository at each review:
 * only what the editor says explicitly, so that `.diffwise/config.json` decides
 * whatever the user left unset (server/history/settings.ts).
 */
import type { CoChangeSettings } from '../history/settings';

/** How the server reads one `diffwise.*` section for a repository (server.ts's repositorySettings). */
export type SectionReader = <K extends string>(repoRoot: string, section: string) => Promise<Partial<Record<K, unknown>> | null | undefined>;

export async function pullCoChangeSettings(readSection: SectionReader, repoRoot: string): Promise<Partial<CoChangeSettings> | undefined> {
  const settings = await readSection<'enabled'>(repoRoot, 'diffwise.coChange');
  if (!settings) return undefined;
  // The setting's default (on) says nothing the config file should not override: only "off" is the user's word.
  return { enabled: settings.enabled === false ? false : undefined };
}

/**
 * The daemon's environment: the extension host's, plus the LLM API key from
 * SecretStorage, and in a workspace the user has not trusted, no key at all and
 * the switch that forbids sending code anywhere. The key travels this way and
 * no other: a setting is a file a repository can hold, and an LSP message can
 * be traced to an output channel.
 *
 * No `vscode` import, so plain Node (and a unit test) can run it.
 */
import { createHash } from 'node:crypto';
import { LLM_API_KEY_ENV, LLM_SWITCH_ENV } from '../shared/settings';

/** Where the key is kept in `context.secrets`. */
export const LLM_API_KEY_SECRET = 'diffwise.llm.apiKey';

/** Every variable the daemon takes a key from: ours first, OpenAI's as the fallback the CLI also honours. */
export const KEY_VARIABLES: readonly string[] = [LLM_API_KEY_ENV, 'OPENAI_API_KEY'];

export interface DaemonEnvironment {
  env: NodeJS.ProcessEnv;
  /**
   * A digest of what in `env` decides whether and with which key the LLM runs:
   * equal digests mean a running daemon needs no restart. A hash, so the key
   * itself is not kept beside the client.
   */
  fingerprint: string;
}

/**
 * `base` (the extension host's environment) with `storedKey` as
 * `DIFFWISE_LLM_API_KEY` when the workspace is trusted; without any key and
 * with `DIFFWISE_LLM=untrusted` when it is not. Without a stored key, a key in
 * `base` (from the shell VS Code was started from) is kept, as the CLI would use it.
 */
export function daemonEnvironment(base: NodeJS.ProcessEnv, storedKey: string | undefined, trusted: boolean): DaemonEnvironment {
  const env: NodeJS.ProcessEnv = { ...base };
  if (!trusted) {
    for (const name of KEY_VARIABLES) delete env[name];
    env[LLM_SWITCH_ENV] = 'untrusted';
  } else if (storedKey) {
    env[LLM_API_KEY_ENV] = storedKey;
  }
  const relevant = [...KEY_VARIABLES, LLM_SWITCH_ENV].map((name) => [name, env[name] ?? null]);
  return { env, fingerprint: createHash('sha256').update(JSON.stringify(relevant)).digest('hex') };
}

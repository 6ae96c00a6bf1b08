/**
 * The daemon's environment: the extension host's, plus the LLM API key from
 * SecretStorage and the GitHub token of VS Code's GitHub session, and in a
 * workspace the user has not trusted, no key and no token at all, and the switch
 * that forbids sending code anywhere. Secrets travel this way and no other: a
 * setting is a file a repository can hold, and an LSP message can be traced to
 * an output channel.
 *
 * No `vscode` import, so plain Node (and a unit test) can run it.
 */
import { createHash } from 'node:crypto';
import { LLM_API_KEY_ENV, LLM_SWITCH_ENV } from '../shared/settings';

/** Where the key is kept in `context.secrets`. */
export const LLM_API_KEY_SECRET = 'diffwise.llm.apiKey';

/** Every variable the daemon takes a key from: ours first, OpenAI's as the fallback the CLI also honours. */
export const KEY_VARIABLES: readonly string[] = [LLM_API_KEY_ENV, 'OPENAI_API_KEY'];

/** Every variable the daemon takes a GitHub token from, in its order (the `gh` CLI's names). */
export const GITHUB_TOKEN_VARIABLES: readonly string[] = ['GITHUB_TOKEN', 'GH_TOKEN'];

export interface DaemonEnvironment {
  env: NodeJS.ProcessEnv;
  /**
   * A digest of what in `env` decides whether and with which key the LLM runs,
   * and with which token GitHub is asked: equal digests mean a running daemon
   * needs no restart. A hash, so the secrets themselves are not kept beside the client.
   */
  fingerprint: string;
}

/**
 * `base` (the extension host's environment) with `storedKey` as
 * `DIFFWISE_LLM_API_KEY` and `githubToken` (VS Code's GitHub session) as
 * `GITHUB_TOKEN` when the workspace is trusted; without any key or token and
 * with `DIFFWISE_LLM=untrusted` when it is not. Without a stored key or a
 * session, a key or token in `base` (from the shell VS Code was started from)
 * is kept, as the CLI would use it.
 */
export function daemonEnvironment(base: NodeJS.ProcessEnv, storedKey: string | undefined, trusted: boolean, githubToken?: string): DaemonEnvironment {
  const env: NodeJS.ProcessEnv = { ...base };
  if (!trusted) {
    // A repository the user has not trusted could point diffwise.github.apiUrl anywhere: no token for it.
    for (const name of [...KEY_VARIABLES, ...GITHUB_TOKEN_VARIABLES]) delete env[name];
    env[LLM_SWITCH_ENV] = 'untrusted';
  } else {
    if (storedKey) env[LLM_API_KEY_ENV] = storedKey;
    if (githubToken) env.GITHUB_TOKEN = githubToken;
  }
  const relevant = [...KEY_VARIABLES, LLM_SWITCH_ENV, ...GITHUB_TOKEN_VARIABLES].map((name) => [name, env[name] ?? null]);
  return { env, fingerprint: createHash('sha256').update(JSON.stringify(relevant)).digest('hex') };
}

/**
 * vscode.LogLevel (Off=0, Trace=1, Debug=2, Info=3, Warning=4, Error=5) as the daemon's
 * DIFFWISE_LOG_LEVEL, so that "Developer: Set Log Level…" on the Diffwise channel decides
 * what the daemon sends after its next restart (it reads the variable once, at start).
 * Numbers, not the enum: this module has no `vscode` import.
 */
export function daemonLogLevel(channelLevel: number): 'silent' | 'trace' | 'debug' | 'info' | 'warn' | 'error' {
  const names = ['silent', 'trace', 'debug', 'info', 'warn', 'error'] as const;
  return names[channelLevel] ?? 'info';
}

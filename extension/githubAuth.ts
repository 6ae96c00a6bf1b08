/**
 * The GitHub token for the daemon, from VS Code's built-in GitHub authentication.
 * At start it is only looked up (`silent`: no prompt, no badge); **Diffwise: Sign
 * in to GitHub** asks for it. The token goes to the daemon's environment
 * (./daemonEnv.ts) and nowhere else: never a setting, a log line or an LSP message.
 * Without a session the daemon keeps `GITHUB_TOKEN`/`GH_TOKEN` from VS Code's own
 * environment, as the CLI would.
 */
import * as vscode from 'vscode';

export const GITHUB_PROVIDER = 'github';
/** Read and write access to pull requests (review comments, replies, resolving threads) of private repositories too. */
export const GITHUB_SCOPES: readonly string[] = ['repo'];
/** A provider that never answers (not installed, a web host without it) must not hold the daemon's start up. */
const LOOKUP_TIMEOUT_MS = 3000;

/** The access token of the GitHub session this extension may use, without asking; undefined when there is none. */
export async function githubSessionToken(log: vscode.LogOutputChannel): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => {
    log.warn(`no answer from VS Code's GitHub authentication within ${LOOKUP_TIMEOUT_MS / 1000} s: starting the daemon without its token`);
    resolve(undefined);
  }, LOOKUP_TIMEOUT_MS)));
  try {
    const session = await Promise.race([
      Promise.resolve(vscode.authentication.getSession(GITHUB_PROVIDER, GITHUB_SCOPES, { createIfNone: false, silent: true })),
      timeout,
    ]);
    return session?.accessToken;
  } catch (error) {
    // No GitHub provider in this VS Code: the environment's token, if any, still applies.
    log.warn(`could not look up a GitHub session: ${(error as Error).message}`);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Signs in (VS Code asks the user, or lets them pick an account) and restarts the
 * daemon with the session's token. Returns the account's label, or undefined when
 * the user declined.
 */
export async function signInToGitHub(log: vscode.LogOutputChannel, refreshEnvironment: (reason: string) => Promise<void>): Promise<string | undefined> {
  let session: vscode.AuthenticationSession;
  try {
    session = await vscode.authentication.getSession(GITHUB_PROVIDER, GITHUB_SCOPES, { createIfNone: true });
  } catch (error) {
    // The user cancelled the dialog, or there is no GitHub provider.
    log.info(`GitHub sign-in: ${(error as Error).message}`);
    return undefined;
  }
  log.info(`signed in to GitHub as ${session.account.label}`);
  // The session may have existed before without this extension's access: no session change event then.
  await refreshEnvironment('signed in to GitHub');
  return session.account.label;
}

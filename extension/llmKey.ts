/**
 * Set and Clear LLM API Key. The key lives in VS Code's SecretStorage (the OS
 * keychain on the desktop), reaches the daemon only through its environment
 * (./daemonEnv.ts), and is never written to a setting, a log line or a message.
 */
import * as vscode from 'vscode';
import type { CommandContext } from './commands';
import { KEY_VARIABLES, LLM_API_KEY_SECRET } from './daemonEnv';

type KeyDeps = Pick<CommandContext, 'context' | 'log' | 'refreshEnvironment'>;

/**
 * Stores the key given as the first argument (keybindings, tests) or typed into a
 * password box, then restarts the daemon with it. Returns whether a key was stored.
 */
export async function setLlmApiKey(deps: KeyDeps, given?: unknown): Promise<boolean> {
  // A command run from a menu gets a Uri or the like as its argument: only a string is a key.
  let key = typeof given === 'string' ? given.trim() : '';
  if (!key) {
    const typed = await vscode.window.showInputBox({
      title: 'Diffwise: Set LLM API Key',
      prompt: 'The API key of the endpoint in diffwise.llm.baseUrl (OpenAI when empty). Kept in VS Code\'s secret storage and handed to the Diffwise daemon only.',
      placeHolder: 'sk-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter the key, or press Escape to cancel.'),
    });
    key = typed?.trim() ?? '';
  }
  if (!key) return false;
  await deps.context.secrets.store(LLM_API_KEY_SECRET, key);
  deps.log.info('LLM API key stored in the secret storage');
  await deps.refreshEnvironment('the LLM API key changed');
  void vscode.window.showInformationMessage(vscode.workspace.isTrusted
    ? 'Diffwise: LLM API key saved. Reviews now ask the LLM about each changed hunk.'
    : 'Diffwise: LLM API key saved. It is used once you trust this workspace; until then no code is sent to an LLM.');
  return true;
}

/** Deletes the stored key and restarts the daemon without it. Returns whether there was one. */
export async function clearLlmApiKey(deps: KeyDeps): Promise<boolean> {
  const had = (await deps.context.secrets.get(LLM_API_KEY_SECRET)) !== undefined;
  await deps.context.secrets.delete(LLM_API_KEY_SECRET);
  if (had) deps.log.info('LLM API key removed from the secret storage');
  await deps.refreshEnvironment('the LLM API key was removed');
  // Without a stored key the daemon still takes one from the environment VS Code was started in, as the CLI does.
  const inherited = KEY_VARIABLES.filter((name) => process.env[name]?.trim());
  const note = inherited.length ? ` The daemon still sees ${inherited.join(' and ')} from VS Code's environment.` : '';
  void vscode.window.showInformationMessage(`${had ? 'Diffwise: LLM API key removed.' : 'Diffwise: no LLM API key was stored.'}${note}`);
  return had;
}

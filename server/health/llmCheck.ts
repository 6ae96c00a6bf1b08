/**
 * The LLM endpoint as the reviewer would use it: the configuration it would load, then
 * one `GET <baseURL>/models` with the key (the OpenAI API's list, which compatible
 * servers mirror): reachable, key accepted, model served. Then whether its cost is tracked.
 */
import type { HealthCheck } from '../../shared/observability';
import { loadLlmConfig, type LlmConfig, type LlmOverrides } from '../llm/config';
import { isLocalBaseUrl, priceFor } from '../llm/prices';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const KEY_FIX = 'set a valid key in DIFFWISE_LLM_API_KEY (in the editor: Diffwise: Set LLM API Key)';

export interface LlmCheckOptions {
  env: NodeJS.ProcessEnv;
  repoRoot: string;
  overrides?: LlmOverrides;
  /** The editor's `diffwise.llm.enabled`: false switches the reviewer off, and the check with it. */
  enabled?: boolean;
  timeoutMs: number;
}

/** The endpoint check, then the price check when one is configured; `llm: off` when none is. */
export async function llmChecks(options: LlmCheckOptions): Promise<HealthCheck[]> {
  // As the workspace decides it (server/workspace.ts): switched off, or an untrusted folder, sends nothing anywhere.
  const llmSwitch = options.env.DIFFWISE_LLM?.trim().toLowerCase();
  if (options.enabled === false || llmSwitch === 'off') return [{ id: 'llm', title: 'LLM endpoint', status: 'ok', detail: 'off (switched off)' }];
  if (llmSwitch === 'untrusted') return [{ id: 'llm', title: 'LLM endpoint', status: 'ok', detail: 'off (the workspace is not trusted)' }];
  let config: LlmConfig | null;
  try {
    config = loadLlmConfig(options.env, options.repoRoot, options.overrides);
  } catch (error) {
    return [{ id: 'llm', title: 'LLM endpoint', status: 'error', detail: `configuration refused: ${(error as Error).message}`, fix: 'correct the file or the variable the message names' }];
  }
  if (!config) return [{ id: 'llm', title: 'LLM endpoint', status: 'ok', detail: 'off (no key or endpoint configured)' }];
  return [await endpointCheck(config, options.timeoutMs), priceCheck(config)];
}

async function endpointCheck(config: LlmConfig, timeoutMs: number): Promise<HealthCheck> {
  const base = (config.baseUrl ?? OPENAI_BASE_URL).replace(/\/+$/, '');
  const title = 'LLM endpoint';
  let response: Response;
  try {
    response = await fetch(`${base}/models`, {
      headers: config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : describeNetworkError(error);
    return { id: 'llm', title, status: 'error', detail: `${base} unreachable: ${cause}`, fix: 'start the server, or correct DIFFWISE_LLM_BASE_URL (diffwise.llm.baseUrl in the editor)' };
  }
  if (response.status === 401 || response.status === 403) {
    return { id: 'llm', title, status: 'error', detail: `${base}: key refused (HTTP ${response.status})`, fix: KEY_FIX };
  }
  // Some compatible servers serve chat completions but no model list: not a fault of the setup.
  if (response.status === 404 || response.status === 405) {
    return { id: 'llm', title, status: 'warning', detail: `${base} answers but lists no models (HTTP ${response.status}): cannot tell whether ${config.model} is served`, fix: `check that the server serves ${config.model}` };
  }
  if (!response.ok) {
    return { id: 'llm', title, status: 'error', detail: `${base}/models answered HTTP ${response.status}`, fix: 'check the server\'s logs, or try again later' };
  }
  let served: string[];
  try {
    const body = (await response.json()) as { data?: Array<{ id?: unknown }> };
    served = (body.data ?? []).map((model) => model.id).filter((id): id is string => typeof id === 'string');
  } catch {
    return { id: 'llm', title, status: 'warning', detail: `${base}/models answered something that is not a model list`, fix: 'check that DIFFWISE_LLM_BASE_URL is the API\'s base (it usually ends in /v1)' };
  }
  if (!served.includes(config.model)) {
    const some = served.slice(0, 5).join(', ') + (served.length > 5 ? '…' : '');
    return {
      id: 'llm', title, status: 'error',
      detail: `${base} does not serve ${config.model}${served.length ? ` (it serves ${some})` : ' (it lists none)'}`,
      fix: `set DIFFWISE_LLM_MODEL (or llm.model in .diffwise/config.json) to a model it serves`,
    };
  }
  return { id: 'llm', title, status: 'ok', detail: `${base} serves ${config.model}, key accepted` };
}

/** Whether a review's LLM spending can be counted against the budget: a price for the model, or a free local server. */
export function priceCheck(config: LlmConfig): HealthCheck {
  const title = 'LLM price';
  if (isLocalBaseUrl(config.baseUrl) && priceFor(config.model, config.prices) === undefined) {
    return { id: 'llm-price', title, status: 'ok', detail: `${config.model} on a local endpoint: free` };
  }
  const price = priceFor(config.model, config.prices);
  if (!price) {
    return {
      id: 'llm-price', title, status: 'warning',
      detail: `no price for ${config.model}: its cost is not tracked${config.monthlyBudgetUsd !== undefined ? ' and the monthly budget cannot stop it' : ''}`,
      fix: `add llm.prices["${config.model}"] = { inputPerMTok, outputPerMTok } to .diffwise/config.json`,
    };
  }
  return { id: 'llm-price', title, status: 'ok', detail: `${config.model}: $${price.inputPerMTok} in, $${price.outputPerMTok} out per million tokens` };
}

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND). */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/**
 * What a model costs, in USD per million tokens, and the cost of one call.
 * The defaults are list prices at the time of writing; a team overrides or
 * extends them in `.diffwise/config.json` (`llm.prices`), which is also how a
 * model we do not know gets a price.
 */

/** The price of one model, in USD per million tokens. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** Model name → price. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** Token counts of one call, as the server reported them. */
export interface TokenUsage {
  prompt: number;
  completion: number;
}

/** List prices of the common OpenAI models (USD per million tokens). */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'o4-mini': { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  'o3-mini': { inputPerMTok: 1.1, outputPerMTok: 4.4 },
});

const FREE: ModelPrice = Object.freeze({ inputPerMTok: 0, outputPerMTok: 0 });

/**
 * True when the endpoint runs on this machine (Ollama, llama.cpp, LM Studio…),
 * whose calls cost nothing. A local proxy that forwards to a paid API is the
 * exception; a team using one lists its prices in the config file.
 */
export function isLocalBaseUrl(baseUrl: string | undefined): boolean {
  if (!baseUrl) return false;
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * The price table a client uses: the defaults (nothing, for a local endpoint)
 * with the config's entries on top.
 */
export function effectivePrices(baseUrl: string | undefined, overrides: PriceTable = {}): PriceTable {
  return Object.freeze({ ...(isLocalBaseUrl(baseUrl) ? {} : DEFAULT_PRICES), ...overrides });
}

/**
 * The price of `model`: an exact entry, else the longest entry the name starts
 * with followed by `-` (so `gpt-4o-mini-2024-07-18` is priced as `gpt-4o-mini`,
 * not as `gpt-4o`), else undefined.
 */
export function priceFor(model: string, prices: PriceTable): ModelPrice | undefined {
  if (Object.hasOwn(prices, model)) return prices[model];
  let best: string | undefined;
  for (const name of Object.keys(prices)) {
    if (model.startsWith(`${name}-`) && (best === undefined || name.length > best.length)) best = name;
  }
  return best === undefined ? undefined : prices[best];
}

/**
 * The cost of one call in USD. A model without a price costs 0 here (local
 * models are the common case); `priceFor` tells a caller that must know.
 */
export function costUsd(model: string, usage: TokenUsage, prices: PriceTable): number {
  const price = priceFor(model, prices) ?? FREE;
  return (usage.prompt * price.inputPerMTok + usage.completion * price.outputPerMTok) / 1_000_000;
}

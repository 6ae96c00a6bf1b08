/**
 * Where the LLM reviewer's settings come from. What belongs to one person (the
 * endpoint, the key, the model they pay for) comes from the environment; what a
 * team shares (model, budget, limits, paths to leave out, prices) comes from
 * `<repo>/.diffwise/config.json`, checked in. The environment wins where both
 * say something.
 */
import * as fs from 'node:fs';
import { z } from 'zod';
import { configFilePath, readValidatedConfig } from '../configFile';
import { lazySchema } from '../lazySchema';
import { effectivePrices, isLocalBaseUrl, type PriceTable } from './prices';

/** The model used when neither the environment nor the file names one. */
export const DEFAULT_MODEL = 'gpt-4o-mini';
/** Requests in flight at once per client, unless the file says otherwise. */
export const DEFAULT_MAX_CONCURRENCY = 4;
/** Per-attempt timeout, unless the file says otherwise. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * Tokens of context per hunk (beyond its own lines), unless the file says otherwise; a prompt
 * that holds several small hunks stays within it, their lines included.
 */
export const DEFAULT_MAX_CONTEXT_TOKENS = 6_000;
/** The team's instructions to the reviewer, relative to the repository root. */
export const DEFAULT_INSTRUCTIONS_FILE = '.diffwise/instructions.md';

const priceSchema = lazySchema(() => z.strictObject({
  inputPerMTok: z.number().nonnegative().describe('US dollars per million input (prompt) tokens.'),
  outputPerMTok: z.number().nonnegative().describe('US dollars per million output (completion) tokens.'),
}));

// Strict, so a typo (`maxConcurency`) or a key pasted into the shared file is an
// error rather than silently ignored.
const llmFileSchema = lazySchema(() => z.strictObject({
  model: z.string().min(1).optional().describe('The model the LLM reviewer asks, as the endpoint names it. DIFFWISE_LLM_MODEL and diffwise.llm.model win over it.'),
  baseUrl: z.url({ protocol: /^https?$/ }).optional().describe('The OpenAI-compatible endpoint (up to /v1). Only a local endpoint may be chosen by the file alone when an API key is set: a remote one must also be set in DIFFWISE_LLM_BASE_URL or diffwise.llm.baseUrl, so that a cloned repository cannot collect keys.'),
  monthlyBudgetUsd: z.number().nonnegative().optional().describe("The team's monthly LLM spending limit in US dollars (a UTC calendar month); past it hunks are reviewed without the LLM. Unset: no limit."),
  maxConcurrency: z.int().min(1).max(64).optional().describe('LLM requests in flight at once.'),
  timeoutMs: z.int().min(1).optional().describe('Timeout of each LLM request attempt, in milliseconds.'),
  excludePaths: z.array(z.string().min(1)).optional().describe('Globs of paths never sent to the LLM, on top of the built-in ones (lockfiles, generated and minified files…).'),
  maxContextTokens: z.int().min(500).max(200_000).optional().describe('Tokens of context per hunk beyond its own lines (its declaration, callees, dependents); also what a prompt holding several small hunks may take in all.'),
  instructions: z.string().min(1).optional().describe("The team's instructions to the reviewer: a Markdown file, relative to the repository root, added to every prompt."),
  prices: z.record(z.string().min(1), priceSchema()).optional().describe('Prices by model name, over the built-in table of common models; what each call costs is computed from them.'),
}));

// Loose at the top: other features keep their own sections in the same file.
export const fileSchema = lazySchema(() => z.looseObject({ llm: llmFileSchema().optional().describe("The LLM reviewer's shared settings (the endpoint's key is never here: it comes from the environment or the editor's secret storage).") }));

type LlmFileConfig = z.infer<ReturnType<typeof llmFileSchema>>;

/** The LLM reviewer's settings. `apiKey` is non-enumerable: it never serialises or logs. */
export interface LlmConfig {
  /** The Chat Completions endpoint's base URL; undefined means OpenAI's. */
  baseUrl: string | undefined;
  /** The bearer token; undefined for endpoints that need none (a local Ollama). Non-enumerable. */
  readonly apiKey: string | undefined;
  model: string;
  monthlyBudgetUsd: number | undefined;
  maxConcurrency: number;
  timeoutMs: number;
  /** Globs of paths never sent to the LLM (the team's; the built-in ones are added by the reviewer). */
  excludePaths: string[];
  /** Context tokens per hunk beyond its lines; also what a prompt holding several hunks may take in all. */
  maxContextTokens: number;
  /** The instructions file, repository-relative. */
  instructionsFile: string;
  /** The defaults (none for a local endpoint) with the file's prices on top. */
  prices: PriceTable;
  /** The config file that was read, or null when there was none. */
  configFile: string | null;
}

/** What the editor's `diffwise.llm.*` settings say; empty and null mean "not set here". */
export interface LlmOverrides {
  baseUrl?: string;
  model?: string;
  monthlyBudgetUsd?: number | null;
}

/**
 * The LLM settings for the repository at `repoRoot`, or null when the LLM is
 * off (neither a key nor a base URL anywhere). `overrides` (the editor's
 * settings) win over the environment, which wins over the file. Throws an Error
 * naming the file and the field when the config file is not valid.
 */
/** DIFFWISE_LLM_API_KEY_FILE: the key as a mounted secret file (a container's, systemd's credentials). */
function keyFromFile(file: string | undefined): string | undefined {
  const where = nonEmpty(file);
  if (where === undefined) return undefined;
  try {
    return nonEmpty(fs.readFileSync(where, 'utf8').replace(/\r?\n$/, ''));
  } catch (error) {
    throw new Error(`cannot read DIFFWISE_LLM_API_KEY_FILE ${where}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

export function loadLlmConfig(env: NodeJS.ProcessEnv, repoRoot: string, overrides: LlmOverrides = {}): LlmConfig | null {
  const file = configFilePath(repoRoot);
  const validated = readValidatedConfig(repoRoot, fileSchema);
  const fromFile = { found: validated !== undefined, llm: validated?.llm };

  const apiKey = nonEmpty(env.DIFFWISE_LLM_API_KEY) ?? keyFromFile(env.DIFFWISE_LLM_API_KEY_FILE) ?? nonEmpty(env.OPENAI_API_KEY);
  const editorUrl = nonEmpty(overrides.baseUrl);
  const baseUrl = editorUrl ?? nonEmpty(env.DIFFWISE_LLM_BASE_URL) ?? fromFile.llm?.baseUrl;
  if (apiKey === undefined && baseUrl === undefined) return null;
  if (baseUrl !== undefined && fromFile.llm?.baseUrl !== baseUrl) checkUrl(baseUrl, editorUrl !== undefined ? 'diffwise.llm.baseUrl' : 'DIFFWISE_LLM_BASE_URL');
  // The repository's file is written by whoever committed it: it may not send the user's key
  // to a remote host of its choosing (a cloned repository could otherwise collect keys).
  const chosenByFile = baseUrl !== undefined && editorUrl === undefined && nonEmpty(env.DIFFWISE_LLM_BASE_URL) === undefined;
  if (chosenByFile && apiKey !== undefined && !isLocalBaseUrl(baseUrl)) {
    throw new Error(
      `${file} points llm.baseUrl at ${baseUrl}, which would receive your API key. If you trust it, set DIFFWISE_LLM_BASE_URL (or the diffwise.llm.baseUrl setting) to the same URL.`,
    );
  }

  const llm: LlmFileConfig = fromFile.llm ?? {};
  const config = {
    baseUrl,
    model: nonEmpty(overrides.model) ?? nonEmpty(env.DIFFWISE_LLM_MODEL) ?? llm.model ?? DEFAULT_MODEL,
    monthlyBudgetUsd: overrides.monthlyBudgetUsd ?? budgetFromEnv(env.DIFFWISE_LLM_MONTHLY_BUDGET_USD) ?? llm.monthlyBudgetUsd,
    maxConcurrency: llm.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    timeoutMs: llm.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    excludePaths: llm.excludePaths ?? [],
    maxContextTokens: llm.maxContextTokens ?? DEFAULT_MAX_CONTEXT_TOKENS,
    instructionsFile: llm.instructions ?? DEFAULT_INSTRUCTIONS_FILE,
    prices: effectivePrices(baseUrl, llm.prices),
    configFile: fromFile.found ? file : null,
  } as LlmConfig;
  // Non-enumerable, so JSON.stringify, object spread and console.log leave it out.
  Object.defineProperty(config, 'apiKey', { value: apiKey, enumerable: false, writable: false, configurable: false });
  return config;
}


function checkUrl(url: string, source: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Error(`${source} is not a valid URL`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`${source} must be an http or https URL`);
}

function budgetFromEnv(value: string | undefined): number | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  const budget = Number(text);
  if (!Number.isFinite(budget) || budget < 0) throw new Error('DIFFWISE_LLM_MONTHLY_BUDGET_USD must be a number of US dollars, 0 or more');
  return budget;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * The daemon's core for one repository: its git repository, its database, its
 * index and the review pipeline, wired together once. The CLI and the LSP server
 * are thin front ends over this class; it knows nothing of either.
 */
import { createHash } from 'node:crypto';
import type { Finding, ReviewDocument, ReviewRun } from '../shared/review';
import { BudgetGuard, monthStartUtc } from './llm/budget';
import { ChatClient } from './llm/chatClient';
import { loadLlmConfig, type LlmConfig, type LlmOverrides } from './llm/config';
import { instructionsFor, loadInstructions } from './llm/instructions';
import { estimateTokens } from './llm/context';
import { emptyLlmSummary, reviewWithLlm } from './llm/llmReviewer';
import { costUsd } from './llm/prices';
import { SYSTEM_PROMPT } from './llm/prompt';
import { excludedPaths } from './llm/paths';
import { GitRepository } from './git/repository';
import { WorkspaceIndexer, type IndexOptions, type IndexPassResult } from './index/indexer';
import { UsageFinder } from './index/usages';
import { computeMetrics, type Metrics } from './metrics/metrics';
import { anchorToWorkTree } from './review/anchoring';
import { ReviewCache, RULES_CACHE_VERSION } from './review/reviewCache';
import { review, type ReviewDependencies, type ReviewRequest } from './review/reviewer';
import type { StaticRule } from './review/rule';
import { STATIC_RULES } from './review/rules';
import { defaultDatabasePath, openDatabase, type Db } from './store/database';
import { CacheStore, type CacheLimits } from './store/cacheStore';
import { IgnoreStore } from './store/ignoreStore';
import { IndexStore } from './store/indexStore';
import { RunStore, type RunDetails } from './store/runStore';

export interface WorkspaceOptions {
  /** Any folder inside the repository. */
  dir: string;
  /** Overrides the default `<git common dir>/diffwise/diffwise.db`. */
  dbPath?: string;
  /** One-line notices the user should see (a corrupt database set aside, a fallback taken). */
  onNotice?: (message: string) => void;
}

/** The plan of a `--since-last` review: from which commit, and which commits that covers. */
export type SinceLast =
  | { since: string; lastReviewedAt: string; commits: string[] }
  | { since: undefined; reason: string };

/** What an answer is assumed to cost in tokens before it comes back, for the budget's estimate. */
const TYPICAL_ANSWER_TOKENS = 300;

/** How a review may use the LLM. */
export interface LlmRequest {
  /** False for `--no-llm`: nothing is sent whatever is configured. */
  use?: boolean;
  /** The editor's `diffwise.llm.*` settings; `enabled: false` turns the LLM off. */
  settings?: LlmOverrides & { enabled?: boolean };
  /** Call the LLM even when this month's budget is used up. */
  overBudget?: boolean;
  /** Where the key, the endpoint and DIFFWISE_LLM come from; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
}

/** Cache eviction limits: DIFFWISE_CACHE_MAX_MB (default 256) and DIFFWISE_CACHE_MAX_AGE_DAYS (default 30). */
export function cacheLimitsFromEnvironment(): CacheLimits {
  const number = (value: string | undefined, fallback: number) => (value && Number(value) > 0 ? Number(value) : fallback);
  return {
    maxBytes: number(process.env.DIFFWISE_CACHE_MAX_MB, 256) * 1024 * 1024,
    maxAgeMs: number(process.env.DIFFWISE_CACHE_MAX_AGE_DAYS, 30) * 86_400_000,
  };
}

export class Workspace {
  private constructor(
    readonly repo: GitRepository,
    readonly dbPath: string,
    private readonly db: Db,
    readonly store: IndexStore,
    readonly indexer: WorkspaceIndexer,
    private readonly runs: RunStore,
    private readonly ignored: IgnoreStore,
    private readonly cacheStore: CacheStore,
    private readonly rules: readonly StaticRule[],
  ) {}

  /** The last LLM client, kept across reviews so that its circuit breaker remembers a dead endpoint. */
  private llmClient: { key: string; client: ChatClient } | undefined;

  static async open(options: WorkspaceOptions): Promise<Workspace> {
    const repo = await GitRepository.open(options.dir);
    const dbPath = options.dbPath ?? defaultDatabasePath(repo.commonDir);
    const db = openDatabase(dbPath, { onNotice: options.onNotice });
    const store = new IndexStore(db);
    const indexer = new WorkspaceIndexer({ root: repo.root, store, listWorkspaceFiles: () => repo.listWorkspaceFiles() });
    return new Workspace(repo, dbPath, db, store, indexer, new RunStore(db), new IgnoreStore(db), new CacheStore(db), STATIC_RULES);
  }

  /** Brings the index up to date with the work tree. */
  index(options?: IndexOptions): Promise<IndexPassResult> {
    return this.indexer.indexWorkspace(options);
  }

  /** Stops reporting a finding (by id) in every later review, from any front end. */
  ignoreFinding(finding: Pick<Finding, 'id' | 'ruleId' | 'file' | 'message'>): void {
    this.ignored.ignore(finding);
  }

  /** Reviews one scope of changes; the index is refreshed first so that callers are current. */
  async review(request: ReviewRequest & { useCache?: boolean; cacheLimits?: CacheLimits; llm?: LlmRequest }): Promise<ReviewDocument> {
    // One finder per review: it caches parsed importers, which a later review must not see stale.
    const usages = new UsageFinder(this.repo.root, this.store, (extraPath) => this.indexer.resolverIncluding(extraPath));
    const cache = request.useCache === false ? undefined : new ReviewCache({
      store: this.cacheStore,
      rulesKey: `v${RULES_CACHE_VERSION}:${this.rules.map((rule) => rule.id).join(',')}`,
      dependentsOf: (path) => this.dependentsFingerprint(path),
    });
    const document = await review(
      {
        repo: this.repo,
        rules: this.rules,
        refreshIndex: (signal) => this.indexer.indexWorkspace({ signal }),
        workspace: { usagesOf: (file, symbol, previousPath) => usages.usagesOf(file, symbol, previousPath) },
        cache,
        ignoredFindingIds: () => this.ignored.ignoredIds(),
        recordRun: (run: ReviewRun, findings: readonly Finding[], details: RunDetails) => this.runs.record(run, findings, details),
        ...this.llmStage(request.llm ?? {}, usages, request.useCache !== false),
      },
      request,
    );
    if (cache) this.cacheStore.evict(request.cacheLimits ?? cacheLimitsFromEnvironment(), Date.now());
    return document;
  }

  /**
   * The review's LLM stage: none when no LLM is configured or the user said
   * `--no-llm`; a summary saying why when a switch forbids it; else the stage.
   * A config file that cannot be read fails the stage (the run is `partial`), not the review.
   */
  private llmStage(request: LlmRequest, usages: UsageFinder, useCache: boolean): Pick<ReviewDependencies, 'llm' | 'llmSkipped'> {
    if (request.use === false) return {};
    const env = request.env ?? process.env;
    const switchedOff = request.settings?.enabled === false || env.DIFFWISE_LLM?.trim().toLowerCase() === 'off';
    const untrusted = env.DIFFWISE_LLM?.trim().toLowerCase() === 'untrusted';
    let config: LlmConfig | null;
    try {
      config = loadLlmConfig(env, this.repo.root, request.settings);
    } catch (error) {
      // A config that cannot be used is worth a partial run only when the LLM would have run.
      if (switchedOff || untrusted) return {};
      return { llm: () => Promise.reject(error as Error) };
    }
    if (!config) return {};
    if (switchedOff || untrusted) return { llmSkipped: emptyLlmSummary(config.model, untrusted ? 'untrusted' : 'disabled') };
    const ready = config;
    return {
      llm: async (files, staticFindings, signal) => {
        const instructions = loadInstructions(this.repo.root, ready.instructionsFile);
        const isExcluded = excludedPaths(ready.excludePaths);
        return reviewWithLlm(
          {
            client: this.clientFor(ready),
            model: ready.model,
            maxConcurrency: ready.maxConcurrency,
            maxContextTokens: ready.maxContextTokens,
            estimateCostUsd: (user) => costUsd(ready.model, { prompt: estimateTokens(SYSTEM_PROMPT) + estimateTokens(user), completion: TYPICAL_ANSWER_TOKENS }, ready.prices),
            budget: new BudgetGuard(ready.monthlyBudgetUsd, this.runs.costSince(monthStartUtc(new Date())), request.overBudget === true),
            cache: useCache ? this.cacheStore : undefined,
            sources: {
              importsIn: (path) => this.store.importsIn(path),
              symbolsIn: (path) => this.store.symbolsIn(path),
              usagesOf: (file, symbol) => usages.usagesOf(file, symbol),
              isExcluded,
              instructionsFor: (path) => instructionsFor(instructions, path),
            },
          },
          files,
          staticFindings,
          signal,
        );
      },
    };
  }

  private clientFor(config: LlmConfig): ChatClient {
    // The key is part of the identity but only as a hash: this string is never logged, but it need not hold the key either.
    const key = JSON.stringify([config.baseUrl, config.model, config.timeoutMs, config.maxConcurrency, config.prices, createHash('sha256').update(config.apiKey ?? '').digest('hex')]);
    if (this.llmClient?.key !== key) this.llmClient = { key, client: ChatClient.fromConfig(config) };
    return this.llmClient.client;
  }

  /**
   * The files that import `path` (and those that import them through a re-export),
   * with their content hashes: what a breaking-change finding's call sites depend on.
   */
  private dependentsFingerprint(path: string): string {
    const seen = new Set<string>([path]);
    const parts: string[] = [];
    const queue = [path];
    while (queue.length) {
      for (const row of this.store.importsOf(queue.shift()!)) {
        if (seen.has(row.file)) continue;
        seen.add(row.file);
        parts.push(`${row.file}@${this.store.entry(row.file)?.hash ?? ''}`);
        if (row.kind === 'reexport' || row.kind === 'export-all') queue.push(row.file);
      }
    }
    return parts.sort().join('\n');
  }

  /** The review's findings on the work tree's lines (see anchoring.ts). */
  anchorToWorkTree(document: ReviewDocument): Promise<Finding[]> {
    return anchorToWorkTree(this.repo, document);
  }

  /**
   * What `--since-last` would review: the commits since the last successful review
   * of the same branch and base. Falls back to the whole branch (with the reason)
   * when there was none, or when its HEAD is no longer in this history (a rebase).
   */
  async sinceLastReview(base: string): Promise<SinceLast> {
    const last = this.runs.lastRun('branch', base);
    if (!last) return { since: undefined, reason: `no earlier review of this branch against ${base}: reviewing all of it` };
    const head = (await this.repo.head()).sha;
    if (!head || !(await this.repo.isAncestor(last.head, head))) {
      return { since: undefined, reason: `the last reviewed HEAD ${last.head.slice(0, 8)} is no longer in this branch's history (rebased?): reviewing all of it` };
    }
    return { since: last.head, lastReviewedAt: last.startedAt, commits: await this.repo.commitsBetween(last.head, head) };
  }

  /** What the runs recorded since `since` (an ISO time; all when omitted) add up to. */
  metrics(since?: string): Metrics {
    return computeMetrics(this.runs.runsSince(since ?? ''));
  }

  close(): void {
    this.db.close();
  }
}

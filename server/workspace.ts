/**
 * The daemon's core for one repository: its git repository, its database, its
 * index and the review pipeline, wired together once. The CLI and the LSP server
 * are thin front ends over this class; it knows nothing of either.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FeedbackRecord, LearnedDocument, LearningSettings } from '../shared/feedback';
import type { Finding, ReviewDocument, ReviewRun, Vote } from '../shared/review';
import type { AlertReport, ReviewTrace } from '../shared/observability';
import { preferenceExamples } from './learning/examples';
import { codeFingerprint, codeOf, messageFingerprint } from './learning/fingerprints';
import { exportLearned, learnedDocument, LEARNED_FILE, readLearnedFile } from './learning/learned';
import { applyLearning, currentVotes, withVote, type StoredVote } from './learning/policy';
import { loadLearningSettings } from './learning/settings';
import { coChangeQueries } from './history/coChangeQueries';
import type { CoChangeSettings } from './history/settings';
import { FeedbackStore } from './store/feedbackStore';
import { RecentFindingStore } from './store/recentFindingStore';
import { PrStore } from './store/prStore';
import { PullRequests, type GitHubAccess } from './github/pullRequests';
import type { PrPublishResult } from '../shared/github';
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
import { totalsByLanguage } from './index/languageTotals';
import { reviewIndex } from './index/reviewIndex';
import { UsageFinder } from './index/usages';
import type { LanguageTotals } from '../shared/indexSummary';
import { computeMetrics, type Metrics } from './metrics/metrics';
import { AlertStore } from './store/alertStore';
import { evaluateAlerts } from './observability/alertNotifier';
import type { AlertThresholds } from './observability/alerts';
import { anchorToWorkTree } from './review/anchoring';
import { ReviewCache, RULES_CACHE_VERSION } from './review/reviewCache';
import { apiDigestOfText, dependentsFingerprint } from './review/dependentUses';
import { readWorkTreeText } from './workTreeText';
import { review, type ReviewDependencies, type ReviewRequest } from './review/reviewer';
import type { StaticRule } from './review/rule';
import { STATIC_RULES } from './review/rules';
import { defaultDatabasePath, isCorruption, isStorageFailure, openDatabase, openInMemory, setAsideCorruptDatabase, storeErrorOf, type Db } from './store/database';
import { redactAll, redactStoredSecrets, remembered } from './store/atRest';
import { skippedLinesNotice } from './store/feedbackStore';
import { redactForLlm, REDACTION_VERSION } from './llm/redaction';
import { CacheStore, type CacheLimits } from './store/cacheStore';
import { IgnoreStore, type IgnoredFinding } from './store/ignoreStore';
import { IndexStore } from './store/indexStore';
import { reviewImpactSummary } from './graph/impactUseCase';
import { ImportGraph } from './graph/importGraph';
import { RunStore, type RunDetails } from './store/runStore';

export interface WorkspaceOptions {
  /** Any folder inside the repository. */
  dir: string;
  /** Overrides the default `<git common dir>/diffwise/diffwise.db`. */
  dbPath?: string;
  /** One-line notices the user should see (a corrupt database set aside, a fallback taken). */
  onNotice?: (message: string) => void;
  /**
   * Never write the database: for the commands that only read (metrics, the vote
   * list, what was learned). They then work on a database that is read-only,
   * locked by a writer, on a full disk, or older than this build (migrated in memory).
   */
  readOnly?: boolean;
  /**
   * Told of every review once its run is recorded, with its spans: where a front end's
   * sinks plug in (the log's lines, the OTLP export, Sentry, the alerts). A throw is
   * swallowed: what watches a review never costs its findings.
   */
  onReviewRecorded?: (run: ReviewRun, trace: ReviewTrace | undefined) => void;
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
  /**
   * What the team has spent this month elsewhere (the team service's store); the budget
   * counts it instead of this database's runs, which on a worker's clone are a few of the team's.
   */
  teamSpendUsd?: number;
}

/** A vote by finding id, as `diffwise feedback ID --up|--down|--clear [--reason]` casts it. */
export interface VoteRequest {
  /** The id, or a unique prefix of at least 6 characters. */
  findingId: string;
  vote: Vote | 'clear';
  reason?: string;
}

/** What learning from votes works from in one review: the current votes and the thresholds. */
interface LearningInputs {
  votes: StoredVote[];
  settings: LearningSettings;
}

/** A vote or a team file the user has to fix; the message is one line. */
export class FeedbackError extends Error {
  override name = 'FeedbackError';
}

/** Where the last review an editor showed is kept (the meta table: rebuildable). */
const LAST_REVIEW_KEY = 'last-review';

/** The shortest finding id prefix a vote accepts: shorter ones would match by accident. */
const MIN_ID_PREFIX = 6;

/**
 * What the store keeps of code has its secrets replaced first, by the detectors
 * that redact LLM prompts (store/atRest.ts).
 */
async function redactText(text: string): Promise<string> {
  return (await redactForLlm(text)).text;
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
    /** The review cache's table: public for the team service, which shares its entries between workers. */
    readonly cacheStore: CacheStore,
    private readonly feedback: FeedbackStore,
    private readonly recentFindings: RecentFindingStore,
    private readonly rules: readonly StaticRule[],
    private readonly onNotice: ((message: string) => void) | undefined,
    /** The database is at the default location, in Diffwise's own folder (not named by --db). */
    private readonly defaultLocation: boolean,
    private readonly onReviewRecorded: WorkspaceOptions['onReviewRecorded'],
  ) {
    let alertStore: AlertStore | undefined;
    this.prStore = new PrStore(db);
    this.pullRequests = new PullRequests(repo, this.prStore, (state, resource) => (alertStore ??= new AlertStore(db)).rememberRateLimit(resource, state));
  }

  /** The current branch's pull request on GitHub: sync, comments, replies. */
  readonly pullRequests: PullRequests;

  /** What was synced of pull requests (comments, reviews, ETags): the team service publishes through it. */
  readonly prStore: PrStore;

  /** The last LLM client, kept across reviews so that its circuit breaker remembers a dead endpoint. */
  private llmClient: { key: string; client: ChatClient } | undefined;

  static async open(options: WorkspaceOptions): Promise<Workspace> {
    const repo = await GitRepository.open(options.dir);
    const dbPath = options.dbPath ?? defaultDatabasePath(repo.commonDir);
    // In Diffwise's own folder (not named by --db): recognisably ours even when its header is gone.
    const defaultLocation = options.dbPath === undefined;
    const db = openDatabase(dbPath, { onNotice: options.onNotice, readOnly: options.readOnly, defaultLocation });
    try {
      return await Workspace.assemble(repo, dbPath, db, options);
    } catch (error) {
      db.close();
      if (!isCorruption(error)) throw storeErrorOf(error, dbPath);
      // Damage SQLite found only on reading (the votes, say): a command that writes sets the
      // file aside and starts again on a new one; one that only reads works from the journal.
      if (options.readOnly) {
        options.onNotice?.(`the database ${dbPath} is corrupt (${(error as Error).message}); showing what its vote journal holds (the next command that writes sets the file aside and builds a new one)`);
        return Workspace.assemble(repo, dbPath, openInMemory(dbPath), options);
      }
      setAsideCorruptDatabase(dbPath, error as Error, { onNotice: options.onNotice, defaultLocation });
      const fresh = openDatabase(dbPath, { onNotice: options.onNotice, defaultLocation });
      try {
        return await Workspace.assemble(repo, dbPath, fresh, options);
      } catch (retryError) {
        fresh.close();
        throw storeErrorOf(retryError, dbPath);
      }
    }
  }

  private static async assemble(repo: GitRepository, dbPath: string, db: Db, options: WorkspaceOptions): Promise<Workspace> {
    const store = new IndexStore(db);
    const indexer = new WorkspaceIndexer({ root: repo.root, store, git: repo });
    const journalPath = `${dbPath}.votes.jsonl`;
    const feedback = new FeedbackStore(db, journalPath);
    // Votes are journalled beside the database: a database set aside as corrupt (or deleted) gets them back.
    // One opened read-only on disk cannot take them (one read into memory can); its votes are read now
    // instead, so that damage to them is found here, where open() handles it.
    if (db.readonly) feedback.all();
    else {
      const restored = feedback.replayJournal();
      if (restored > 0) options.onNotice?.(`restored ${restored} vote(s) on findings from ${journalPath}`);
      if (feedback.lastReplay.skipped > 0) options.onNotice?.(skippedLinesNotice(journalPath, feedback.lastReplay.skipped));
    }
    if (!options.readOnly) {
      const redacted = await redactStoredSecrets(db, feedback.all(), journalPath, redactText);
      if (redacted && (redacted.votes || redacted.findings)) {
        options.onNotice?.(`redacted the secrets in the code stored with ${redacted.votes} vote(s) and ${redacted.findings} recent finding(s), and in the vote journal (a one-time upgrade)`);
      }
    }
    return new Workspace(
      repo, dbPath, db, store, indexer, new RunStore(db), new IgnoreStore(db), new CacheStore(db), feedback, new RecentFindingStore(db), STATIC_RULES,
      options.onNotice, options.dbPath === undefined, options.onReviewRecorded,
    );
  }

  /** Brings the index up to date with the work tree. */
  index(options?: IndexOptions): Promise<IndexPassResult> {
    return this.indexer.indexWorkspace(options);
  }

  /** What the index holds per language (a scan of its tables: for `diffwise index`, not for every pass). */
  indexTotalsByLanguage(): LanguageTotals[] {
    return totalsByLanguage(this.store);
  }

  /** Stops reporting a finding (by id) in every later review, from any front end. */
  ignoreFinding(finding: Pick<Finding, 'id' | 'ruleId' | 'file' | 'message'>): void {
    this.ignored.ignore(finding);
  }

  /**
   * Ignores a finding of a recent review by its id or a unique prefix of it (as
   * `diffwise ignore ID` from a terminal does); returns the finding ignored.
   */
  ignoreFindingById(findingId: string): Pick<Finding, 'id' | 'ruleId' | 'file' | 'line' | 'message'> {
    const id = findingId.trim().toLowerCase();
    if (!/^[0-9a-f]+$/.test(id) || id.length < MIN_ID_PREFIX) throw new FeedbackError(`"${findingId}" is not a finding id (the hex id shown with each finding, at least ${MIN_ID_PREFIX} characters)`);
    const lookup = this.recentFindings.find(id);
    if ('missing' in lookup) throw new FeedbackError(`no finding ${findingId} in the recent reviews; run a review first (finding ids are listed in its output)`);
    if ('ambiguous' in lookup) throw new FeedbackError(`${findingId} matches several findings (${lookup.ambiguous.join(', ')}): give more of the id`);
    const { id: foundId, ruleId, file, line, message } = lookup.found.finding;
    this.ignored.ignore({ id: foundId, ruleId, file, message });
    return { id: foundId, ruleId, file, line, message };
  }

  /**
   * Reports an ignored finding again from the next review on. `findingId` is its
   * id or, as the text report shows ids, a prefix of it that names one ignored
   * finding; true when something was unignored, false when no ignored finding
   * has that id. A prefix that names several throws.
   */
  unignoreFinding(findingId: string): boolean {
    const wanted = findingId.trim().toLowerCase();
    if (!wanted) return false;
    if (this.ignored.unignore(wanted)) return true;
    const matches = this.ignored.list().filter((ignored) => ignored.id.startsWith(wanted));
    if (matches.length > 1) {
      throw new FeedbackError(`${findingId} names ${matches.length} ignored findings (${matches.map((m) => m.id.slice(0, 12)).join(', ')}): give more of the id`);
    }
    return matches.length === 1 && this.ignored.unignore(matches[0].id);
  }

  /** The findings ignored here, oldest ignore first: what `diffwise ignored` and the feedback panel list. */
  ignoredFindings(): IgnoredFinding[] {
    return this.ignored.list();
  }

  /** Reviews one scope of changes; the index is refreshed first so that callers are current. */
  async review(request: ReviewRequest & { useCache?: boolean; cacheLimits?: CacheLimits; llm?: LlmRequest; learning?: Partial<LearningSettings>; coChange?: Partial<CoChangeSettings> }): Promise<ReviewDocument> {
    // One finder per review: it caches parsed importers, which a later review must not see stale.
    const usages = new UsageFinder(this.repo.root, this.store, (extraPath) => this.indexer.resolverIncluding(extraPath));
    // The index as the languages' rules and cache keys see it, once per review (its listing taken after the review's index pass).
    const index = reviewIndex(this.repo.root, this.store, (extraPath) => this.indexer.resolverIncluding(extraPath));
    // Digests computed before (fingerprints, the API of imported modules), kept with the cache's entries.
    const memo = {
      get: (key: string) => this.cacheStore.getJson(key, Date.now(), (value): value is string => typeof value === 'string'),
      put: (key: string, digest: string) => this.cacheStore.put(key, JSON.stringify(digest), Date.now()),
    };
    const cache = request.useCache === false ? undefined : new ReviewCache({
      store: this.cacheStore,
      rulesKey: `v${RULES_CACHE_VERSION}:${this.rules.map((rule) => rule.id).join(',')}`,
      dependentsOf: (path, symbols, textOf, contentIdOf) => dependentsFingerprint(path, symbols, {
        importsIn: (file) => this.store.importsIn(file),
        importsOf: (file) => this.store.importsOf(file),
        hashOf: (file) => this.store.entry(file)?.hash ?? '',
        textOf,
        contentIdOf,
        apiDigestOf: (file) => apiDigestOfText(file, textOf(file), memo),
        paths: () => index.paths(),
        memo,
      }),
      textOf: (file) => readWorkTreeText(this.repo.root, file),
      changeKeyOf: (files) => this.rules.map((rule) => (rule.changeKey ? `${rule.id}:${rule.changeKey(files, this.repo.root)}` : '')).join('\u0000'),
    });
    // The votes and thresholds, read once per review, when first needed (the LLM's examples, then learning);
    // reading them may throw (a bad config file): each stage that asks then fails on its own.
    let learned: LearningInputs | undefined;
    const learning = (): LearningInputs => (learned ??= { votes: currentVotes(this.feedback.all()), settings: loadLearningSettings(this.repo.root, request.learning) });
    const document = await review(
      {
        repo: this.repo,
        rules: this.rules,
        refreshIndex: (signal) => this.indexer.indexWorkspace({ signal }),
        workspace: {
          usagesOf: (file, symbol, previousPath) => usages.usagesOf(file, symbol, previousPath),
          importersOf: (file, previousPath) => usages.importingFiles(file, previousPath),
          root: this.repo.root,
          index,
          importGraph: { current: () => ImportGraph.fromIndex(this.store), resolverIncluding: (extraPath) => this.indexer.resolverIncluding(extraPath) },
          coChangePartnersOf: coChangeQueries(this.repo.root, this.db, { overrides: request.coChange, isGenerated: (file) => this.store.entry(file)?.skipped === 'generated' }),
        },
        cache,
        ignoredFindingIds: () => this.ignored.ignoredIds(),
        recordRun: (run: ReviewRun, findings: readonly Finding[], details: RunDetails) => {
          this.runs.record(run, findings, details);
          try {
            this.onReviewRecorded?.(run, details.trace);
          } catch {
            // A sink that fails (a log file gone) is its own problem, never the review's.
          }
        },
        rememberFindings: (runId, found) => this.recentFindings.save(runId, found),
        // Through the review cache when there is one: a re-review keeps the code it redacted last time.
        redactStored: (texts) => redactAll(texts, cache ? remembered(redactText, {
          get: (key) => this.cacheStore.getJson(key, Date.now(), (value): value is string => typeof value === 'string'),
          put: (key, redacted) => this.cacheStore.put(key, JSON.stringify(redacted), Date.now()),
        }, `${RULES_CACHE_VERSION}.${REDACTION_VERSION}`) : redactText),
        storageFailure: (error) => {
          this.noteFailure(error);
          return isStorageFailure(error) ? storeErrorOf(error, this.dbPath) : null;
        },
        learn: (found) => applyLearning(found, learning().votes, learning().settings),
        impactOf: (changes, findings) => reviewImpactSummary(this, changes, findings),
        ...this.llmStage(request.llm ?? {}, usages, request.useCache !== false, learning),
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
  private llmStage(request: LlmRequest, usages: UsageFinder, useCache: boolean, learning: () => LearningInputs): Pick<ReviewDependencies, 'llm' | 'llmSkipped'> {
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
        const { votes, settings } = learning();
        return reviewWithLlm(
          {
            client: this.clientFor(ready),
            model: ready.model,
            maxConcurrency: ready.maxConcurrency,
            maxContextTokens: ready.maxContextTokens,
            // A shared prompt gets an answer per hunk it holds.
            estimateCostUsd: (user, hunks) => costUsd(ready.model, { prompt: estimateTokens(SYSTEM_PROMPT) + estimateTokens(user), completion: TYPICAL_ANSWER_TOKENS * hunks }, ready.prices),
            budget: new BudgetGuard(ready.monthlyBudgetUsd, request.teamSpendUsd ?? this.runs.costSince(monthStartUtc(new Date())), request.overBudget === true),
            cache: useCache ? this.cacheStore : undefined,
            sources: {
              importsIn: (path) => this.store.importsIn(path),
              symbolsIn: (path) => this.store.symbolsIn(path),
              usagesOf: (file, symbol) => usages.usagesOf(file, symbol),
              isExcluded,
              instructionsFor: (file) => instructionsFor(instructions, file),
              preferencesFor: (file) => preferenceExamples(file, votes, settings.promptExamples, isExcluded),
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

  /**
   * What the runs recorded since `since` (an ISO time; all when omitted) add up
   * to, with the votes cast in that time and the monthly budget that applies now.
   */
  metrics(since?: string, llm: LlmRequest = {}): Metrics {
    const monthlyBudgetUsd = this.monthlyBudgetUsd(llm);
    const votes = currentVotes(this.feedback.all().filter((vote) => vote.createdAt >= (since ?? '')));
    return computeMetrics({ runs: this.runs.runsSince(since ?? ''), votes, monthlyBudgetUsd, lastTrace: this.runs.spans.last(), errors: this.runs.errors.groups() });
  }

  private monthlyBudgetUsd(llm: LlmRequest): number | null {
    try {
      return loadLlmConfig(llm.env ?? process.env, this.repo.root, llm.settings)?.monthlyBudgetUsd ?? null;
    } catch {
      // An unreadable LLM config costs the metrics and alerts only their budget line; reviews report the error.
      return null;
    }
  }

  /**
   * Evaluates the alert rules over this database and its disk, and records which fire,
   * so that each alert is told once per condition (observability/alertNotifier.ts).
   */
  evaluateAlerts(thresholds: AlertThresholds, llm: LlmRequest = {}): AlertReport {
    return evaluateAlerts({
      store: new AlertStore(this.db), dbPath: this.dbPath,
      costSince: (isoTime) => this.runs.costSince(isoTime), monthlyBudgetUsd: () => this.monthlyBudgetUsd(llm),
    }, thresholds);
  }

  /** Records that a long-lived process (the daemon) started now, for the restart-loop alert. */
  recordProcessStart(name: 'daemon'): void {
    new AlertStore(this.db).recordStart(name, process.pid, new Date());
  }

  /**
   * Records a vote on a finding of a recent review (suppressed ones included).
   * Throws a one-line error the user can act on for an unknown or ambiguous id.
   */
  vote(request: VoteRequest): FeedbackRecord {
    const id = request.findingId.trim().toLowerCase();
    if (!/^[0-9a-f]+$/.test(id) || id.length < MIN_ID_PREFIX) throw new FeedbackError(`"${request.findingId}" is not a finding id (the hex id shown with each finding, at least ${MIN_ID_PREFIX} characters)`);
    const lookup = this.recentFindings.find(id);
    if ('missing' in lookup) throw new FeedbackError(`no finding ${request.findingId} in the recent reviews; run a review first (finding ids are listed in its output)`);
    if ('ambiguous' in lookup) throw new FeedbackError(`${request.findingId} matches several findings (${lookup.ambiguous.join(', ')}): give more of the id`);
    const { finding, code, codeFingerprint, messageFingerprint } = lookup.found;
    const vote: StoredVote = {
      id: randomUUID(), findingId: finding.id, vote: request.vote, reason: request.reason?.trim() || null, ruleId: finding.ruleId,
      category: finding.source === 'llm' ? finding.ruleId.slice('llm/'.length) : finding.ruleId, source: finding.source,
      severity: finding.originalSeverity ?? finding.severity, file: finding.file, line: finding.line, message: finding.message,
      code, codeFingerprint, messageFingerprint, createdAt: new Date().toISOString(), origin: 'local',
    };
    this.feedback.record(vote);
    const { code: _code, ...record } = vote;
    return record;
  }

  /**
   * Publishes the findings of the current branch's pull request (a branch review
   * against its base, learning applied) as one pull-request review.
   */
  publishToPullRequest(options: { access?: GitHubAccess; dryRun?: boolean; llm?: LlmRequest; learning?: Partial<LearningSettings> } = {}): Promise<PrPublishResult> {
    return this.pullRequests.publish(
      (base) => this.review({ scope: 'branch', base, trigger: 'publish', showSuppressed: true, llm: options.llm, learning: options.learning }),
      options.access,
      { dryRun: options.dryRun },
    );
  }

  /**
   * 👍/👎 on a synced pull-request comment: a vote on the finding when Diffwise
   * published it, else a teammate's comment kept as an example for the LLM. With
   * `react`, also a reaction on GitHub.
   */
  async votePrComment(request: { commentId: number; vote: Vote | 'clear'; reason?: string; react?: boolean }, access: GitHubAccess = {}): Promise<FeedbackRecord> {
    const { comments } = await this.pullRequests.comments(access);
    const comment = comments.find((candidate) => candidate.id === request.commentId);
    if (!comment) throw new FeedbackError(`no synced pull-request comment ${request.commentId}: sync first (diffwise pr sync)`);
    const published = /<!-- diffwise:finding=([0-9a-f]{16}) -->/.exec(comment.body)?.[1];
    let record: FeedbackRecord | undefined;
    if (published) {
      try {
        record = this.vote({ findingId: published, vote: request.vote, reason: request.reason });
      } catch (error) {
        // A finding reviewed elsewhere (CI published it) is not in this clone's recent findings: keep the vote as a comment vote.
        if (!(error instanceof FeedbackError)) throw error;
      }
    }
    if (!record) {
      const line = comment.localLine ?? comment.line ?? 1;
      let text: string | null;
      try {
        text = comment.localLine === null ? null : fs.readFileSync(path.join(this.repo.root, comment.path), 'utf8');
      } catch {
        text = null; // a file deleted since: the vote keeps the message only
      }
      const clear = codeOf({ line, endLine: line, symbol: null }, text);
      const code = await redactText(clear);
      const message = comment.body.replace(/<!--[\s\S]*?-->/g, '').trim().slice(0, 500);
      const vote: StoredVote = {
        id: randomUUID(), findingId: `pr-${comment.id}`, vote: request.vote, reason: request.reason?.trim() || null, ruleId: 'pr/comment',
        category: 'pull-request', source: 'pull-request', severity: 'info', file: comment.path, line, message, code,
        codeFingerprint: codeFingerprint(clear), messageFingerprint: messageFingerprint(message), createdAt: new Date().toISOString(), origin: 'local',
      };
      this.feedback.record(vote);
      const { code: _code, ...stored } = vote;
      record = stored;
    }
    if (request.react && request.vote !== 'clear') await this.pullRequests.react(comment.id, request.vote, access);
    return record;
  }

  /**
   * Keeps the last review as an editor shows it (work-tree lines, suppressed
   * findings included), so that a panel opened after a restart still has it.
   */
  rememberLastReview(document: ReviewDocument): void {
    this.store.setMeta(LAST_REVIEW_KEY, JSON.stringify(document));
  }

  /** The last review remembered, with the votes cast on its findings since; undefined when there is none. */
  lastReview(): ReviewDocument | undefined {
    const text = this.store.meta(LAST_REVIEW_KEY);
    if (!text) return undefined;
    let document: ReviewDocument;
    try {
      document = JSON.parse(text) as ReviewDocument;
    } catch {
      return undefined; // rebuildable: the next review writes it again
    }
    // The latest vote (a `clear` included) on each finding since the review: what the document does not show yet.
    const since = new Map<string, StoredVote>();
    for (const vote of this.feedback.all()) if (vote.createdAt >= document.run.startedAt) since.set(vote.findingId, vote);
    return { ...document, findings: document.findings.map((finding) => (since.has(finding.id) ? withVote(finding, since.get(finding.id)!) : finding)) };
  }

  /** Every vote ever cast here or imported, oldest first; `clear` withdraws an earlier one. */
  feedbackHistory(): FeedbackRecord[] {
    return this.feedback.all().map(({ code: _code, ...record }) => record);
  }

  /** What the votes have taught, with the thresholds in force. */
  learned(settings?: Partial<LearningSettings>): LearnedDocument {
    return learnedDocument(this.feedback.all(), loadLearningSettings(this.repo.root, settings));
  }

  /** Writes every vote to the team file (default `.diffwise/learned.json`); returns where and how many. */
  async exportLearned(file?: string): Promise<{ file: string; votes: number }> {
    const target = path.resolve(this.repo.root, file ?? LEARNED_FILE);
    return { file: target, votes: await exportLearned(this.feedback.all(), target) };
  }

  /** Adds a team file's votes to this repository's; returns how many were new. */
  async importLearned(file?: string): Promise<{ file: string; votes: number }> {
    const source = path.resolve(this.repo.root, file ?? LEARNED_FILE);
    let votes: StoredVote[];
    try {
      votes = readLearnedFile(source);
    } catch (error) {
      throw new FeedbackError((error as Error).message, { cause: error });
    }
    // Exported files are redacted already; one written by hand or by an older version may not be.
    const codes = await redactAll(votes.map((vote) => vote.code), redactText);
    return { file: source, votes: this.feedback.importVotes(votes.map((vote, i) => ({ ...vote, code: codes[i] }))) };
  }

  /**
   * Adds votes cast elsewhere (the team's, from the service's store); returns how many were
   * new. Their code is redacted first, as a team file's is; ids already here are skipped,
   * so importing the same votes again adds nothing.
   */
  async importVotes(votes: readonly StoredVote[]): Promise<number> {
    const codes = await redactAll(votes.map((vote) => vote.code), redactText);
    return this.feedback.importVotes(votes.map((vote, i) => ({ ...vote, code: codes[i] })));
  }

  /**
   * Tells the workspace that an operation failed with `error`: when SQLite found
   * the database damaged (it only notices on reading a bad page), the file is set
   * aside as the workspace closes, so that the next command builds a new one.
   */
  noteFailure(error: unknown): void {
    const cause = error instanceof Error && isCorruption(error.cause) ? error.cause : error;
    if (isCorruption(cause)) this.corruption ??= cause as Error;
  }

  private corruption: Error | undefined;

  close(): void {
    this.db.close();
    // A read-only command leaves even a corrupt file as it is: the next command that writes sets it aside.
    if (this.corruption && !this.db.readonly) setAsideCorruptDatabase(this.dbPath, this.corruption, { onNotice: this.onNotice, defaultLocation: this.defaultLocation });
  }
}

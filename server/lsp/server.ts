/**
 * `diffwise serve --stdio`: the daemon as a language server. A thin front end
 * over `Workspace`: it indexes on start and on file changes, runs reviews on
 * `workspace/executeCommand` (`diffwise.review`) or `diffwise/review`, and
 * publishes findings as diagnostics. Nothing editor-specific lives here, so any
 * LSP client (VS Code, Neovim, Helix, Emacs) can use it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  ResponseError,
  TextDocumentSyncKind,
  DidChangeWatchedFilesNotification,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  AlertsNotification,
  FeedbackRequest,
  IGNORE_FINDING_COMMAND,
  ImpactRequest,
  LastReviewChangedNotification,
  LastReviewRequest,
  LearnedRequest,
  LearnedTransferRequest,
  MetricsRequest,
  HealthRequest,
  PrCommentsChangedNotification,
  PrCommentsRequest,
  PrPublishRequest,
  PrReplyRequest,
  PrResolveRequest,
  PrSyncRequest,
  PrVoteRequest,
  REVIEW_COMMAND,
  ReindexRequest,
  ReviewRequest,
  StatusNotification,
  UNIGNORE_FINDING_COMMAND,
  VOTE_FINDING_COMMAND,
  type IndexSummary,
  type LastReviewChangedParams,
  type ReviewParams,
  type StatusParams,
  type VoteParams,
} from '../../shared/protocol';
import type { FeedbackRecord, LearningSettings } from '../../shared/feedback';
import { countBySeverity, type Finding, type ReviewDocument, type ReviewScope, type Severity } from '../../shared/review';
import { withVote } from '../learning/policy';
import { pullCoChangeSettings } from './coChangeSettings';
import { daemonAlerts } from './alerts';
import type { CacheLimits } from '../store/cacheStore';
import { cacheLimitsFromEnvironment, Workspace, type LlmRequest } from '../workspace';
import { llmLine } from '../report/text';
import type { LlmEditorSettings } from '../../shared/settings';
import { diagnosticsByUri, fileUri, type LineLength } from './diagnostics';
import { codeActionsFor, hoverFor } from './findingActions';
import { impactHandler } from './impact';
import { LiveFindings } from './liveFindings';
import { WorkQueue } from './workQueue';
import { runHealthChecks } from '../health/healthReport';
import { flushSentry, sentrySink } from '../observability/sentry';
import type { Logger } from '../observability/logger';
import { allSinks, reviewLogSink } from '../observability/logSinks';
import { otlpTraceSink } from '../observability/otelExport';

/** Saves and file events arriving within this window are indexed together. */
const WATCH_DEBOUNCE_MS = 150;
/** LSP error code for a request that failed in a way the user can act on. */
const REQUEST_FAILED = -32803;
const REQUEST_CANCELLED = -32800;

export interface ServerOptions {
  /** Overrides the database location, like `--db`. */
  dbPath?: string;
  /** The daemon's records: to the client's log channel (lspLogDestination.ts) and the log file when set. */
  logger: Logger;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  const queue = new WorkQueue();
  let workspace: Promise<Workspace> | undefined;
  let supportsProgress = false;
  let supportsWatchedFileRegistration = false;
  let supportsConfiguration = false;
  let status: StatusParams = { state: 'starting', message: 'Starting' };
  /** The files that have diagnostics now, by URI: what a later publish must clear. */
  let published = new Set<string>();
  /**
   * The last review on the work tree's lines as it was reviewed, suppressed and ignored
   * findings included, with the votes and ignores since. Where each finding is now comes
   * from `live`: `currentFindings()` is what the feedback panel shows.
   */
  let lastReview: ReviewDocument | null = null;
  /** The findings of the last review, kept on their code as the user edits. */
  const live = new LiveFindings();
  /** The editor's text of each open document: a review's findings are placed on it, not on the disk's. */
  const openDocuments = new Map<string, TextDocument>();
  /** Findings that `diffwise.review.severities` leaves out, as pulled at the last review, vote or ignore. */
  let hiddenBySettings = new Set<string>();
  let root = '';
  /** The folder the client opened: the health check runs there even when no workspace could be opened. */
  let workspaceDir = process.cwd();
  const pendingPaths = new Set<string>();
  let debounce: NodeJS.Timeout | undefined;

  const setStatus = (next: Partial<StatusParams>) => {
    status = { ...status, ...next };
    void connection.sendNotification(StatusNotification.type, status);
  };
  const log = options.logger;
  // The OTLP export, only when OTEL_* ask for it; a failed export is a debug record, never a message to the user.
  const traces = otlpTraceSink(typeof DIFFWISE_VERSION === 'string' ? DIFFWISE_VERSION : '0.0.0-dev', { debug: (message) => log.debug({ stage: 'otlp-export' }, message) });
  const alerts = daemonAlerts({
    readSection: repositorySettings, llmSettings: pullLlmSettings, log: (message) => log.warn({ stage: 'alerts' }, message),
    send: (report) => void connection.sendNotification(AlertsNotification.type, report),
  });
  /** The opened workspace, or the reason it could not be opened as the request's error. */
  const workspaceForRequest = async (): Promise<Workspace> => {
    try {
      return await workspace!;
    } catch (error) {
      throw new ResponseError(REQUEST_FAILED, (error as Error).message);
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    supportsProgress = params.capabilities.window?.workDoneProgress === true;
    supportsWatchedFileRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    supportsConfiguration = params.capabilities.workspace?.configuration === true;
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    const dir = folder ? fileURLToPath(folder) : params.rootPath ?? process.cwd();
    workspaceDir = dir;
    workspace = Workspace.open({
      dir, dbPath: options.dbPath, onNotice: (message) => connection.window.showWarningMessage(`Diffwise: ${message}`),
      onReviewRecorded: allSinks(sentrySink(typeof DIFFWISE_VERSION === 'string' ? DIFFWISE_VERSION : '0.0.0-dev'), reviewLogSink(log), traces?.sink),
    });
    // Keep the rejection for the requests that need the workspace; do not crash on it here.
    workspace.catch(() => undefined);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        executeCommandProvider: { commands: [REVIEW_COMMAND, IGNORE_FINDING_COMMAND, UNIGNORE_FINDING_COMMAND, VOTE_FINDING_COMMAND] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true } },
      },
      serverInfo: { name: 'diffwise', version: typeof DIFFWISE_VERSION === 'string' ? DIFFWISE_VERSION : '0.0.0-dev' },
    };
  });

  connection.onInitialized(async () => {
    if (supportsWatchedFileRegistration) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}' }, { globPattern: '**/{tsconfig,jsconfig,package}.json' }],
      });
    }
    let ready: Workspace;
    try {
      ready = await workspace!;
    } catch (error) {
      setStatus({ state: 'error', message: (error as Error).message });
      void connection.window.showErrorMessage(`Diffwise: ${(error as Error).message}`);
      return;
    }
    void alerts.atStart(ready);
    await queue.run(async () => void (await indexWorkspace(ready))).catch((error: Error) => {
      setStatus({ state: 'error', message: `Indexing failed: ${error.message}` });
      log.error({ stage: 'index', err: error }, `indexing failed: ${error.message}`);
    });
  });

  async function indexWorkspace(ready: Workspace): Promise<IndexSummary> {
    setStatus({ state: 'indexing', message: 'Indexing the workspace' });
    const progress = supportsProgress ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('Diffwise: indexing', 0, undefined, false);
    const result = await ready.index({
      onProgress: ({ done, total }) => progress?.report(total ? Math.round((done / total) * 100) : 0, `${done}/${total} files`),
    });
    progress?.done();
    log.info({ stage: 'index', files: result.files, reparsed: result.reparsed, removed: result.removed, durationMs: Math.round(result.durationMs) }, `indexed ${result.files} files (${result.reparsed} re-parsed, ${result.removed} removed) in ${Math.round(result.durationMs)} ms`);
    setStatus({ state: 'idle', message: `${result.files} files indexed` });
    return { ...result, durationMs: Math.round(result.durationMs) };
  }

  const queueChangedPaths = (uris: readonly string[]) => {
    for (const uri of uris) if (uri.startsWith('file:')) pendingPaths.add(fileURLToPath(uri));
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      const paths = [...pendingPaths];
      pendingPaths.clear();
      void queue.run(async () => {
        const ready = await workspace!;
        const relative = paths.map((file) => path.relative(ready.repo.root, file).split(path.sep).join('/')).filter((file) => !file.startsWith('..'));
        const result = await ready.indexer.indexFiles(relative);
        log.info({ stage: 'index', reparsed: result.reparsed, removed: result.removed, durationMs: Number(result.durationMs.toFixed(1)) }, `re-indexed ${result.reparsed} changed file(s), removed ${result.removed} in ${result.durationMs.toFixed(1)} ms`);
      }).catch((error: Error) => log.warn({ stage: 'index', err: error }, `re-indexing failed: ${error.message}`));
    }, WATCH_DEBOUNCE_MS);
  };
  connection.onDidChangeWatchedFiles((params) => {
    queueChangedPaths(params.changes.map((change) => change.uri));
    // A closed file changed on disk (a checkout, a stash, another editor): its findings follow that change too.
    for (const { uri } of params.changes) if (live.isTracked(uri) && !openDocuments.has(uri)) textChanged(uri, () => live.setText(uri, readText(uri) ?? ''));
  });
  connection.onDidSaveTextDocument((params) => queueChangedPaths([params.textDocument.uri]));
  connection.onDidOpenTextDocument(({ textDocument }) => {
    openDocuments.set(textDocument.uri, TextDocument.create(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text));
    // Opened with another text than the one its findings are on (changed on disk, or a reopen after edits not saved).
    textChanged(textDocument.uri, () => live.setText(textDocument.uri, textDocument.text));
  });
  connection.onDidCloseTextDocument(({ textDocument }) => void openDocuments.delete(textDocument.uri));
  // Until the next review, findings move with the text, character by character.
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const open = openDocuments.get(textDocument.uri);
    if (open) openDocuments.set(textDocument.uri, TextDocument.update(open, contentChanges, textDocument.version));
    textChanged(textDocument.uri, () => live.change(textDocument.uri, contentChanges));
  });

  /**
   * After the text of a file with findings changed: its diagnostics where the code
   * is now; and when findings went or came back, the counts and the panel too.
   */
  function textChanged(uri: string, apply: () => boolean): void {
    if (!lastReview || !live.isTracked(uri)) return;
    const presenceChanged = apply();
    publishFile(uri);
    if (presenceChanged) findingsChanged('edit');
  }

  function readText(uri: string): string | undefined {
    try {
      return fs.readFileSync(fileURLToPath(uri), 'utf8');
    } catch {
      return undefined;
    }
  }

  /**
   * The last review's findings where their code is now (in one file's, when `uri` is
   * given: an edit places only its own file's); those whose code is gone are left out.
   */
  function currentFindings(uri?: string): Finding[] {
    if (!lastReview) return [];
    const placed: Finding[] = [];
    for (const finding of lastReview.findings) {
      if (uri !== undefined && fileUri(root, finding.file) !== uri) continue;
      const placement = live.placement(fileUri(root, finding.file), finding.id);
      if (placement === null) continue;
      placed.push(placement ? { ...withoutPlacement(finding), ...placement } : finding);
    }
    return placed;
  }

  /** What the diagnostics show (in one file, with `uri`): the current findings that are neither suppressed, ignored nor hidden by the settings. */
  function shownNow(uri?: string): Finding[] {
    return currentFindings(uri).filter((finding) => !finding.suppressed && !hiddenBySettings.has(finding.id));
  }

  const lineLengthOf = (uri: string): LineLength | undefined => (live.isTracked(uri) ? (line) => live.lineLength(uri, line) : undefined);

  /** Starts tracking the review's findings on the text each file has now: the editor's, or the disk's. */
  function trackLastReview(): void {
    live.clear();
    const byUri = new Map<string, Finding[]>();
    for (const finding of lastReview?.findings ?? []) {
      const uri = fileUri(root, finding.file);
      byUri.set(uri, [...(byUri.get(uri) ?? []), finding]);
    }
    for (const [uri, findings] of byUri) {
      // The review anchored its findings to the work tree's lines: the disk's text.
      const text = readText(uri);
      if (text === undefined) continue;
      live.track(uri, text, findings);
      const open = openDocuments.get(uri);
      if (open) live.setText(uri, open.getText());
    }
  }

  async function review(params: ReviewParams, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<ReviewDocument> {
    const scope = parseScope(params);
    const ready = await workspaceForRequest();
    const controller = new AbortController();
    // A cancel that arrived while waiting for the workspace has already fired: look, don't only listen.
    if (token.isCancellationRequested) controller.abort(new Error('cancelled'));
    const cancel = token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
    try {
      return await queue.run(async () => {
        controller.signal.throwIfAborted();
        setStatus({ state: 'reviewing', message: `Reviewing the ${describeScope(scope, params.base)}` });
        progress.begin(`Diffwise: reviewing the ${describeScope(scope, params.base)}`, undefined, undefined, true);
        try {
          const cacheLimits = await pullCacheLimits(ready.repo.root);
          const llm = { settings: await pullLlmSettings(ready.repo.root), overBudget: params.overBudget === true };
          const learning = await pullLearningSettings(ready.repo.root);
          const document = await ready.review({
            scope, base: params.base, trigger: params.trigger ?? 'editor', cacheLimits, llm, learning, showSuppressed: true, signal: controller.signal,
            coChange: await pullCoChangeSettings(repositorySettings, ready.repo.root),
            onStage: (stage) => progress.report(stage),
          });
          // Diagnostics go on the lines the editor shows: the work tree's, not HEAD's or the index's.
          lastReview = { run: document.run, findings: await ready.anchorToWorkTree(document) };
          try {
            ready.rememberLastReview(lastReview);
          } catch (error) {
            log.warn({ reviewId: document.run.id, err: error }, `could not keep the last review for after a restart: ${(error as Error).message}`);
          }
          root = ready.repo.root;
          trackLastReview();
          void alerts.afterReview(ready);
          await pullHiddenBySettings();
          publishAll();
          void connection.sendNotification(LastReviewChangedNotification.type, { runId: document.run.id, cause: 'review' });
          setStatus({ state: 'idle', message: 'Ready', lastReview: { scope, findings: countBySeverity(shownNow()), durationMs: document.run.durationMs } });
          // The run's own line and a line per stage come from reviewLogSink as it is recorded; these are what only the editor's review adds.
          const reviewLog = log.child({ reviewId: document.run.id });
          const llmSummary = llmLine(document);
          if (llmSummary) reviewLog.info({ stage: 'llm' }, llmSummary.trim());
          for (const skipped of document.run.skipped) reviewLog.info({ file: skipped.file }, `skipped ${skipped.file}: ${skipped.detail}`);
          return params.showSuppressed ? document : { ...document, findings: document.findings.filter((finding) => !finding.suppressed) };
        } finally {
          progress.done();
        }
      });
    } catch (error) {
      // A review that threw (an unknown base) was recorded as failed all the same: the alerts count it.
      if (!controller.signal.aborted) void alerts.afterReview(ready);
      setStatus({ state: 'idle', message: controller.signal.aborted ? 'Review cancelled' : 'Review failed' });
      if (controller.signal.aborted) throw new ResponseError(REQUEST_CANCELLED, 'The review was cancelled');
      throw new ResponseError(REQUEST_FAILED, (error as Error).message);
    } finally {
      cancel.dispose();
    }
  }

  /** Publishes every file's diagnostics, and clears those of files that had some and have none now. */
  function publishAll(): void {
    const byUri = diagnosticsByUri(root, shownNow(), lineLengthOf);
    for (const uri of published) if (!byUri.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    published = new Set(byUri.keys());
    for (const [uri, diagnostics] of byUri) void connection.sendDiagnostics({ uri, diagnostics });
  }

  /** Publishes one file's diagnostics (after an edit: the other files did not change). */
  function publishFile(uri: string): void {
    const diagnostics = diagnosticsByUri(root, shownNow(uri), lineLengthOf).get(uri) ?? [];
    if (diagnostics.length) published.add(uri);
    else published.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics });
  }

  /**
   * After a vote, an ignore, an unignore or an edit that took findings away or brought
   * them back: the status bar's counts are the diagnostics shown, so that it and the
   * Problems panel agree, and the feedback panel re-reads the review.
   */
  function findingsChanged(cause: LastReviewChangedParams['cause']): void {
    if (status.lastReview) setStatus({ lastReview: { ...status.lastReview, findings: countBySeverity(shownNow()) } });
    void connection.sendNotification(LastReviewChangedNotification.type, { runId: lastReview?.run.id ?? '', cause });
  }

  /** Which findings `diffwise.review.severities` leaves out, pulled per file now. */
  async function pullHiddenBySettings(): Promise<void> {
    const all = lastReview?.findings ?? [];
    const shown = new Set((await shownFindings(root, all)).map((finding) => finding.id));
    hiddenBySettings = new Set(all.filter((finding) => !finding.suppressed && !shown.has(finding.id)).map((finding) => finding.id));
  }

  /**
   * The findings the user wants as diagnostics: never the ones learning suppressed
   * (the feedback panel lists those), and only the `diffwise.review.severities`,
   * pulled per file through workspace/configuration (never kept in a global, so a
   * folder's setting applies to its files). Clients without it see every severity.
   */
  async function shownFindings(repoRoot: string, all: readonly Finding[]): Promise<Finding[]> {
    const findings = all.filter((finding) => !finding.suppressed);
    if (!supportsConfiguration || findings.length === 0) return findings;
    const files = [...new Set(findings.map((finding) => finding.file))];
    const settings = (await connection.workspace.getConfiguration(files.map((file) => ({ scopeUri: fileUri(repoRoot, file), section: 'diffwise.review.severities' })))) as unknown[];
    const allowed = new Map(files.map((file, i) => [file, Array.isArray(settings[i]) ? new Set(settings[i] as Severity[]) : undefined]));
    return findings.filter((finding) => allowed.get(finding.file)?.has(finding.severity) ?? true);
  }

  /**
   * One `diffwise.*` section as the client holds it for the repository (values
   * unchecked: a settings file may hold anything); null when unset, undefined for
   * a client without workspace/configuration.
   */
  async function repositorySettings<K extends string>(repoRoot: string, section: string): Promise<Partial<Record<K, unknown>> | null | undefined> {
    if (!supportsConfiguration) return undefined;
    const [settings] = (await connection.workspace.getConfiguration([{ scopeUri: pathToFileURL(repoRoot).toString(), section }])) as Array<Partial<Record<K, unknown>> | null>;
    return settings;
  }

  /** `diffwise.cache.*`, pulled for the repository at each review; the environment's limits otherwise. */
  async function pullCacheLimits(repoRoot: string): Promise<CacheLimits | undefined> {
    const settings = await repositorySettings<'maxSizeMb' | 'maxAgeDays'>(repoRoot, 'diffwise.cache');
    if (settings === undefined) return undefined;
    const positive = (value: unknown) => (typeof value === 'number' && value > 0 ? value : undefined);
    const defaults = cacheLimitsFromEnvironment();
    const sizeMb = positive(settings?.maxSizeMb);
    const ageDays = positive(settings?.maxAgeDays);
    return { maxBytes: sizeMb ? sizeMb * 1024 * 1024 : defaults.maxBytes, maxAgeMs: ageDays ? ageDays * 86_400_000 : defaults.maxAgeMs };
  }

  /** `diffwise.llm.*`, pulled for the repository at each review, so a changed setting applies without a restart. */
  async function pullLlmSettings(repoRoot: string): Promise<LlmRequest['settings']> {
    const settings = await repositorySettings<keyof LlmEditorSettings>(repoRoot, 'diffwise.llm');
    if (settings === undefined) return undefined;
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return {
      enabled: settings?.enabled === false ? false : undefined,
      baseUrl: text(settings?.baseUrl),
      model: text(settings?.model),
      monthlyBudgetUsd: typeof settings?.monthlyBudgetUsd === 'number' && settings.monthlyBudgetUsd >= 0 ? settings.monthlyBudgetUsd : undefined,
    };
  }

  /** `diffwise.learning.*`, pulled for the repository at each review. */
  async function pullLearningSettings(repoRoot: string): Promise<Partial<LearningSettings> | undefined> {
    const settings = await repositorySettings<keyof LearningSettings>(repoRoot, 'diffwise.learning');
    if (settings === undefined) return undefined;
    const share = (value: unknown) => (typeof value === 'number' && value >= 0 && value <= 1 ? value : undefined);
    const count = (value: unknown, min: number) => (typeof value === 'number' && Number.isInteger(value) && value >= min ? value : undefined);
    return {
      enabled: typeof settings?.enabled === 'boolean' ? settings.enabled : undefined,
      minVotes: count(settings?.minVotes, 1),
      demoteBelow: share(settings?.demoteBelow),
      suppressBelow: share(settings?.suppressBelow),
      similarity: share(settings?.similarity),
      promptExamples: count(settings?.promptExamples, 0),
    };
  }

  /**
   * Records a vote, then shows its effect at once: a finding voted down leaves
   * the diagnostics; one voted up comes back if learning had hidden it.
   */
  async function vote(params: VoteParams): Promise<FeedbackRecord> {
    if (typeof params?.findingId !== 'string' || !['up', 'down', 'clear'].includes(params.vote)) {
      throw new ResponseError(REQUEST_FAILED, 'a vote needs a finding id and "up", "down" or "clear"');
    }
    if (params.reason !== undefined && typeof params.reason !== 'string') throw new ResponseError(REQUEST_FAILED, 'a vote\'s reason must be text');
    const ready = await workspaceForRequest();
    let record: FeedbackRecord;
    try {
      record = ready.vote({ findingId: params.findingId, vote: params.vote, reason: params.reason });
    } catch (error) {
      throw new ResponseError(REQUEST_FAILED, (error as Error).message);
    }
    log.info({ findingId: record.findingId, vote: record.vote, ruleId: record.ruleId }, `vote ${record.vote} on ${record.findingId} (${record.ruleId} in ${record.file})${record.reason ? `: ${record.reason}` : ''}`);
    if (lastReview?.findings.some((finding) => finding.id === record.findingId)) {
      // An ignored finding stays ignored whatever the vote.
      const voted = (finding: Finding) => (finding.ignored ? { ...withVote(finding, record), ignored: true, suppressed: true } : withVote(finding, record));
      lastReview = { ...lastReview, findings: lastReview.findings.map((finding) => (finding.id === record.findingId ? voted(finding) : finding)) };
      await pullHiddenBySettings();
      publishAll();
    }
    // Always: a panel showing the review remembered from before a restart re-reads it with this vote.
    findingsChanged('feedback');
    return record;
  }

  /** "Ignore this finding": off the diagnostics at once, and listed as ignored in the panel (where Unignore is). */
  async function ignoreFinding(findingId: unknown): Promise<void> {
    const finding = lastReview?.findings.find((candidate) => candidate.id === findingId && !candidate.ignored);
    if (!lastReview || !finding) throw new ResponseError(REQUEST_FAILED, `no finding ${String(findingId)} in the last review`);
    (await workspaceForRequest()).ignoreFinding(finding);
    lastReview = { ...lastReview, findings: lastReview.findings.map((candidate) => (candidate === finding ? { ...candidate, ignored: true, suppressed: true } : candidate)) };
    publishAll();
    findingsChanged('feedback');
    log.info({ findingId: finding.id, ruleId: finding.ruleId }, `ignored finding ${finding.id} (${finding.ruleId} in ${finding.file})`);
  }

  /** "Unignore": the finding is reported again, in later reviews and, when it is in the last one, at once. */
  async function unignoreFinding(findingId: unknown): Promise<boolean> {
    if (typeof findingId !== 'string') throw new ResponseError(REQUEST_FAILED, 'unignoring needs a finding id');
    const ready = await workspaceForRequest();
    const wasIgnored = ready.unignoreFinding(findingId);
    const finding = lastReview?.findings.find((candidate) => candidate.id === findingId && candidate.ignored);
    if (!wasIgnored && !finding) throw new ResponseError(REQUEST_FAILED, `finding ${findingId} is not ignored`);
    if (lastReview && finding) {
      // Still suppressed when learning (or a vote down) had suppressed it anyway.
      const { ignored: _ignored, suppressed: _suppressed, ...rest } = finding;
      const unignored: Finding = finding.learned === 'suppressed' ? { ...rest, suppressed: true } : rest;
      lastReview = { ...lastReview, findings: lastReview.findings.map((candidate) => (candidate === finding ? unignored : candidate)) };
      await pullHiddenBySettings();
      publishAll();
    }
    findingsChanged('feedback');
    log.info({ findingId }, `unignored finding ${findingId}`);
    return true;
  }

  const shownIn = (uri: string) => shownNow().filter((finding) => fileUri(root, finding.file) === uri);
  connection.onCodeAction((params) => {
    const findings = new Map(shownIn(params.textDocument.uri).map((finding) => [finding.id, finding]));
    return codeActionsFor(params.textDocument.uri, params.context.diagnostics, findings);
  });
  connection.onHover((params) => hoverFor(root, params.position, shownIn(params.textDocument.uri), lineLengthOf(params.textDocument.uri)));

  connection.onExecuteCommand(async (params, token, workDone) => {
    if (params.command === IGNORE_FINDING_COMMAND) return ignoreFinding(params.arguments?.[0]);
    if (params.command === UNIGNORE_FINDING_COMMAND) return unignoreFinding(params.arguments?.[0]);
    if (params.command === VOTE_FINDING_COMMAND) {
      const [findingId, kind, reason] = (params.arguments ?? []) as [string, VoteParams['vote'], string | undefined];
      return vote({ findingId, vote: kind, reason });
    }
    if (params.command !== REVIEW_COMMAND) throw new ResponseError(REQUEST_FAILED, `unknown command: ${params.command}`);
    const [args] = (params.arguments ?? []) as [ReviewParams | undefined];
    return review(args ?? { scope: 'working' }, token, workDone);
  });
  connection.onRequest(ReviewRequest.type, (params, token) => review(params, token, connection.window.attachWorkDoneProgress(params.workDoneToken)));

  connection.onRequest(FeedbackRequest.type, (params) => vote(params));
  connection.onRequest(ImpactRequest.type, impactHandler(workspaceForRequest, () => lastReview));
  // After a restart, the last review an editor showed comes from the database, with the votes cast since.
  connection.onRequest(LastReviewRequest.type, async () => (lastReview ? { ...lastReview, findings: currentFindings() } : (await workspaceForRequest()).lastReview() ?? null));
  connection.onRequest(MetricsRequest.type, async (params) => {
    const ready = await workspaceForRequest();
    if (params?.since !== undefined && Number.isNaN(Date.parse(params.since))) throw new ResponseError(REQUEST_FAILED, `since must be an ISO time (got ${params.since})`);
    return ready.metrics(params?.since, { settings: await pullLlmSettings(ready.repo.root) });
  });
  connection.onRequest(LearnedRequest.type, async () => {
    const ready = await workspaceForRequest();
    return ready.learned(await pullLearningSettings(ready.repo.root));
  });
  connection.onRequest(LearnedTransferRequest.type, async (params) => {
    const ready = await workspaceForRequest();
    if (params?.direction !== 'export' && params?.direction !== 'import') throw new ResponseError(REQUEST_FAILED, 'direction must be "export" or "import"');
    if (params.file !== undefined && typeof params.file !== 'string') throw new ResponseError(REQUEST_FAILED, 'file must be a path');
    try {
      return params.direction === 'export' ? await ready.exportLearned(params.file) : await ready.importLearned(params.file);
    } catch (error) {
      throw new ResponseError(REQUEST_FAILED, (error as Error).message);
    }
  });

  // Pull-request comments: the token is the daemon's GITHUB_TOKEN (the editor puts its GitHub session there), never a message.
  const gitHubAccess = async (repoRoot: string) => {
    const settings = await repositorySettings<'apiUrl'>(repoRoot, 'diffwise.github');
    return { apiUrl: typeof settings?.apiUrl === 'string' && settings.apiUrl.trim() ? settings.apiUrl.trim() : undefined };
  };
  const gitHubRequest = async <T>(work: (ready: Workspace, access: { apiUrl?: string }) => Promise<T>): Promise<T> => {
    const ready = await workspaceForRequest();
    try {
      return await work(ready, await gitHubAccess(ready.repo.root));
    } catch (error) {
      throw new ResponseError(REQUEST_FAILED, (error as Error).message);
    }
  };
  connection.onRequest(PrSyncRequest.type, () => gitHubRequest(async (ready, access) => {
    const result = await ready.pullRequests.sync(access);
    log.info({ stage: 'github', pull: result.pull.number, requests: result.requests }, `pull request #${result.pull.number}: ${result.comments} comment(s), ${result.newComments} new, ${result.updatedComments} updated; ${result.requests} request(s), ${result.notModified} not modified`);
    void connection.sendNotification(PrCommentsChangedNotification.type, { pullNumber: result.pull.number });
    return result;
  }));
  connection.onRequest(PrPublishRequest.type, (params) => gitHubRequest(async (ready, access) => {
    const learning = await pullLearningSettings(ready.repo.root);
    const llm = { settings: await pullLlmSettings(ready.repo.root) };
    // The review it runs writes to the database like any other: one job at a time.
    const result = await queue.run(() => ready.publishToPullRequest({ access, dryRun: params?.dryRun === true, llm, learning }));
    log.info({ stage: 'github', pull: result.pull.number }, `published to #${result.pull.number}: ${result.posted} new, ${result.updated} edited, ${result.skipped} skipped, ${result.outsideDiff} outside the diff`);
    void connection.sendNotification(PrCommentsChangedNotification.type, { pullNumber: result.pull.number });
    return result;
  }));
  connection.onRequest(PrVoteRequest.type, (params) => gitHubRequest(async (ready, access) => {
    if (typeof params?.commentId !== 'number' || !['up', 'down', 'clear'].includes(params.vote)) throw new Error('a vote needs a comment id and "up", "down" or "clear"');
    const record = await ready.votePrComment({ commentId: params.commentId, vote: params.vote, reason: typeof params.reason === 'string' ? params.reason : undefined, react: params.react === true }, access);
    log.info({ commentId: params.commentId, vote: record.vote, ruleId: record.ruleId }, `vote ${record.vote} on pull-request comment ${params.commentId} (${record.ruleId})`);
    return record;
  }));
  connection.onRequest(PrCommentsRequest.type, () => gitHubRequest((ready, access) => ready.pullRequests.comments(access)));
  connection.onRequest(PrReplyRequest.type, (params) => gitHubRequest(async (ready, access) => {
    if (typeof params?.commentId !== 'number' || typeof params.body !== 'string') throw new Error('a reply needs a comment id and a body');
    const reply = await ready.pullRequests.reply(params.commentId, params.body, access);
    void connection.sendNotification(PrCommentsChangedNotification.type, { pullNumber: 0 });
    return reply;
  }));
  connection.onRequest(PrResolveRequest.type, (params) => gitHubRequest(async (ready, access) => {
    if (typeof params?.threadId !== 'string' || typeof params.resolved !== 'boolean') throw new Error('resolving needs a thread id and resolved: true or false');
    const result = await ready.pullRequests.resolve(params.threadId, params.resolved, access);
    void connection.sendNotification(PrCommentsChangedNotification.type, { pullNumber: 0 });
    return result;
  }));

  // Outside the work queue: it only reads (the database read-only), and should answer while a review runs.
  connection.onRequest(HealthRequest.type, async (params) => {
    const opened = await workspace?.catch(() => undefined);
    const repoRoot = opened?.repo.root ?? workspaceDir;
    const [llm, github] = await Promise.all([pullLlmSettings(repoRoot), gitHubAccess(repoRoot)]);
    return runHealthChecks({
      dir: workspaceDir, dbPath: options.dbPath, trusted: typeof params?.trusted === 'boolean' ? params.trusted : undefined,
      llm: llm && { baseUrl: llm.baseUrl, model: llm.model, monthlyBudgetUsd: llm.monthlyBudgetUsd, enabled: llm.enabled }, githubApiUrl: github.apiUrl,
    });
  });

  connection.onRequest(ReindexRequest.type, async () => {
    const ready = await workspaceForRequest();
    return queue.run(() => indexWorkspace(ready));
  });

  connection.onShutdown(async () => {
    clearTimeout(debounce);
    // Let a running job finish its transaction before the database closes.
    await queue.run(async () => (await workspace?.catch(() => undefined))?.close());
    // The events still being sent go before the exit that follows (2 s at most).
    await flushSentry();
    // And the spans still queued for the collector (2 s at most).
    await traces?.exporter.shutdown();
    await log.flush();
  });

  connection.listen();
  log.info({ version: typeof DIFFWISE_VERSION === 'string' ? DIFFWISE_VERSION : '0.0.0-dev', pid: process.pid }, 'daemon started');
}

/** A finding without its columns: a placement of whole lines must not keep the review's. */
function withoutPlacement(finding: Finding): Finding {
  const { column: _column, endColumn: _endColumn, ...rest } = finding;
  return rest;
}

function parseScope(params: ReviewParams): ReviewScope {
  const scope = params?.scope;
  if (scope !== 'working' && scope !== 'staged' && scope !== 'branch') {
    throw new ResponseError(REQUEST_FAILED, `scope must be "working", "staged" or "branch" (got ${JSON.stringify(scope)})`);
  }
  if (scope === 'branch' && !params.base) throw new ResponseError(REQUEST_FAILED, 'a branch review needs a base ref');
  return scope;
}

function describeScope(scope: ReviewScope, base: string | undefined): string {
  return scope === 'branch' ? `branch since ${base}` : scope === 'staged' ? 'staged changes' : 'working tree';
}


declare const DIFFWISE_VERSION: string;

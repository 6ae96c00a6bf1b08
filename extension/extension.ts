/**
 * The extension's entry: wires the config, the log, the daemon client, the
 * status bar and the commands together. Everything disposable goes into
 * `context.subscriptions`; `deactivate` stops the daemon.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AlertsNotification, LastReviewRequest, ReviewRequest, type ReviewParams } from '../shared/protocol';
import type { ReviewDocument } from '../shared/review';
import { showAlerts } from './alerts';
import { branchChoices, branchItems, LAST_BASE_KEY } from './branchPicker';
import { registerCommands } from './commands';
import { Config } from './config';
import { ContextKeys, type ContextKey } from './contextKeys';
import { checkNode, createClient } from './daemon';
import { daemonEnvironment, LLM_API_KEY_SECRET } from './daemonEnv';
import { FeedbackViewProvider } from './feedbackView';
import { GITHUB_PROVIDER, githubSessionToken, signInToGitHub } from './githubAuth';
import { requestHealth, runHealthCheckCommand, type HealthCheckDeps } from './healthCheck';
import { ImpactLensProvider, type ImpactLensEntry } from './impactLens';
import { ImpactPanel, type ImpactPanelState } from './impactPanel';
import { MetricsPanel } from './metricsPanel';
import { PrComments, type PrThreadInfo } from './prComments';
import { PrSync } from './prSync';
import { StatusBar, type StatusBarState } from './statusBar';
import { Votes } from './voting';

let client: LanguageClient | undefined;

/** What the extension exports to other extensions (and to its tests). */
export interface DiffwiseApi {
  /** How long activation took, daemon start included, in milliseconds. */
  activationMs: number;
  /**
   * Runs a review without any UI and returns its document; cancelling the token
   * cancels the work in the daemon (the promise then rejects).
   */
  review(params: ReviewParams, token?: vscode.CancellationToken): Promise<ReviewDocument>;
  /**
   * The last review as the feedback panel shows it (`diffwise/lastReview`): the
   * findings learning suppressed included, marked `suppressed`, each with its vote.
   * Null before the first review since the daemon started.
   */
  lastReview(): Promise<ReviewDocument | null>;
  /**
   * The pull request's comment threads shown now (after a sync, or what the daemon had
   * stored): each with its file, its 1-based last line in the working tree (null when
   * outdated), whether it is resolved, its comments' markdown, and the CommentThread
   * that the Reply/Resolve commands take.
   */
  prThreads(): PrThreadInfo[];
  /** What Diffwise's one status bar item shows now (VS Code has no API to read the status bar). */
  statusBar(): StatusBarState;
  /** The context keys the extension set for the menus' `when` clauses (VS Code cannot read them back). */
  contextKeys(): Record<ContextKey, boolean>;
  /** The rows Review Branch… would offer now, separators included. */
  branchPickerItems(): Promise<vscode.QuickPickItem[]>;
  /** What the impact view shows now (its change, the document it was sent, the files it opened). */
  impactPanel(): ImpactPanelState;
  /** The "N dependents, M tests" lenses of the last review's changed exports. */
  impactLenses(): ImpactLensEntry[];
}

export async function activate(context: vscode.ExtensionContext): Promise<DiffwiseApi> {
  const started = performance.now();
  const config = new Config();
  const log = vscode.window.createOutputChannel('Diffwise', { log: true });
  const trace = vscode.window.createOutputChannel('Diffwise LSP Trace', { log: true });
  const statusBar = new StatusBar();
  const contextKeys = new ContextKeys();
  const votes = new Votes(() => client, log);
  const feedbackView = new FeedbackViewProvider(context.extensionUri, () => client, votes, log);
  const metricsPanel = new MetricsPanel(context.extensionUri, () => client, log);
  const prComments = new PrComments(() => client, log);
  const impactPanel = new ImpactPanel(context, config, () => client, log);
  const impactLenses = new ImpactLensProvider(() => client, log);
  context.subscriptions.push(impactPanel, impactLenses,
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, impactLenses),
    vscode.window.registerWebviewPanelSerializer(ImpactPanel.viewType, { deserializeWebviewPanel: async (panel) => impactPanel.adopt(panel) }));
  context.subscriptions.push(log, trace, statusBar, feedbackView, metricsPanel, prComments,
    vscode.window.registerWebviewViewProvider(FeedbackViewProvider.viewId, feedbackView),
    vscode.window.registerWebviewPanelSerializer(MetricsPanel.viewType, { deserializeWebviewPanel: async (panel) => metricsPanel.adopt(panel) }));
  /** The webviews refetch, or say the daemon is not running. */
  const daemonChanged = () => {
    feedbackView.daemonChanged(client !== undefined);
    metricsPanel.daemonChanged(client !== undefined);
    impactPanel.daemonChanged(client !== undefined);
    void impactLenses.refresh();
  };

  /** What the daemon would be started with now: the stored key, the GitHub session, the workspace's trust. */
  const environment = async () => {
    let key: string | undefined;
    try {
      key = await context.secrets.get(LLM_API_KEY_SECRET);
    } catch (error) {
      // A keyring that cannot be read (a Linux desktop without one) must not keep the static review from starting.
      log.warn(`could not read the LLM API key from the secret storage: ${(error as Error).message}`);
    }
    // Not even looked up in an untrusted workspace: no token goes to its daemon anyway.
    const githubToken = vscode.workspace.isTrusted ? await githubSessionToken(log) : undefined;
    return daemonEnvironment(process.env, key, vscode.workspace.isTrusted, githubToken);
  };
  let clientFingerprint: string | undefined;
  const healthDeps: HealthCheckDeps = { client: () => client, log, onReport: (report) => statusBar.showHealth(report) };

  const start = async () => {
    try {
      log.info(`starting the daemon with ${config.nodePath} (${await checkNode(config.nodePath)})`);
    } catch (error) {
      statusBar.show({ state: 'error', message: (error as Error).message });
      const choice = await vscode.window.showErrorMessage((error as Error).message, 'Open Settings');
      if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'diffwise.server.nodePath');
      return;
    }
    const { env, fingerprint } = await environment();
    client = createClient(context, config, env, log, trace, (status) => {
      statusBar.show(status);
      // The daemon's counts are there once it has a review; a restarted daemon has none.
      void contextKeys.set('diffwise.hasLastReview', status.lastReview !== undefined);
    }, (params) => {
      feedbackView.lastReviewChanged(params);
      metricsPanel.lastReviewChanged(params);
      impactPanel.lastReviewChanged(params);
      if (params.cause === 'review') void impactLenses.refresh();
    }, votes.middleware, () => void prComments.refresh());
    clientFingerprint = fingerprint;
    context.subscriptions.push(client.onNotification(AlertsNotification.type, (report) => showAlerts(report, log)));
    await client.start();
    await contextKeys.set('diffwise.daemonRunning', true);
    daemonChanged();
    prSync.daemonStarted();
    // Once, quietly: the status bar shows a degraded setup without the user asking.
    void requestHealth(healthDeps);
  };
  const stop = async () => {
    await client?.stop().catch((error: Error) => log.warn(`stopping the daemon: ${error.message}`));
    client?.dispose();
    client = undefined;
    await contextKeys.set('diffwise.daemonRunning', false);
    await contextKeys.set('diffwise.hasLastReview', false);
    daemonChanged();
  };

  // One start or stop at a time. Setting the key in this window fires both the command's
  // refresh and SecretStorage's onDidChange; unserialised, two restarts could interleave
  // and leave a second daemon running that no client stops.
  let lifecycle: Promise<void> = Promise.resolve();
  const serially = (operation: () => Promise<void>): Promise<void> => (lifecycle = lifecycle.catch(() => undefined).then(operation));
  const restart = () => serially(async () => {
    await stop();
    await start();
  });
  /** Restarts the daemon when the key or the trust it was started with no longer holds; otherwise does nothing. */
  const refreshEnvironment = (reason: string) => serially(async () => {
    // Not running (no usable Node): the next start reads the key and the trust anyway.
    if (!client) return;
    if ((await environment()).fingerprint === clientFingerprint) return;
    log.info(`restarting the daemon: ${reason}`);
    await stop();
    await start();
  });
  const refreshQuietly = (reason: string) => void refreshEnvironment(reason).catch((error: Error) => log.error(`restarting the daemon: ${error.message}`));
  const signIn = () => signInToGitHub(log, refreshEnvironment);
  const prSync = new PrSync({ client: () => client, log, config, comments: prComments, signIn, busy: (label, work) => statusBar.busy(label, work) });
  context.subscriptions.push(prSync);

  context.subscriptions.push(
    ...registerCommands({ context, config, client: () => client, log, restart, refreshEnvironment, onReviewed: (run) => statusBar.showRun(run),
      votes, showMetrics: () => metricsPanel.show(), runHealthCheck: () => runHealthCheckCommand(healthDeps), showImpact: (params) => impactPanel.show(params), prComments, prSync, signInToGitHub: signIn, contextKeys }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!config.needsRestart(event)) return;
      const choice = await vscode.window.showInformationMessage('Diffwise: the daemon must restart for this setting to apply.', 'Restart Now');
      if (choice) await restart();
    }),
    // Until now the daemon ran without the key and with DIFFWISE_LLM=untrusted.
    vscode.workspace.onDidGrantWorkspaceTrust(() => refreshQuietly('the workspace is now trusted')),
    // Another window may have set or cleared the key (this window's own change finds the daemon up to date).
    context.secrets.onDidChange((event) => {
      if (event.key === LLM_API_KEY_SECRET) refreshQuietly('the LLM API key changed');
    }),
    // Signed in or out of GitHub, here or in the Accounts menu: the daemon's token follows.
    vscode.authentication.onDidChangeSessions((event) => {
      if (event.provider.id === GITHUB_PROVIDER) refreshQuietly('the GitHub session changed');
    }),
    // The daemon places the threads on the saved files: re-read after a save.
    vscode.workspace.onDidSaveTextDocument(() => {
      if (prComments.pull) void prComments.refresh();
    }),
  );
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  context.subscriptions.push(...await contextKeys.track(context.secrets, folder, log));
  await serially(start);
  const activationMs = Math.round(performance.now() - started);
  log.info(`activated in ${activationMs} ms`);
  return {
    activationMs,
    review: async (params, token) => {
      if (!client) throw new Error('the Diffwise daemon is not running');
      const document = await client.sendRequest(ReviewRequest.type, params, token);
      statusBar.showRun(document.run);
      return document;
    },
    lastReview: async () => {
      if (!client) throw new Error('the Diffwise daemon is not running');
      return client.sendRequest(LastReviewRequest.type, {});
    },
    prThreads: () => prComments.list(),
    statusBar: () => statusBar.state,
    contextKeys: () => contextKeys.snapshot(),
    branchPickerItems: async () => (folder
      ? branchItems(await branchChoices(folder, config.defaultBase, context.workspaceState.get<string>(LAST_BASE_KEY), log))
      : []),
    impactPanel: () => impactPanel.state(),
    impactLenses: () => impactLenses.list(),
  };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

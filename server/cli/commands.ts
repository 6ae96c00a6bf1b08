/**
 * The terminal front end's commands: each calls the same core the editor uses,
 * prints, and maps the outcome to an exit code. Loaded by main.ts only for a
 * command that needs it (its own bundle, dist/commands.js), so that `--help`,
 * `--version` and usage errors start in the time Node itself takes.
 */
import { SEVERITY_RANK, type ReviewDocument } from '../../shared/review';
import { toSarif } from '../report/sarif';
import { metricsText } from '../report/metricsText';
import { healthText } from '../report/healthText';
import { runHealthChecks } from '../health/healthReport';
import { errorsText } from '../report/errorsText';
import { flushSentry, sentrySink } from '../observability/sentry';
import { createLogger } from '../observability/logger';
import { cliLogLevel } from '../observability/logSettings';
import { allSinks, reviewLogSink } from '../observability/logSinks';
import { otlpTraceSink, stderrDebug } from '../observability/otelExport';
import { printablePath, stageLabel, toText } from '../report/text';
import { parseDuration } from '../metrics/metrics';
import { STATIC_RULES } from '../review/rules';
import { LLM_RULES } from '../llm/prompt';
import { storeErrorOf } from '../store/database';
import { feedbackText, learnedText } from '../report/feedbackText';
import { FeedbackError, Workspace } from '../workspace';
import { ignoredText } from '../report/ignoredText';
import { prCommentsText, prPublishText, prSyncText } from '../report/prText';
import type { Command, FailOn } from './args';
import { runGraph, runImpact } from './impactCommands';
import { alertAfterReview, runAlerts } from './alertsCommand';

declare const DIFFWISE_VERSION: string;
const VERSION = typeof DIFFWISE_VERSION === 'string' ? DIFFWISE_VERSION : '0.0.0-dev';

/** Runs one command (not `help` or `version`, which main.ts answers itself); resolves to the exit code. */
export async function runCommand(command: Exclude<Command, { name: 'help' | 'version' }>): Promise<number> {
  switch (command.name) {
    case 'serve': {
      // stdout belongs to the protocol from here on: nothing else may print to it. The LSP
      // stack (the server, its protocol, shared/protocol.ts's message types) is imported here,
      // not above, so that no other command initialises it: the bundler defers a module
      // imported only this way until this line (and dist/lib/lsp.js is loaded only then).
      const [{ startServer }, { createConnection, ProposedFeatures }, { daemonLogger }] = await Promise.all([import('../lsp/server'), import('vscode-languageserver/node'), import('../lsp/lspLogDestination')]);
      const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
      startServer(connection, { dbPath: command.db, logger: await daemonLogger(connection, command.log) });
      return new Promise<number>(() => undefined);
    }
    case 'server':
    case 'worker': {
      // The team service (its HTTP server, PostgreSQL, the queue) is imported only here, as the
      // LSP stack is for serve: no other command loads it. Resolves when the process shuts down.
      const { runService } = await import('../service/main');
      return runService(command, VERSION);
    }
    case 'metrics':
      return withWorkspace(command, { readOnly: true }, async (workspace) => {
        const since = command.since ? new Date(Date.now() - parseDuration(command.since)).toISOString() : undefined;
        const metrics = workspace.metrics(since);
        print(command.json, metrics, (value) => metricsText(value, command.since));
        return 0;
      });
    case 'errors':
      return withWorkspace(command, { readOnly: true }, async (workspace) => {
        const { errors } = workspace.metrics();
        print(command.json, { errors }, (value) => errorsText(value.errors));
        return 0;
      });
    case 'doctor': {
      // Not through a Workspace: opening one migrates, sets a corrupt file aside and fails
      // outside a repository; the doctor reports those states, never changes or dies of them.
      const report = await runHealthChecks({ dir: command.repo, dbPath: command.db });
      print(command.json, report, healthText);
      return report.status === 'error' ? 1 : 0;
    }
    case 'alerts':
      // Not read-only: evaluating records which alerts fire, so that each is told once.
      return withWorkspace(command, {}, (workspace) => runAlerts(workspace, command.json, process.env));
    case 'feedback':
      return withWorkspace(command, {}, async (workspace) => {
        const record = workspace.vote({ findingId: command.findingId, vote: command.vote, reason: command.reason });
        print(command.json, record, (vote) => {
          const what = { up: 'helpful', down: 'not helpful: it will not be reported again at this code', clear: 'vote withdrawn' }[vote.vote];
          return `${vote.findingId.slice(0, 8)} (${vote.ruleId}, ${vote.file}:${vote.line}): ${what}\n`;
        });
        return 0;
      });
    case 'feedback-list':
      return withWorkspace(command, { readOnly: true }, async (workspace) => {
        const votes = workspace.feedbackHistory();
        print(command.json, votes, feedbackText);
        return 0;
      });
    case 'ignored':
      return withWorkspace(command, { readOnly: true }, async (workspace) => {
        print(command.json, workspace.ignoredFindings(), ignoredText);
        return 0;
      });
    case 'ignore':
      return withWorkspace(command, {}, async (workspace) => {
        const finding = workspace.ignoreFindingById(command.findingId);
        print(command.json, { ignored: finding }, () => `${finding.id.slice(0, 8)} (${finding.ruleId}, ${printablePath(finding.file)}:${finding.line}): ignored; diffwise unignore ${finding.id.slice(0, 8)} reports it again\n`);
        return 0;
      });
    case 'unignore':
      return withWorkspace(command, {}, async (workspace) => {
        // Read before: once unignored, the finding is no longer there to name.
        const wanted = command.findingId.trim().toLowerCase();
        const before = workspace.ignoredFindings().filter((ignored) => ignored.id.startsWith(wanted));
        if (!workspace.unignoreFinding(command.findingId)) {
          throw new FeedbackError(`no ignored finding has the id ${command.findingId} (diffwise ignored lists them)`);
        }
        const finding = before.find((ignored) => ignored.id === wanted) ?? before[0];
        print(command.json, { unignored: finding }, () => `${finding.id.slice(0, 8)} (${finding.ruleId}, ${printablePath(finding.file)}): no longer ignored; the next review reports it again\n`);
        return 0;
      });
    case 'learned':
      // Showing and exporting only read the database; importing writes it.
      return withWorkspace(command, { readOnly: command.transfer !== 'import' }, async (workspace) => {
        if (command.transfer === 'export') {
          const { file, votes } = await workspace.exportLearned(command.file);
          process.stdout.write(command.json ? `${JSON.stringify({ file, votes })}\n` : `Wrote ${votes} vote(s) to ${file}: commit it, and teammates run diffwise learned import\n`);
        } else if (command.transfer === 'import') {
          const { file, votes } = await workspace.importLearned(command.file);
          process.stdout.write(command.json ? `${JSON.stringify({ file, votes })}\n` : `Imported ${votes} new vote(s) from ${file}\n`);
        } else {
          const learned = workspace.learned();
          print(command.json, learned, learnedText);
        }
        return 0;
      });
    case 'pr':
      return withWorkspace(command, {}, async (workspace) => {
        if (command.action === 'sync') {
          const result = await workspace.pullRequests.sync();
          print(command.json, result, prSyncText);
        } else if (command.action === 'publish') {
          const result = await workspace.publishToPullRequest({ dryRun: command.dryRun, llm: { use: command.llm } });
          print(command.json, result, prPublishText);
        } else {
          const document = await workspace.pullRequests.comments();
          print(command.json, document, prCommentsText);
        }
        return 0;
      });
    case 'impact':
      return withWorkspace(command, {}, (workspace) => runImpact(workspace, command));
    case 'graph':
      return withWorkspace(command, {}, (workspace) => runGraph(workspace, command));
    case 'index':
      return withWorkspace(command, {}, async (workspace) => {
        const result = await workspace.index();
        // Counted after the pass (its own duration leaves the count out): a scan of the index's tables.
        const languages = workspace.indexTotalsByLanguage();
        if (command.json) process.stdout.write(`${JSON.stringify({ ...result, durationMs: Math.round(result.durationMs), maxRssBytes: process.resourceUsage().maxRSS * 1024, languages }, null, 2)}\n`);
        else {
          process.stdout.write(
            `Indexed ${result.files} files: ${result.symbols} symbols, ${result.imports} imports; ` +
              `${result.reparsed} re-parsed, ${result.removed} removed, ${result.skipped} skipped (too large or generated) in ${Math.round(result.durationMs)} ms\n`,
          );
          if (languages.length > 1) for (const totals of languages) process.stdout.write(`  ${totals.language}: ${totals.files} files, ${totals.symbols} symbols, ${totals.imports} imports\n`);
        }
        return 0;
      });
    case 'review':
      return withWorkspace(command, {}, async (workspace) => {
        let since: string | undefined;
        if (command.sinceLast && command.base) {
          const plan = await workspace.sinceLastReview(command.base);
          since = plan.since;
          // stderr: stdout may be JSON or SARIF that a tool parses.
          process.stderr.write(plan.since === undefined
            ? `diffwise: ${plan.reason}\n`
            : `diffwise: reviewing ${plan.commits.length} commit(s) since the last review (${plan.since.slice(0, 8)}, ${plan.lastReviewedAt}):\n${plan.commits.map((commit) => `  ${commit}\n`).join('')}`);
        }
        const document = await workspace.review({
          scope: command.scope, base: command.base, trigger: 'cli', useCache: command.cache, since,
          llm: { use: command.llm, overBudget: command.overBudget }, showSuppressed: command.showSuppressed,
          coChange: command.coChange ? undefined : { enabled: false },
        }).catch(async (error: unknown) => {
          // A review that throws (an unknown base) was recorded as failed all the same: the alerts count it.
          await alertAfterReview(workspace, process.env);
          throw error;
        });
        if (since !== undefined) process.stderr.write(`diffwise: that covered ${document.run.files} file(s)\n`);
        const budget = budgetNotice(document);
        if (budget) process.stderr.write(`diffwise: ${budget}\n`);
        process.stdout.write(render(document, command.format));
        // A failed run is exit 2 with its reason in one line, whatever the format: never a pass with less checked.
        if (document.run.status === 'failed') process.stderr.write(`diffwise: the review failed: ${failureOf(document)}\n`);
        await alertAfterReview(workspace, process.env);
        return exitCodeFor(document, command.failOn);
      });
  }
}

/** `--json`: the documented JSON document; otherwise the text for people. */
function print<T>(json: boolean, value: T, text: (value: T) => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text(value));
}

async function withWorkspace(command: Extract<Command, { repo: string }>, options: { readOnly?: boolean }, work: (workspace: Workspace) => Promise<number>): Promise<number> {
  // No logger (and no pino loaded) unless --log-level or --log-file asked for one: stderr stays the user's one-line errors.
  const logLevel = cliLogLevel(command.log);
  const logger = logLevel ? await createLogger({ component: 'cli', level: logLevel, file: command.log.file, rotateSize: command.log.rotateSize }) : undefined;
  const traces = otlpTraceSink(VERSION, { debug: logger ? (message) => logger.debug({ stage: 'otlp-export' }, message) : stderrDebug() });
  let workspace: Workspace;
  try {
    workspace = await Workspace.open({
      dir: command.repo, dbPath: command.db, readOnly: options.readOnly, onNotice: (message) => { logger?.warn({ command: command.name }, message); process.stderr.write(`diffwise: ${message}\n`); },
      onReviewRecorded: allSinks(sentrySink(VERSION), logger && reviewLogSink(logger), traces?.sink),
    });
  } catch (error) {
    // Not a repository, a database it cannot open: the log says so too, not only the user's one line.
    logger?.error({ command: command.name, err: error }, `diffwise ${command.name} failed`);
    await logger?.flush();
    throw error;
  }
  try {
    return await work(workspace);
  } catch (error) {
    logger?.error({ command: command.name, err: error }, `diffwise ${command.name} failed`);
    // A database that fails under a command (a full disk, a lock) is named with what to do.
    workspace.noteFailure(error);
    throw storeErrorOf(error, workspace.dbPath);
  } finally {
    workspace.close();
    // main.ts ends the process once the output is written: what Sentry and the collector are still
    // sent goes first, together, 2 s at most each (so two dead endpoints cost 2 s, not 4).
    await Promise.all([flushSentry(), traces?.exporter.flush()]);
    await logger?.flush();
  }
}

function render(document: ReviewDocument, format: 'text' | 'json' | 'sarif'): string {
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  if (format === 'sarif') return `${JSON.stringify(toSarif(document, [...STATIC_RULES, ...LLM_RULES], VERSION), null, 2)}\n`;
  return toText(document, { colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR });
}

/** A warning about the monthly LLM budget, for stderr; empty when there is nothing to say. */
function budgetNotice(document: ReviewDocument): string {
  const budget = document.run.llm?.budget;
  if (!budget?.warning) return '';
  const spent = `$${budget.spentUsd.toFixed(2)} of the $${budget.monthlyUsd.toFixed(2)} monthly LLM budget`;
  if (!budget.exhausted) return `${spent} spent (${Math.round((budget.spentUsd / budget.monthlyUsd) * 100)}%)`;
  const skipped = document.run.llm!.hunksOverBudget;
  return `${spent} spent: the budget is used up${skipped ? `, ${skipped} hunk(s) were not sent to the LLM (--over-budget to send them anyway)` : ''}`;
}

/** Why a failed run failed: the stage whose failure decided it, in one line. */
function failureOf(document: ReviewDocument): string {
  const errors = document.run.errors;
  const decisive = errors.find((error) => error.fatal) ?? errors[0];
  return decisive ? `${stageLabel(decisive.stage)}: ${decisive.message}` : 'no reason was recorded';
}

function exitCodeFor(document: ReviewDocument, failOn: FailOn): number {
  if (document.run.status === 'failed') return 2;
  if (failOn === 'never') return 0;
  return document.findings.some((finding) => !finding.suppressed && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}

/**
 * Command-line parsing for `diffwise`, on node's own `parseArgs`. Usage errors
 * throw UsageError with one line the user can act on (exit code 2).
 */
import { parseArgs } from 'node:util';
import type { ReviewScope, Severity, Vote } from '../../shared/review';
import { IMPACT_OPTIONS, IMPACT_USAGE, parseGraph, parseImpact, type GraphFormat } from './impactArgs';
import { logSettingsOf, type LogSettings } from '../observability/logSettings';
import { parseService, SERVICE_OPTIONS, SERVICE_USAGE, type ServiceCommand } from './serviceArgs';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type OutputFormat = 'text' | 'json' | 'sarif';
export type FailOn = Severity | 'never';

export interface CommonOptions {
  repo: string;
  db: string | undefined;
  /** --log-level / --log-file and their environment variables, as given (each front end has its default). */
  log: LogSettings;
}

export type Command =
  | { name: 'help' }
  | { name: 'version' }
  | ({ name: 'index'; json: boolean } & CommonOptions)
  | { name: 'serve'; db: string | undefined; log: LogSettings }
  | ({ name: 'metrics'; json: boolean; since: string | undefined } & CommonOptions)
  | ({ name: 'errors'; json: boolean } & CommonOptions)
  | ({ name: 'alerts'; json: boolean } & CommonOptions)
  | ({ name: 'doctor'; json: boolean } & CommonOptions)
  | ({ name: 'review'; scope: ReviewScope; base: string | undefined; format: OutputFormat; failOn: FailOn; llm: boolean; overBudget: boolean; cache: boolean; sinceLast: boolean; showSuppressed: boolean; coChange: boolean } & CommonOptions)
  | ({ name: 'feedback'; findingId: string; vote: Vote | 'clear'; reason: string | undefined; json: boolean } & CommonOptions)
  | ({ name: 'feedback-list'; json: boolean } & CommonOptions)
  | ({ name: 'ignore'; findingId: string; json: boolean } & CommonOptions)
  | ({ name: 'unignore'; findingId: string; json: boolean } & CommonOptions)
  | ({ name: 'ignored'; json: boolean } & CommonOptions)
  | ({ name: 'learned'; json: boolean; transfer: 'export' | 'import' | undefined; file: string | undefined } & CommonOptions)
  | ({ name: 'impact'; scope: ReviewScope; base: string | undefined; depth: number; format: 'text' | 'json'; tests: boolean } & CommonOptions)
  | ({ name: 'graph'; base: string | undefined; file: string | undefined; depth: number; format: GraphFormat } & CommonOptions)
  | ({ name: 'pr'; action: 'sync' | 'comments' | 'publish'; json: boolean; dryRun: boolean; llm: boolean } & CommonOptions)
  | ServiceCommand;

export const USAGE = `Usage: diffwise <command> [options]

Commands:
  review              Review a change: findings on the lines it adds, and the callers it breaks
  index               Bring the workspace index up to date and print what it holds
  metrics             What the recorded reviews add up to: success rate, cache hit rate, durations, findings, votes
  errors              Why reviews failed: the failures grouped by cause (stage, error class, message),
                      the most recently seen first, with counts, first and last seen, and a run
  alerts              Evaluate the alert rules (failure rate, p95 duration, LLM budget, database size,
                      free disk, daemon restarts, GitHub rate limit) and list what fires now
  doctor              Check the setup: Node, git, the database and free disk, the index, the LLM endpoint
                      and GitHub, each ok, warning or error with its fix (exit 1 when any is an error)
  feedback ID --up|--down|--clear [--reason TEXT]
                      Vote on a finding of a recent review (ID: its id, or the first 8 characters the
                      text report shows): --down stops it being reported at that code, and teaches its rule
  feedback --list     Every vote cast (or imported), oldest first
  ignore ID           Stop reporting a finding of a recent review (what "Ignore this finding" does in
                      the editor): no vote, nothing learned; --show-suppressed still lists it
  ignored             The findings ignored, oldest first
  unignore ID         Report an ignored finding again from the next review on (ID: its id, or the
                      first 8 characters that the text report and diffwise ignored show)
  learned             What the votes taught: rules demoted or suppressed, findings suppressed at their code
  learned export [FILE]
  learned import [FILE]
                      Write every vote to a team file, or add a team file's votes (default .diffwise/learned.json)
  pr sync             Fetch the review comments, reviews and threads of this branch's pull request
                      from GitHub (incrementally: a sync after nothing changed costs only 304s)
  pr comments         The synced comments, each on its working-tree line (or outdated), no network
  pr publish [--dry-run] [--no-llm]
                      Review the pull request's changes and post the findings (not those voted down) as
                      one review; publishing again edits changed findings and skips unchanged ones
  impact              What a change reaches through the imports: changed modules and exports, their
                      dependents with the chain of imports to each, and the tests that reach it
  graph               The dependency graph around a change (or one file) as json, dot or mermaid
  serve --stdio       Run as a language server over stdin/stdout (what the VS Code extension starts;
                      any LSP client can use it): diagnostics, and reviews through workspace/executeCommand
  server              The team service's HTTP side: GitHub webhooks in, reviews queued in PostgreSQL,
                      the team dashboard, /healthz, /readyz and Prometheus /metrics (see "For teams")
  worker              The team service's reviewer: takes queued pull requests, reviews them and
                      publishes the review and a check run on GitHub
  help                Show this help

review options:
  --working           Staged and unstaged changes and untracked files, against HEAD (default)
  --staged            The index (what the next commit will hold), against HEAD
  --base REF          The branch's own changes since it left REF (merge-base(REF, HEAD)..HEAD)
  --format FORMAT     text (default), json, or sarif (SARIF 2.1.0 for GitHub code scanning)
  --fail-on LEVEL     Exit 1 when a finding is at or above LEVEL: error (default), warning, info, never
  --no-llm            Never send code to a language model, even when one is configured
  --over-budget       Call the language model even when this month's budget is used up
  --no-cache          Review every hunk again instead of reusing the results of unchanged ones
  --no-co-change      Leave out the co-change rule (files the history says change together)
  --since-last        With --base: only the commits since the last review of this branch and base
  --show-suppressed   Also list the findings learning suppressed, marked with the reason, and those
                      ignored, marked ignored

${IMPACT_USAGE}
${SERVICE_USAGE}
index, errors, alerts, doctor, feedback, ignore, ignored, unignore, learned and pr options:
  --json              Print the result as JSON

metrics options:
  --json              Print the metrics document as JSON (its schema: docs/metrics-document.schema.json)
  --since DURATION    Only reviews in the last DURATION: 30m, 24h, 7d, 2w (default: all)

Common options:
  --repo DIR          The repository to work in (default: the current directory)
  --db PATH           The database file (default: <git dir>/diffwise/diffwise.db; env DIFFWISE_DB)
  --log-level LEVEL   Write structured JSON log lines at LEVEL: error, warn, info, debug, trace, silent
                      (to stderr, or to --log-file; default: none, and info for serve)
  --log-file PATH     Write the log lines to PATH.1, PATH.2… instead, rolled over at 10 MB, 5 old ones kept
                      (at info unless --log-level says otherwise)
  -h, --help          Show this help
  -v, --version       Print the version

Environment:
  DIFFWISE_DB             The database file, as --db
  DIFFWISE_DB_BUSY_TIMEOUT_MS
                          How long a write waits for another process's lock on it (default 5000)
  DIFFWISE_DEBUG=1        Print the stack trace after an error's one line (for bug reports)
  DIFFWISE_COMPILE_CACHE  Where the compiled bundles' code cache lives (default: ~/.cache/diffwise/code)
  DIFFWISE_NO_COMPILE_CACHE=1
                          Compile the bundles afresh at every start (no code cache)
  DIFFWISE_TRACE_LOADS=1  Print on stderr which bundles a command loaded, for what, and how long each took
  DIFFWISE_LOG_LEVEL      As --log-level (the flag wins)
  DIFFWISE_LOG_FILE       As --log-file
  DIFFWISE_LOG_ROTATE_SIZE
                          When the log file rolls over: 10m (default), 512k, 1g

Error tracking (off unless a DSN is set):
  SENTRY_DSN              Send each failure of a review to Sentry (or anything that takes its envelopes),
                          grouped by the fingerprint diffwise errors shows; redacted like the logs
  SENTRY_ENVIRONMENT      The environment the events are filed under (default: production)

Alerts (thresholds in .diffwise/config.json "alerts"):
  DIFFWISE_ALERT_WEBHOOK_URL
                          POST each alert that fires or clears to this Slack-compatible incoming webhook

GitHub (pr):
  GITHUB_TOKEN            The token (falls back to GH_TOKEN); public repositories work without one
  DIFFWISE_GITHUB_API_URL GitHub Enterprise Server's API, e.g. https://ghe.example.com/api/v3
  DIFFWISE_GITHUB_TIMEOUT_MS
                          The longest wait for one GitHub request, answer included (default 30000)
  DIFFWISE_GITHUB_DEADLINE_MS
                          The longest one sync or publish may take, retries included (default 120000)

LLM reviewer (off until a key or an endpoint is set; see docs/llm.md):
  DIFFWISE_LLM_API_KEY    The API key (falls back to OPENAI_API_KEY)
  DIFFWISE_LLM_BASE_URL   An OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (default: OpenAI)
  DIFFWISE_LLM_MODEL      The model (default: gpt-4o-mini)
  DIFFWISE_LLM_MONTHLY_BUDGET_USD
                          Stop calling it once this month's spending reaches this many US dollars
  .diffwise/config.json   What the team shares: model, budget, excludePaths, instructions, prices

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or runtime error.
`;

/**
 * Every option the command line takes, for node's `parseArgs`: the one table that the CLI
 * reference (scripts/docs/cliReference.ts) checks against the usage texts, so that an option
 * is neither accepted undocumented nor documented unaccepted.
 */
export const CLI_OPTIONS = {
  working: { type: 'boolean' },
  staged: { type: 'boolean' },
  base: { type: 'string' },
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  'no-llm': { type: 'boolean' },
  'no-co-change': { type: 'boolean' },
  'over-budget': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  'since-last': { type: 'boolean' },
  'show-suppressed': { type: 'boolean' },
  up: { type: 'boolean' },
  down: { type: 'boolean' },
  clear: { type: 'boolean' },
  reason: { type: 'string' },
  list: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  repo: { type: 'string' },
  db: { type: 'string' },
  'log-level': { type: 'string' },
  'log-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  stdio: { type: 'boolean' },
  since: { type: 'string' },
  ...IMPACT_OPTIONS,
  ...SERVICE_OPTIONS,
  // vscode-languageclient appends --clientProcessId=PID to a server started over stdio.
  clientProcessId: { type: 'string' },
} as const;

const SCOPES = ['working', 'staged'] as const;
const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

export function parseCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: CLI_OPTIONS,
    });
  } catch (error) {
    // Node's message on one line, keeping how to pass a value that starts with a dash (--base=-x)
    // but not its advice on positionals, which no command here takes after `--`.
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/\s+/g, ' ').trim();
    throw new UsageError(`${message} (see diffwise --help)`);
  }
  const { values, positionals } = parsed;
  if (values.version) return { name: 'version' };
  const [name, ...extra] = positionals;
  if (values.help || name === undefined || name === 'help') return { name: 'help' };
  const maxArguments = name === 'feedback' || name === 'pr' || name === 'unignore' || name === 'ignore' ? 1 : name === 'learned' ? 2 : 0;
  if (extra.length > maxArguments) throw new UsageError(`unexpected argument: ${extra[maxArguments]} (see diffwise --help)`);
  if (values.db !== undefined && !values.db.trim()) throw new UsageError('--db needs a file path, for example --db /tmp/diffwise.db');
  if (values.repo !== undefined && !values.repo.trim()) throw new UsageError('--repo needs a folder, for example --repo .');
  const common: CommonOptions = { repo: values.repo ?? currentDirectory(), db: values.db ?? (env.DIFFWISE_DB?.trim() || undefined), log: logOptions(values, env) };

  if (name === 'feedback') {
    allowOnly(name, values, ['up', 'down', 'clear', 'reason', 'list', 'json']);
    if (values.list) {
      if (extra.length || values.up || values.down || values.clear || values.reason !== undefined) throw new UsageError('--list takes no finding id or vote (diffwise feedback --list [--json])');
      return { name: 'feedback-list', json: values.json ?? false, ...common };
    }
    const votes = (['up', 'down', 'clear'] as const).filter((vote) => values[vote]);
    if (!extra.length) throw new UsageError('which finding? diffwise feedback ID --up|--down [--reason TEXT] (ids are in the review output), or diffwise feedback --list');
    if (votes.length !== 1) throw new UsageError('give exactly one of --up, --down or --clear');
    if (values.reason !== undefined && votes[0] === 'clear') throw new UsageError('--reason goes with --up or --down');
    return { name, findingId: extra[0]!, vote: votes[0]!, reason: values.reason, json: values.json ?? false, ...common };
  }
  if (name === 'unignore' || name === 'ignore') {
    allowOnly(name, values, ['json']);
    if (!extra.length || !extra[0]!.trim()) {
      throw new UsageError(name === 'ignore'
        ? 'which finding? diffwise ignore ID (ids are in the review output)'
        : 'which finding? diffwise unignore ID (diffwise ignored lists the ignored findings and their ids)');
    }
    return { name, findingId: extra[0]!, json: values.json ?? false, ...common };
  }
  if (name === 'ignored' || name === 'errors' || name === 'doctor' || name === 'alerts') {
    allowOnly(name, values, ['json']);
    return { name, json: values.json ?? false, ...common };
  }
  if (name === 'learned') {
    allowOnly(name, values, ['json']);
    const [transfer, file] = extra;
    if (transfer !== undefined && transfer !== 'export' && transfer !== 'import') throw new UsageError(`diffwise learned takes export [FILE] or import [FILE] (got ${transfer})`);
    return { name, json: values.json ?? false, transfer, file, ...common };
  }
  if (name === 'pr') {
    const [action] = extra;
    if (action !== 'sync' && action !== 'comments' && action !== 'publish') throw new UsageError(`diffwise pr takes sync, comments or publish${action ? ` (got ${action})` : ''} (see diffwise --help)`);
    allowOnly(`pr ${action}`, values, action === 'publish' ? ['json', 'dry-run', 'no-llm'] : ['json']);
    return { name, action, json: values.json ?? false, dryRun: values['dry-run'] ?? false, llm: !values['no-llm'], ...common };
  }
  if (name === 'serve') {
    allowOnly(name, values, ['stdio', 'db']);
    if (!values.stdio) throw new UsageError('diffwise serve speaks LSP over stdio only: run diffwise serve --stdio');
    return { name, db: common.db, log: common.log };
  }
  if (name === 'metrics') {
    allowOnly(name, values, ['json', 'since']);
    if (values.since !== undefined && !/^\d+(?:\.\d+)?\s*[mhdw]$/.test(values.since.trim())) {
      throw new UsageError(`--since takes a duration such as 30m, 24h, 7d or 2w (got ${values.since})`);
    }
    return { name, json: values.json ?? false, since: values.since, ...common };
  }
  if (name === 'server' || name === 'worker') return parseService(name, values, env, common.log, allowOnly, (message) => new UsageError(message));
  if (name === 'impact') return parseImpact(values, common, allowOnly);
  if (name === 'graph') return parseGraph(values, common, allowOnly);
  if (name === 'index') {
    allowOnly(name, values, ['json']);
    return { name, json: values.json ?? false, ...common };
  }
  if (name === 'review') {
    allowOnly(name, values, ['working', 'staged', 'base', 'format', 'fail-on', 'no-llm', 'over-budget', 'no-cache', 'since-last', 'show-suppressed', 'no-co-change']);
    const chosen = [values.working && 'working', values.staged && 'staged', values.base !== undefined && 'base'].filter(Boolean);
    if (chosen.length > 1) throw new UsageError(`choose one of --working, --staged or --base (got --${chosen.join(' and --')})`);
    if (values.base === '') throw new UsageError('--base needs a ref, for example --base origin/main');
    const format = (values.format ?? 'text') as OutputFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got ${values.format})`);
    const failOn = (values['fail-on'] ?? 'error') as FailOn;
    if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')} (got ${values['fail-on']})`);
    const scope: ReviewScope = values.base !== undefined ? 'branch' : SCOPES.find((s) => values[s]) ?? 'working';
    if (values['since-last'] && scope !== 'branch') throw new UsageError('--since-last goes with --base REF (it reviews the commits since the last review of that branch)');
    return { name, scope, base: values.base, format, failOn, llm: !values['no-llm'], overBudget: values['over-budget'] ?? false, cache: !values['no-cache'], sinceLast: values['since-last'] ?? false, showSuppressed: values['show-suppressed'] ?? false, coChange: !values['no-co-change'], ...common };
  }
  throw new UsageError(`unknown command: ${name} (see diffwise --help)`);
}

/** The folder the command was started in; one clear line when it no longer exists. */
function currentDirectory(): string {
  try {
    return process.cwd();
  } catch {
    throw new UsageError('the current folder no longer exists: cd to the repository again, or pass --repo DIR');
  }
}

/** Options every command takes. */
const COMMON_OPTIONS = ['repo', 'db', 'log-level', 'log-file', 'help', 'version', 'clientProcessId'];

function logOptions(values: { 'log-level'?: string; 'log-file'?: string }, env: NodeJS.ProcessEnv): LogSettings {
  try {
    return logSettingsOf({ level: values['log-level'], file: values['log-file'] }, env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function allowOnly(command: string, values: Record<string, unknown>, allowed: readonly string[]): void {
  for (const [option, value] of Object.entries(values)) {
    if (value !== undefined && !allowed.includes(option) && !COMMON_OPTIONS.includes(option)) {
      throw new UsageError(`--${option} does not apply to "diffwise ${command}" (see diffwise --help)`);
    }
  }
}

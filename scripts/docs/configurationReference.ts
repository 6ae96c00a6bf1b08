/**
 * Writes docs/configuration.md (every VS Code setting, every `.diffwise/config.json` field,
 * every environment variable) and docs/diffwise-config.schema.json, from the one source of
 * each: package.json's `contributes.configuration`, the zod schemas the daemon validates the
 * file with (read at run time, so the page cannot describe a field the code does not take),
 * and the `env.X` reads in server/ and extension/ (found with the TypeScript compiler).
 * Run: `npx tsx scripts/docs/configurationReference.ts`. test/unit/docs/generatedDocs.test.ts
 * regenerates both in memory and fails when the committed files differ.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { fileSchema as llmFileSchema, DEFAULT_INSTRUCTIONS_FILE, DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_CONTEXT_TOKENS, DEFAULT_MODEL, DEFAULT_TIMEOUT_MS } from '../../server/llm/config';
import { fileSchema as learningFileSchema } from '../../server/learning/settings';
import { fileSchema as coChangeFileSchema, CO_CHANGE_SETTING_DEFAULTS } from '../../server/history/settings';
import { fileSchema as alertsFileSchema } from '../../server/observability/alertSettings';
import { ALERT_DEFAULTS } from '../../server/observability/alerts';
import { LEARNING_DEFAULTS } from '../../shared/feedback';
import { collectEnvironmentReads, type EnvironmentRead } from './environmentReads';

const root = path.resolve(__dirname, '..', '..');
export const CONFIGURATION_PAGE = path.join(root, 'docs', 'configuration.md');
export const CONFIG_SCHEMA_FILE = path.join(root, 'docs', 'diffwise-config.schema.json');
const COMMAND = 'npx tsx scripts/docs/configurationReference.ts';

export type JsonSchema = {
  type?: string | string[]; description?: string; properties?: Record<string, JsonSchema>; additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema; minimum?: number; maximum?: number; exclusiveMinimum?: number; format?: string; minLength?: number;
  required?: string[]; default?: unknown; [key: string]: unknown;
};

/** No default: the field's effect says what happens when it is left out. */
const NONE = Symbol('none');
const MB = 1024 ** 2;

/**
 * The default of each file field, from the constants the loaders fall back on. The file's
 * units are the ones people think in (percent, MiB, minutes), the loaders' are not: the
 * conversions here are loadAlertSettings' in reverse. A field missing here fails the run.
 */
const FILE_DEFAULTS: Record<string, Record<string, unknown>> = {
  llm: {
    model: DEFAULT_MODEL, baseUrl: NONE, monthlyBudgetUsd: NONE, maxConcurrency: DEFAULT_MAX_CONCURRENCY, timeoutMs: DEFAULT_TIMEOUT_MS,
    excludePaths: [], maxContextTokens: DEFAULT_MAX_CONTEXT_TOKENS, instructions: DEFAULT_INSTRUCTIONS_FILE, prices: {},
  },
  learning: { ...LEARNING_DEFAULTS },
  coChange: { ...CO_CHANGE_SETTING_DEFAULTS },
  alerts: {
    window: ALERT_DEFAULTS.window, minReviews: ALERT_DEFAULTS.minReviews, failureRatePercent: ALERT_DEFAULTS.failureRate * 100,
    p95TargetMs: ALERT_DEFAULTS.p95TargetMs, databaseMaxMb: ALERT_DEFAULTS.databaseMaxBytes / MB, freeDiskMinMb: ALERT_DEFAULTS.freeDiskMinBytes / MB,
    restartCount: ALERT_DEFAULTS.restartCount, restartWindowMinutes: ALERT_DEFAULTS.restartWindowMs / 60_000,
    githubRemainingPercent: ALERT_DEFAULTS.githubRemainingShare * 100, webhookUrl: NONE,
  },
};

/**
 * What each environment variable does: the one place its effect is written. The run fails
 * when the code reads a variable that has no entry here, or when an entry is read nowhere.
 */
export const ENVIRONMENT_EFFECTS: Record<string, string> = {
  DIFFWISE_LLM_API_KEY: "The LLM endpoint's API key (wins over `OPENAI_API_KEY`). In VS Code, **Diffwise: Set LLM API Key…** passes the stored key here.",
  DIFFWISE_LLM_API_KEY_FILE: 'A file holding the LLM API key (a container or systemd secret); used when `DIFFWISE_LLM_API_KEY` is unset.',
  OPENAI_API_KEY: "The LLM API key when neither `DIFFWISE_LLM_API_KEY` nor its `_FILE` is set.",
  DIFFWISE_LLM_BASE_URL: 'The OpenAI-compatible endpoint (up to `/v1`); wins over `llm.baseUrl` in the config file.',
  DIFFWISE_LLM_MODEL: "The model to ask; wins over the config file's `llm.model`.",
  DIFFWISE_LLM_MONTHLY_BUDGET_USD: "The monthly LLM budget in US dollars; wins over the config file's `llm.monthlyBudgetUsd`. For the team service, the team's budget over all repositories.",
  DIFFWISE_LLM: 'Set by the extension to `untrusted` in a workspace the user has not trusted: no LLM, no GitHub token, and the repository may not choose the alerts webhook.',
  DIFFWISE_ALERT_WEBHOOK_URL: "Where alerts are POSTed (Slack-compatible); wins over the setting and the config file's `alerts.webhookUrl`.",
  DIFFWISE_DB: 'The SQLite database file, as `--db` (default `<git dir>/diffwise/diffwise.db`).',
  DIFFWISE_DB_BUSY_TIMEOUT_MS: "How long SQLite waits for another process's write lock, in milliseconds.",
  DIFFWISE_CACHE_MAX_MB: 'The review cache size limit in MiB (the CLI\'s `diffwise.cache.maxSizeMb`).',
  DIFFWISE_CACHE_MAX_AGE_DAYS: 'Days after which unused review cache results are evicted (the CLI\'s `diffwise.cache.maxAgeDays`).',
  DIFFWISE_FAIL_ON: "The worker's `--fail-on`: the check run fails when a finding is at or above this level (`error`, `warning`, `info`, `never`).",
  DIFFWISE_LOG_LEVEL: 'The log level (`debug`, `info`, `warn`, `error`).',
  DIFFWISE_LOG_FILE: 'Also write the structured log to this file.',
  DIFFWISE_LOG_ROTATE_SIZE: 'Rotate `DIFFWISE_LOG_FILE` at this size (pino-roll\'s size, e.g. `10m`).',
  DIFFWISE_DEBUG: 'Print stack traces and internal detail with errors.',
  DIFFWISE_TRACE_LOADS: 'Log each lazily loaded module and when it loads (start-up profiling).',
  DIFFWISE_COMPILE_CACHE: "The folder of Node's compile cache of the CLI's bundle (faster starts); default in the user cache folder.",
  DIFFWISE_NO_COMPILE_CACHE: "Set to turn Node's compile cache off.",
  DIFFWISE_GITHUB_API_URL: 'The GitHub Enterprise Server API URL (e.g. `https://ghe.example.com/api/v3`); default github.com.',
  GITHUB_TOKEN: 'The GitHub token for pull requests (and the service\'s simple mode, one repository).',
  GITHUB_TOKEN_FILE: "A file holding the service's `GITHUB_TOKEN`.",
  DIFFWISE_METRICS_TOKEN: 'When set, the service\'s `/metrics` asks for `Authorization: Bearer <token>`.',
  DIFFWISE_METRICS_TOKEN_FILE: 'A file holding the metrics token.',
  DIFFWISE_GITHUB_TIMEOUT_MS: 'The longest wait for one GitHub request (default 30000).',
  DIFFWISE_GITHUB_DEADLINE_MS: 'The longest one publish may take, retries included (default 120000).',
  DIFFWISE_JOB_RETRIES: 'Attempts after the first before a job goes to the dead letters (default 4).',
  DIFFWISE_JOB_RETRY_DELAY_SECONDS: 'The wait before the first retry, doubled at each (default 15).',
  DIFFWISE_JOB_TIMEOUT_SECONDS: 'A running job not finished after this long is taken as dead and retried (default 900).',
  DIFFWISE_WORKER_CACHE_MAX: 'Clone folders a worker keeps, one per pull request (default 50); the least recently used beyond are removed.',
  DIFFWISE_GIT_TIMEOUT_MS: "The limit of each of the worker's git commands (default 120000).",
  GH_TOKEN: 'The GitHub token when `GITHUB_TOKEN` is unset (the `gh` CLI\'s name).',
  GITHUB_APP_ID: "The service's GitHub App id (with `GITHUB_APP_PRIVATE_KEY` or its `_FILE`).",
  GITHUB_APP_PRIVATE_KEY: "The GitHub App's private key (PEM).",
  GITHUB_APP_PRIVATE_KEY_FILE: "A file holding the GitHub App's private key.",
  GITHUB_WEBHOOK_SECRET: 'The secret GitHub signs webhook deliveries with (`X-Hub-Signature-256`).',
  GITHUB_WEBHOOK_SECRET_FILE: 'A file holding the webhook secret.',
  DATABASE_URL: "The service's PostgreSQL connection string.",
  DATABASE_URL_FILE: 'A file holding the PostgreSQL connection string.',
  DIFFWISE_DASHBOARD_TOKEN: "The token that opens the service's team dashboard.",
  DIFFWISE_DASHBOARD_TOKEN_FILE: 'A file holding the dashboard token.',
  DIFFWISE_TLS_CERT_FILE: 'The service\'s TLS certificate (PEM); with `DIFFWISE_TLS_KEY_FILE` it serves HTTPS itself.',
  DIFFWISE_TLS_KEY_FILE: "The TLS certificate's private key (PEM).",
  DIFFWISE_TRUST_PROXY: "Behind nginx or Caddy: take the source address from `X-Forwarded-For` when the hops are trusted proxies (`true`: any loopback or private one; or their addresses and CIDRs).",
  DIFFWISE_WEBHOOK_RATE_LIMIT: 'Webhook deliveries per minute per source address (default 600); beyond, 429.',
  PORT: "The service's port when `--port` is not given.",
  HOST: "The service's listening address when `--host` is not given.",
  DIFFWISE_WORKER_CONCURRENCY: 'Reviews a worker runs at once when `--concurrency` is not given.',
  DIFFWISE_WORKER_SHUTDOWN_SECONDS: 'On SIGTERM, how long running reviews may finish before they are released to the queue (default 60).',
  DIFFWISE_WORKER_CACHE_DIR: "The worker's folder of partial clones (default: the user cache folder).",
  XDG_CACHE_HOME: "The user cache folder (default `~/.cache`): the compile cache's and the worker's clones' default place.",
  LOCALAPPDATA: "The user cache folder on Windows (the compile cache's default place).",
  NO_COLOR: 'Set: the CLI prints no colours.',
  SENTRY_DSN: 'Report crashes to this Sentry project (off when unset).',
  SENTRY_ENVIRONMENT: 'The environment name attached to Sentry reports.',
  OTEL_SDK_DISABLED: '`true`: no OpenTelemetry tracing at all.',
  OTEL_TRACES_EXPORTER: '`otlp` exports review traces over OTLP/HTTP; unset or `none`: not exported.',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'The OTLP collector (traces go to its `/v1/traces`).',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'The OTLP traces endpoint, over `OTEL_EXPORTER_OTLP_ENDPOINT`.',
  OTEL_SERVICE_NAME: 'The `service.name` of the exported traces.',
};

/** The `.diffwise/config.json` schema: the loaders' sections side by side, as the file holds them. */
export function configFileSchema(): JsonSchema {
  // Loose at the top, as each loader is: a section one feature does not know belongs to another.
  const merged = z.looseObject({ ...llmFileSchema().shape, ...learningFileSchema().shape, ...coChangeFileSchema().shape, ...alertsFileSchema().shape })
    .describe('Diffwise\'s shared settings, checked in as .diffwise/config.json. Generated from the schemas the daemon validates the file with.');
  const schema = z.toJSONSchema(merged, { io: 'input', target: 'draft-7' }) as JsonSchema;
  schema.title = '.diffwise/config.json';
  for (const [section, sectionSchema] of Object.entries(schema.properties ?? {})) {
    const defaults = FILE_DEFAULTS[section];
    if (!defaults) throw new Error(`${COMMAND}: no defaults for the config file's section "${section}" (FILE_DEFAULTS)`);
    const fields = sectionSchema.properties ?? {};
    for (const name of Object.keys(defaults)) if (!(name in fields)) throw new Error(`${COMMAND}: FILE_DEFAULTS has ${section}.${name}, which the schema does not`);
    for (const [name, field] of Object.entries(fields)) {
      if (!(name in defaults)) throw new Error(`${COMMAND}: no default for ${section}.${name} (FILE_DEFAULTS)`);
      if (!field.description) throw new Error(`${COMMAND}: ${section}.${name} has no .describe() in its zod schema`);
      if (defaults[name] !== NONE) field.default = defaults[name];
    }
  }
  return schema;
}

export function configSchemaText(): string {
  return `${JSON.stringify(configFileSchema(), null, 2)}\n`;
}

// ---- the page ----

interface SettingDeclaration {
  type?: string | string[]; default?: unknown; scope?: string; description?: string; markdownDescription?: string;
  enum?: unknown[]; enumDescriptions?: string[]; markdownEnumDescriptions?: string[]; items?: SettingDeclaration;
  minimum?: number; maximum?: number; order?: number; deprecationMessage?: string;
}
interface ConfigurationSection { id?: string; title: string; order?: number; properties: Record<string, SettingDeclaration> }

export function configurationPage(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { configuration: ConfigurationSection[] } };
  const lines: string[] = [
    '# Configuration reference',
    '',
    `<!-- Generated by \`${COMMAND}\` from package.json, the config file's zod schemas and the code's environment reads. Do not edit by hand. -->`,
    '',
    'Diffwise is configured in three places: the **VS Code settings** (one person, one editor), the',
    '**`.diffwise/config.json`** file checked into a repository (what a team shares), and **environment',
    'variables** (the CLI, CI and the team service; secrets live only here). Where more than one says',
    'something, the editor setting usually wins over the environment, which wins over the file; each',
    'entry below says so where it differs.',
    '',
    '- [VS Code settings](#vs-code-settings)',
    '- [`.diffwise/config.json`](#diffwiseconfigjson)',
    '- [Environment variables](#environment-variables)',
    '',
    '## VS Code settings',
    '',
    'Declared in package.json (`contributes.configuration`). The scope says where a setting may be set:',
    '`resource` per folder, `window` per window or user, `machine-overridable` per machine.',
    '',
  ];
  const sections = [...manifest.contributes.configuration].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  for (const section of sections) {
    lines.push(`### ${section.title}`, '');
    const entries = Object.entries(section.properties).sort(([, a], [, b]) => (a.order ?? 0) - (b.order ?? 0));
    for (const [key, setting] of entries) lines.push(...settingLines(key, setting));
  }

  const schema = configFileSchema();
  lines.push(
    '## `.diffwise/config.json`',
    '',
    'One JSON object, each feature in its own section. The file is optional, and so is every field: a',
    'field left out takes its default. Within a section an unknown field is an error (a typo such as',
    '`maxConcurency` is reported, not ignored), naming the file and the field but never quoting the',
    'file. Its JSON Schema is [`diffwise-config.schema.json`](diffwise-config.schema.json): point your',
    'editor at it (VS Code: `json.schemas` with `"fileMatch": [".diffwise/config.json"]`) for completion',
    'and checking as you type. No secret belongs in this file: it is checked in.',
    '',
    '```json',
    '{',
    '  "llm": { "model": "gpt-4o-mini", "monthlyBudgetUsd": 20, "excludePaths": ["fixtures/**"] },',
    '  "learning": { "minVotes": 5 },',
    '  "alerts": { "p95TargetMs": 20000 }',
    '}',
    '```',
    '',
  );
  for (const [section, sectionSchema] of Object.entries(schema.properties ?? {})) {
    lines.push(`### \`${section}\``, '', sectionSchema.description ?? '', '', '| Field | Type | Default | Effect |', '| --- | --- | --- | --- |');
    for (const [name, field, required] of fieldRows(sectionSchema, '')) {
      const fallback = required ? 'required' : 'none';
      lines.push(`| \`${name}\` | ${cell(typeText(field))} | ${field.default === undefined ? fallback : code(field.default)} | ${cell(field.description ?? '')} |`);
    }
    lines.push('');
  }

  lines.push(
    '## Environment variables',
    '',
    'Every variable the daemon, the CLI, the team service or the extension reads (collected from the',
    'code), with where it is read. A variable holding a secret is never logged; the logs redact it.',
    '',
    '| Variable | Effect | Read in |',
    '| --- | --- | --- |',
  );
  for (const [name, files] of environmentVariables()) {
    lines.push(`| \`${name}\` | ${cell(ENVIRONMENT_EFFECTS[name]!)} | ${files.map((file) => `[${path.basename(file)}](../${file})`).join(', ')} |`);
  }
  lines.push('');
  return lines.join('\n');
}

function settingLines(key: string, setting: SettingDeclaration): string[] {
  const facts = [`**Type:** ${typeText(setting as JsonSchema)}`, `**Default:** ${code(setting.default)}`];
  if (setting.scope) facts.push(`**Scope:** \`${setting.scope}\``);
  const lines = [`#### \`${key}\``, '', facts.join(' · '), '', settingsLinks(setting.markdownDescription ?? setting.description ?? ''), ''];
  const enumOwner = setting.enum ? setting : setting.items?.enum ? setting.items : undefined;
  if (enumOwner?.enum) {
    const texts = enumOwner.markdownEnumDescriptions ?? enumOwner.enumDescriptions ?? [];
    lines.push(...enumOwner.enum.map((value, i) => `- ${code(value)}${texts[i] ? `: ${settingsLinks(texts[i]!)}` : ''}`), '');
  }
  if (setting.deprecationMessage) lines.push(`*Deprecated:* ${setting.deprecationMessage}`, '');
  return lines;
}

/** VS Code's `#diffwise.x.y#` setting links, as links to the setting's heading on this page. */
function settingsLinks(markdown: string): string {
  return markdown.replace(/`#(diffwise\.[\w.]+)#`/g, (_whole, key: string) => `[\`${key}\`](#${key.replace(/\./g, '').toLowerCase()})`);
}

/** The rows of a section: its fields, then a map's values' fields by dotted name (`*` for any key). */
function fieldRows(schema: JsonSchema, prefix: string): Array<[string, JsonSchema, boolean]> {
  const rows: Array<[string, JsonSchema, boolean]> = [];
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const dotted = prefix ? `${prefix}.${name}` : name;
    rows.push([dotted, field, schema.required?.includes(name) ?? false]);
    const values = typeof field.additionalProperties === 'object' ? field.additionalProperties : undefined;
    if (values?.properties) rows.push(...fieldRows(values, `${dotted}.*`));
  }
  return rows;
}

/** A JSON Schema type as a reader says it: `integer, 1 to 64`, `string[]`, `http(s) URL`. */
function typeText(schema: JsonSchema): string {
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type ?? 'any']).map((type) => {
    if (type === 'array') return `${schema.items ? typeText(schema.items) : 'any'}[]`;
    if (type === 'object' && typeof schema.additionalProperties === 'object') return 'object of name → object';
    if (type === 'string' && schema.format === 'uri') return 'http(s) URL';
    return type;
  });
  const bounds: string[] = [];
  const max = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined;
  if (schema.minimum !== undefined && max !== undefined) bounds.push(`${schema.minimum} to ${max}`);
  else if (schema.minimum !== undefined) bounds.push(`≥ ${schema.minimum}`);
  else if (schema.exclusiveMinimum !== undefined) bounds.push(`> ${schema.exclusiveMinimum}`);
  else if (max !== undefined) bounds.push(`≤ ${max}`);
  return [types.join(' or '), ...bounds].join(', ');
}

function code(value: unknown): string {
  return `\`${JSON.stringify(value)}\``;
}

/** Text fit for a table cell: one line, no bare pipe. */
function cell(text: string): string {
  return settingsLinks(text).replace(/\s*\n+\s*/g, ' ').replace(/\|/g, '\\|');
}

/** Each variable the code reads, with the files that read it; fails on a read without an effect or an effect without a read. */
function environmentVariables(): Array<[string, string[]]> {
  const reads: EnvironmentRead[] = collectEnvironmentReads(root, ['server', 'extension', 'shared']);
  const byName = new Map<string, Set<string>>();
  for (const read of reads) byName.set(read.name, (byName.get(read.name) ?? new Set()).add(read.file));
  const undocumented = [...byName.keys()].filter((name) => !(name in ENVIRONMENT_EFFECTS));
  if (undocumented.length) {
    const where = undocumented.map((name) => `${name} (${[...byName.get(name)!].join(', ')})`).join('; ');
    throw new Error(`${COMMAND}: read in the code with no entry in ENVIRONMENT_EFFECTS: ${where}`);
  }
  const unread = Object.keys(ENVIRONMENT_EFFECTS).filter((name) => !byName.has(name));
  if (unread.length) throw new Error(`${COMMAND}: in ENVIRONMENT_EFFECTS but read nowhere in the code: ${unread.join(', ')}`);
  return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, files]) => [name, [...files].sort()]);
}

if (require.main === module) {
  fs.writeFileSync(CONFIGURATION_PAGE, configurationPage());
  fs.writeFileSync(CONFIG_SCHEMA_FILE, configSchemaText());
  process.stdout.write(`wrote ${path.relative(root, CONFIGURATION_PAGE)} and ${path.relative(root, CONFIG_SCHEMA_FILE)}\n`);
}

/**
 * secretlint's recommended preset, the maintained base of our detection: AWS, GCP
 * service-account keys, GitHub, npm (tokens and `.npmrc`), Slack (tokens and
 * webhooks), OpenAI, Anthropic, Linear, SendGrid, Shopify, 1Password, private keys
 * and database connection strings. Its messages contain the secret, so only the
 * message id is kept, mapped to a label of ours.
 */
import type * as SecretlintCore from '@secretlint/core';
import type { Detection } from './detection';
import { isPlaceholder, isPlaceholderPassword } from './placeholders';

/** Human labels for secretlint's message ids. */
const SECRETLINT_LABELS: Record<string, string> = {
  AWSSecretAccessKey: 'AWS secret access key',
  AWSAccessKeyID: 'AWS access key ID',
  PrivateKey: 'private key',
  PrivateKeyJSON: 'GCP service account key',
  PrivateKeyP12: 'GCP service account key',
  GITHUB_TOKEN: 'GitHub token',
  PackageJSON_xOauthToken: 'GitHub token',
  Npmrc_authToken: 'npm auth token',
  NPM_ACCESS_TOKEN: 'npm access token',
  SLACK_TOKEN: 'Slack token',
  IncomingWebhook: 'Slack incoming webhook URL',
  BasicAuth: 'basic-auth password in a URL',
  OPENAI_TOKEN: 'OpenAI API key',
  ANTHROPIC_API_KEY: 'Anthropic API key',
  LINEAR_API_TOKEN: 'Linear API key',
  SENDGRID_KEY: 'SendGrid API key',
  SHOPIFY_KEY: 'Shopify API key',
  OPS_TOKEN: '1Password service account token',
  MongoDBConnection: 'password in a MongoDB connection string',
  MySQLConnection: 'password in a MySQL connection string',
  PostgreSQLConnection: 'password in a PostgreSQL connection string',
};

/** secretlint reports these, but they identify an account rather than grant access to it. */
const IGNORED_SECRETLINT_MESSAGES = new Set(['AWSAccountID']);

type LintSource = typeof SecretlintCore.lintSource;
// Taken from `lintSource` rather than imported from `@secretlint/types`, which is
// only a transitive dependency.
type SecretLintCoreConfig = Parameters<LintSource>[0]['options']['config'];
type SecretLintCoreResultMessage = Awaited<ReturnType<LintSource>>['messages'][number];

let secretlint: Promise<{ lintSource: LintSource; config: SecretLintCoreConfig }> | undefined;

/**
 * Both packages are ESM-only; a dynamic import loads them from our CommonJS
 * output without relying on `require(esm)`, and only when a review needs them.
 */
function loadSecretlint(): Promise<{ lintSource: LintSource; config: SecretLintCoreConfig }> {
  secretlint ??= Promise.all([
    import('@secretlint/core'),
    import('@secretlint/secretlint-rule-preset-recommend'),
    import('@secretlint/profiler'),
  ]).then(([core, preset, profiler]) => {
    // secretlint 11 profiles every lint, asked or not: two performance marks per rule
    // per text, kept forever and matched by an observer whose work grows with their
    // number (secretlint#1633, #1653; fixed in 13.x, which needs Node 22). In a
    // daemon that lints every changed file of every review, that is a leak and a
    // slowdown without end (our bench, ~1,500 texts, spent 40 s after its last lint
    // on the observer's backlog). Without marks the observer never runs.
    profiler.secretLintProfiler.mark = () => undefined;
    return {
      lintSource: core.lintSource,
      config: {
        rules: [
          {
            id: '@secretlint/secretlint-rule-preset-recommend',
            rule: preset.creator,
            // Off by default in the preset because an access key id alone is not
            // enough to authenticate; we still want it out of the repository.
            rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
          },
        ],
      },
    };
  });
  return secretlint;
}

/** Every credential secretlint's preset reports in `text`, placeholders dropped. */
export async function secretlintDetections(text: string, path: string): Promise<Detection[]> {
  const { lintSource, config } = await loadSecretlint();
  const result = await lintSource({
    source: { content: text, filePath: path, contentType: 'text' },
    // The text may come from the index or a commit, not from the file on disk.
    options: { config, noPhysicFilePath: true },
  });
  const detections: Detection[] = [];
  for (const message of result.messages) {
    if (message.type !== 'message' || IGNORED_SECRETLINT_MESSAGES.has(message.messageId)) continue;
    const detection = locateSecret(text, message);
    // secretlint checks the format, not whether it is a stand-in: `xoxb-your-token` is a Slack token to it.
    if (detection && (/\n/.test(detection.secret) || !isPlaceholder(detection.secret))) detections.push(detection);
  }
  return detections;
}

/**
 * Where the secret of a secretlint message really is. Some rules report a range
 * that starts at the key name (`aws_secret_access_key = …`) but has the secret's
 * length, so the secret is taken from the message data and looked up near the
 * range; a URL credential is narrowed down to its password, and dropped when
 * that password is a placeholder or a local default.
 */
function locateSecret(text: string, message: SecretLintCoreResultMessage): Detection | null {
  const rule = message.ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  const label = SECRETLINT_LABELS[message.messageId] ?? `credential (${rule})`;
  const [rangeStart, rangeEnd] = message.range;
  let start = rangeStart;
  let end = rangeEnd;
  let fromData = false;
  for (const value of Object.values(message.data ?? {})) {
    if (typeof value !== 'string' || value.length < 8) continue;
    const at = text.indexOf(value, rangeStart);
    if (at < 0 || at > rangeEnd || (fromData && value.length <= end - start)) continue;
    [start, end, fromData] = [at, at + value.length, true];
  }
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^\s:@/]*):([^\s@/]+)@([^\s/?#:]*)/i.exec(text.slice(start, end));
  if (url && message.messageId !== 'IncomingWebhook') {
    const [, scheme, user, password, host] = url;
    if (isPlaceholderPassword(scheme, user, password, host)) return null;
    start += `${scheme}://${user}:`.length;
    end = start + password.length;
  }
  return { start, end, secret: text.slice(start, end), label, source: `secretlint:${rule}` };
}

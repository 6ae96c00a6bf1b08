/**
 * Provider formats secretlint's recommended preset (11.x) does not know, as one
 * table. Every rule names the upstream rule it mirrors: gitleaks' id from its
 * default `config/gitleaks.toml`, else trufflehog's detector. The patterns are
 * ours, written from those rules' formats, keywords and entropy thresholds:
 *
 * - Go's RE2 has inline flags (`(?i)…(?-i:A)`) that Node 20 lacks; a rule that
 *   needs case-insensitivity is case-insensitive as a whole, and tightens what
 *   that loosens in `validate` where it matters.
 * - Every pattern is linear: a literal prefix, bounded classes that cannot
 *   overlap the character after them, no nested quantifiers; `\s` never
 *   appears, so no match spans lines.
 * - Keywords (lowercase) are checked with `includes` on the lowercased text
 *   before a rule's regex runs, as gitleaks does.
 *
 * Where we differ from upstream, the rule says so: Stripe test keys, the
 * Telegram and Discord bot tokens without a name next to them, short Vault tokens.
 */

/** One provider format. */
export interface ProviderRule {
  id: string;
  /** What it is, for the finding's message. */
  label: string;
  /** The upstream rules this one mirrors: `gitleaks:<id>` or `trufflehog:<detector>`. */
  mirrors: readonly string[];
  /** Global; the secret is group 1 when there is one, else the whole match. */
  pattern: RegExp;
  /** Lowercase substrings, one of which the text must contain for the regex to run. */
  keywords?: readonly string[];
  /** Shannon entropy (bits per character) the secret needs, as upstream sets it. */
  minEntropy?: number;
  /** A check of the secret beyond its shape (a JWT's header must be JSON), with its line. */
  validate?: (secret: string, line: string) => boolean;
}

/** Token characters after which a token cannot have ended. */
const END = '(?![A-Za-z0-9_-])';

/**
 * gitleaks' "keyword nearby" form: `<name>… = <value>`, `"<name>": "<value>"`,
 * `<name>_KEY: <value>`; case-insensitive, as upstream's `(?i)` prefix is.
 */
function assigned(names: string, value: string): RegExp {
  return new RegExp(`(?:${names})[\\w.\\- \\t]{0,20}["']{0,3}[ \\t]{0,3}(?:=|>|:{1,3}=|\\|\\||:|=>|\\?=|,)[ \\t'"\`=]{0,5}(${value})${END}`, 'gi');
}

function base64UrlDecode(part: string): string {
  return Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

/** A JWT's header is base64url JSON naming its algorithm: `{"alg":"HS256",…}`. */
function isJwt(token: string): boolean {
  try {
    const header: unknown = JSON.parse(base64UrlDecode(token.slice(0, token.indexOf('.'))));
    return typeof header === 'object' && header !== null && ('alg' in header || 'typ' in header);
  } catch {
    return false;
  }
}

/** A Discord bot token's first part is the bot's user id (a snowflake), base64-encoded. */
function isDiscordBotToken(token: string): boolean {
  return /^\d{17,20}$/.test(base64UrlDecode(token.slice(0, token.indexOf('.'))));
}

export const PROVIDER_RULES: readonly ProviderRule[] = [
  {
    id: 'jwt',
    label: 'JSON Web Token',
    mirrors: ['gitleaks:jwt'],
    pattern: /\b(ey[A-Za-z0-9]{17,}\.ey[A-Za-z0-9/\\_-]{17,}\.(?:[A-Za-z0-9/\\_-]{10,}={0,2})?)(?![A-Za-z0-9/\\_=-])/g,
    keywords: ['eyj'],
    minEntropy: 3,
    // Beyond upstream: the header must decode, so `eyJ`-prefixed base64 of anything else is not a JWT.
    validate: isJwt,
  },
  { id: 'gcp-api-key', label: 'Google API key', mirrors: ['gitleaks:gcp-api-key'], pattern: new RegExp(`\\b(AIza[\\w-]{35})${END}`, 'g'), keywords: ['aiza'], minEntropy: 4 },
  {
    id: 'stripe-secret-key',
    label: 'Stripe live secret or restricted key',
    mirrors: ['gitleaks:stripe-access-token'],
    // Upstream also reports `sk_test_`/`rk_test_`: test-mode keys move no money and fill every tutorial, so not here.
    pattern: /\b((?:sk|rk)_(?:live|prod)_[A-Za-z0-9]{10,99})(?![A-Za-z0-9])/g,
    keywords: ['sk_live', 'sk_prod', 'rk_live', 'rk_prod'],
    minEntropy: 2,
  },
  { id: 'anthropic-admin-key', label: 'Anthropic admin API key', mirrors: ['gitleaks:anthropic-admin-api-key'], pattern: new RegExp(`\\b(sk-ant-admin01-[\\w-]{93}AA)${END}`, 'g'), keywords: ['sk-ant-admin01'] },
  {
    id: 'slack-webhook',
    label: 'Slack webhook URL',
    mirrors: ['gitleaks:slack-webhook-url'],
    // secretlint knows `services/` incoming webhooks; workflow and trigger URLs too are bearer URLs.
    pattern: /(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{43,56}/g,
    keywords: ['hooks.slack.com'],
  },
  { id: 'microsoft-teams-webhook', label: 'Microsoft Teams webhook URL', mirrors: ['gitleaks:microsoft-teams-webhook'], pattern: /https:\/\/[a-z0-9]+\.webhook\.office\.com\/webhookb2\/[a-z0-9-]{36}@[a-z0-9-]{36}\/IncomingWebhook\/[a-z0-9]{32}\/[a-z0-9-]{36}/g, keywords: ['webhook.office.com'] },
  {
    id: 'azure-storage-key',
    label: 'Azure storage account key',
    mirrors: ['trufflehog:azure_storage'],
    // `AccountKey=…` in a connection string, `storage_account_key = "…"`, `"accessKey": "…"`: 64 bytes of base64.
    pattern: /(?:Account|Storage|Access)[_.-]?Key["']?[ \t]*(?:=|:|=>)[ \t]*["']?([A-Za-z0-9+/]{86}==)/gi,
    keywords: ['key'],
    minEntropy: 4,
  },
  {
    id: 'azure-sas-token',
    label: 'Azure SAS token signature',
    mirrors: ['trufflehog:azuresastoken'],
    pattern: /[?&;]sig=([A-Za-z0-9%+/]{30,}(?:%3D|=){0,2})/gi,
    keywords: ['sig='],
    // Upstream validates the SAS parameters; a `sig=` without a service version is some other signature.
    validate: (_secret, line) => /[?&;]sv=\d{4}-\d{2}-\d{2}/.test(line) && /[?&;](?:sp|srt|ss|sr|se)=/.test(line),
  },
  {
    id: 'azure-ad-client-secret',
    label: 'Azure AD client secret',
    mirrors: ['gitleaks:azure-ad-client-secret'],
    pattern: /(?<![^\\'"`\s>=:(,)])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![^\\'"`\s<),])/g,
    keywords: ['q~'],
    minEntropy: 3,
  },
  { id: 'gitlab-pat', label: 'GitLab personal access token', mirrors: ['gitleaks:gitlab-pat', 'gitleaks:gitlab-pat-routable'], pattern: new RegExp(`\\b(glpat-(?:[\\w-]{27,300}\\.[0-9a-z]{9}|[\\w-]{20}))${END}`, 'g'), keywords: ['glpat-'], minEntropy: 3 },
  { id: 'gitlab-deploy-token', label: 'GitLab deploy token', mirrors: ['gitleaks:gitlab-deploy-token'], pattern: new RegExp(`\\b(gldt-[\\w-]{20})${END}`, 'g'), keywords: ['gldt-'], minEntropy: 3 },
  { id: 'gitlab-runner-token', label: 'GitLab runner token', mirrors: ['gitleaks:gitlab-runner-authentication-token', 'gitleaks:gitlab-runner-authentication-token-routable'], pattern: new RegExp(`\\b(glrt-(?:t\\d_[\\w-]{27,300}\\.[0-9a-z]{9}|[\\w-]{20}))${END}`, 'g'), keywords: ['glrt-'], minEntropy: 3 },
  { id: 'gitlab-pipeline-trigger-token', label: 'GitLab pipeline trigger token', mirrors: ['gitleaks:gitlab-ptt'], pattern: new RegExp(`\\b(glptt-[0-9a-f]{40})${END}`, 'g'), keywords: ['glptt-'], minEntropy: 3 },
  {
    id: 'sendgrid-api-key',
    label: 'SendGrid API key',
    mirrors: ['gitleaks:sendgrid-api-token'],
    // secretlint's SendGrid rule stops at a `-`, which real keys contain.
    pattern: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g,
    keywords: ['sg.'],
    minEntropy: 2,
  },
  {
    id: 'npmrc-auth-token',
    label: 'npm auth token',
    mirrors: ['secretlint:npm (Npmrc_authToken)'],
    // secretlint applies it to `.npmrc` files only; the same line turns up in Dockerfiles, CI scripts and prompts.
    pattern: /:_authToken=([^\s'"`$\\][^\s'"`\\]{7,})/g,
    keywords: ['_authtoken='],
  },
  { id: 'twilio-api-key', label: 'Twilio API key', mirrors: ['gitleaks:twilio-api-key'], pattern: /\b(SK[0-9a-fA-F]{32})\b/g, keywords: ['sk'], minEntropy: 3 },
  { id: 'twilio-auth-token', label: 'Twilio auth token', mirrors: ['trufflehog:twilio'], pattern: assigned('twilio', '[a-f0-9]{32}'), keywords: ['twilio'], minEntropy: 3 },
  { id: 'mailgun-api-key', label: 'Mailgun API key', mirrors: ['gitleaks:mailgun-private-api-token'], pattern: assigned('mailgun', 'key-[a-f0-9]{32}'), keywords: ['mailgun'] },
  { id: 'mailgun-signing-key', label: 'Mailgun signing key', mirrors: ['gitleaks:mailgun-signing-key'], pattern: assigned('mailgun', '[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}'), keywords: ['mailgun'] },
  { id: 'huggingface-token', label: 'Hugging Face token', mirrors: ['gitleaks:huggingface-access-token', 'gitleaks:huggingface-organization-api-token'], pattern: new RegExp(`\\b((?:hf_|api_org_)[A-Za-z]{34})${END}`, 'g'), keywords: ['hf_', 'api_org_'], minEntropy: 2 },
  {
    id: 'discord-bot-token',
    label: 'Discord bot token',
    mirrors: ['trufflehog:discordbottoken'],
    // Upstream wants the word "discord" nearby; the decoded user id in the first part is a stronger sign.
    pattern: new RegExp(`\\b([MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38})${END}`, 'g'),
    minEntropy: 3.5,
    validate: isDiscordBotToken,
  },
  { id: 'discord-webhook', label: 'Discord webhook URL', mirrors: ['trufflehog:discordwebhook'], pattern: new RegExp(`https://(?:(?:ptb|canary)\\.)?discord(?:app)?\\.com/api/webhooks/\\d{17,20}/([\\w-]{60,68})${END}`, 'g'), keywords: ['discord'] },
  {
    id: 'telegram-bot-token',
    label: 'Telegram bot token',
    mirrors: ['gitleaks:telegram-bot-api-token'],
    // Upstream wants "telegr" in the name it is assigned to; `<bot id>:A<34>` is distinctive enough alone.
    pattern: new RegExp(`(?<![\\w:])(\\d{5,16}:A[\\w-]{34})${END}`, 'g'),
    keywords: [':a'],
    minEntropy: 3,
  },
  { id: 'square-access-token', label: 'Square access token', mirrors: ['gitleaks:square-access-token'], pattern: new RegExp(`\\b((?:EAAA|sq0atp-)[\\w-]{22,60})${END}`, 'g'), keywords: ['eaaa', 'sq0atp-'], minEntropy: 2 },
  { id: 'pypi-upload-token', label: 'PyPI upload token', mirrors: ['gitleaks:pypi-upload-token'], pattern: new RegExp(`\\b(pypi-AgEIcHlwaS5vcmc[\\w-]{50,1000})${END}`, 'g'), keywords: ['pypi-ageichlwas5vcmc'], minEntropy: 3 },
  { id: 'docker-hub-token', label: 'Docker Hub access token', mirrors: ['trufflehog:dockerhub (v2)'], pattern: new RegExp(`\\b(dckr_pat_[\\w-]{27}|dckr_oat_[\\w-]{32})${END}`, 'g'), keywords: ['dckr_'] },
  { id: 'databricks-token', label: 'Databricks API token', mirrors: ['gitleaks:databricks-api-token'], pattern: new RegExp(`\\b(dapi[a-f0-9]{32}(?:-\\d)?)${END}`, 'g'), keywords: ['dapi'], minEntropy: 3 },
  { id: 'digitalocean-token', label: 'DigitalOcean token', mirrors: ['gitleaks:digitalocean-pat', 'gitleaks:digitalocean-access-token', 'gitleaks:digitalocean-refresh-token'], pattern: new RegExp(`\\b(do[opr]_v1_[a-f0-9]{64})${END}`, 'g'), keywords: ['_v1_'], minEntropy: 3 },
  { id: 'heroku-api-key', label: 'Heroku API key', mirrors: ['gitleaks:heroku-api-key'], pattern: assigned('heroku', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'), keywords: ['heroku'] },
  { id: 'heroku-api-key-v2', label: 'Heroku API key', mirrors: ['gitleaks:heroku-api-key-v2'], pattern: new RegExp(`\\b(HRKU-AA[\\w-]{58})${END}`, 'g'), keywords: ['hrku-aa'], minEntropy: 4 },
  { id: 'atlassian-api-token', label: 'Atlassian API token', mirrors: ['gitleaks:atlassian-api-token'], pattern: /\b(ATATT3[A-Za-z0-9_=-]{186})(?![A-Za-z0-9_=-])/g, keywords: ['atatt3'], minEntropy: 3.5 },
  {
    id: 'atlassian-api-token-legacy',
    label: 'Atlassian API token',
    mirrors: ['gitleaks:atlassian-api-token'],
    pattern: assigned('atlassian|confluence|jira', '[a-z0-9]{20}[a-f0-9]{4}'),
    keywords: ['atlassian', 'confluence', 'jira'],
    minEntropy: 3.5,
    // The regex is case-insensitive for the name; upstream's value is lowercase.
    validate: (secret) => /^[a-z0-9]{20}[a-f0-9]{4}$/.test(secret),
  },
  { id: 'postman-api-key', label: 'Postman API key', mirrors: ['gitleaks:postman-api-token'], pattern: new RegExp(`\\b(PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34})${END}`, 'g'), keywords: ['pmak-'], minEntropy: 3 },
  { id: 'doppler-token', label: 'Doppler token', mirrors: ['gitleaks:doppler-api-token'], pattern: /\b(dp\.pt\.[A-Za-z0-9]{43})(?![A-Za-z0-9])/g, keywords: ['dp.pt.'], minEntropy: 2 },
  {
    id: 'vault-token',
    label: 'HashiCorp Vault token',
    mirrors: ['gitleaks:vault-service-token', 'gitleaks:vault-batch-token'],
    // Upstream wants 90+ characters after `hvs.`; Vault's own docs also show 24-character service tokens.
    pattern: new RegExp(`\\b(hvs\\.(?:[\\w-]{90,120}|[A-Za-z0-9]{24})|hvb\\.[\\w-]{138,300})${END}`, 'g'),
    keywords: ['hvs.', 'hvb.'],
    minEntropy: 3.5,
  },
  { id: 'grafana-cloud-token', label: 'Grafana Cloud token', mirrors: ['gitleaks:grafana-cloud-api-token'], pattern: /\b(glc_[A-Za-z0-9+/]{32,400}={0,3})(?![A-Za-z0-9+/=])/g, keywords: ['glc_'], minEntropy: 3 },
  { id: 'grafana-service-account-token', label: 'Grafana service account token', mirrors: ['gitleaks:grafana-service-account-token'], pattern: new RegExp(`\\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})${END}`, 'g'), keywords: ['glsa_'], minEntropy: 3 },
  { id: 'grafana-api-key', label: 'Grafana API key', mirrors: ['gitleaks:grafana-api-key'], pattern: /\b(eyJrIjoi[A-Za-z0-9]{70,400}={0,3})(?![A-Za-z0-9=])/g, keywords: ['eyjrijoi'], minEntropy: 3 },
  {
    id: 'sentry-org-token',
    label: 'Sentry organization token',
    mirrors: ['gitleaks:sentry-org-token'],
    pattern: /\b(sntrys_eyJpYXQiO[A-Za-z0-9+/]{10,400}={0,2}_[A-Za-z0-9+/]{43})(?![A-Za-z0-9+/])/g,
    keywords: ['sntrys_'],
    minEntropy: 4.5,
    // Upstream requires the `region_url` claim inside the payload; one check after the match keeps the regex linear.
    validate: (secret) => /LCJyZWdpb25fdXJs|InJlZ2lvbl91cmwi|cmVnaW9uX3VybCI6/.test(secret),
  },
  { id: 'sentry-user-token', label: 'Sentry user token', mirrors: ['gitleaks:sentry-user-token'], pattern: new RegExp(`\\b(sntryu_[a-f0-9]{64})${END}`, 'g'), keywords: ['sntryu_'], minEntropy: 3.5 },
  { id: 'supabase-token', label: 'Supabase access token', mirrors: ['trufflehog:supabasetoken'], pattern: new RegExp(`\\b(sbp_[a-f0-9]{40})${END}`, 'g'), keywords: ['sbp_'] },
  { id: 'figma-token', label: 'Figma access token', mirrors: ['trufflehog:figmapersonalaccesstoken (v2, v3)'], pattern: /\b(figd_[\w-]{40}|figp_[\w=-]{40,54})(?![\w=-])/g, keywords: ['figd_', 'figp_'] },
  { id: 'new-relic-user-api-key', label: 'New Relic user API key', mirrors: ['gitleaks:new-relic-user-api-key'], pattern: new RegExp(`\\b(NRAK-[A-Z0-9]{27})${END}`, 'g'), keywords: ['nrak-'] },
  { id: 'new-relic-insert-key', label: 'New Relic insert key', mirrors: ['gitleaks:new-relic-insert-key'], pattern: new RegExp(`\\b(NRII-[A-Za-z0-9-]{32})${END}`, 'g'), keywords: ['nrii-'] },
  { id: 'new-relic-browser-key', label: 'New Relic browser API key', mirrors: ['gitleaks:new-relic-browser-api-token'], pattern: new RegExp(`\\b(NRJS-[a-f0-9]{19})${END}`, 'g'), keywords: ['nrjs-'] },
  { id: 'age-secret-key', label: 'age secret key', mirrors: ['gitleaks:age-secret-key'], pattern: /\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b/g, keywords: ['age-secret-key-1'] },
];

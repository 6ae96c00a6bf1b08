/**
 * A labelled corpus for secret detection: real-looking credentials of every kind
 * we claim to find, in the file types they turn up in, and the look-alikes and
 * placeholders that must not raise an alarm. Used by secretCorpus.test.ts (every
 * case must pass) and by bench/secretBench.ts (recall and false alarms per kind).
 *
 * No credential is written here as a literal: each is built at module load from a
 * seeded PRNG (mulberry32), so the values are stable across runs, look random, and
 * neither GitHub's push protection nor Diffwise reviewing its own repository sees
 * a token in this file's source.
 */

/** One labelled text. */
export interface SecretCase {
  name: string;
  /** The family, for the bench's per-kind figures: a provider (`github`), or a look-alike class (`hash`). */
  kind: string;
  path: string;
  text: string;
  /** The secrets that must be found; each detection must cover one of them. Empty: nothing may be found. */
  secrets: string[];
  /** What the finding's message must say, for the first secret. */
  label?: RegExp;
  /** A known miss, reported as pending with this reason rather than hidden. */
  knownMiss?: string;
}

let state = 0x5eed;
function next(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const B64URL = ALNUM + '-_';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';

/** `length` characters of `alphabet`, from the seeded PRNG. */
function rnd(length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[next() % alphabet.length];
  return out;
}

/** Joins a prefix written in two halves to its body, so no prefix+body literal exists in this file. */
const p = (...parts: string[]): string => parts.join('');

function b64url(value: string): string {
  return Buffer.from(value).toString('base64url');
}

function uuid(): string {
  return [rnd(8, HEX), rnd(4, HEX), '4' + rnd(3, HEX), '8' + rnd(3, HEX), rnd(12, HEX)].join('-');
}

/** A PEM block: `lines` lines of 64 base64 characters after `first`, ending with a shorter line. */
function pem(type: string, first: string, lines = 12, headers: string[] = []): string {
  const body = [first + rnd(64 - first.length, B64), ...Array.from({ length: lines - 1 }, () => rnd(64, B64)), rnd(28, B64) + '=='];
  return [`-----BEGIN ${type}-----`, ...headers, ...(headers.length ? [''] : []), ...body, `-----END ${type}-----`].join('\n');
}

const PRIVATE = p('PRIVATE', ' KEY');

/** One credential of every kind, built once; the integration test sends each through the LLM redaction. */
export const SECRETS = {
  githubPat: p('gh', 'p_') + rnd(36),
  githubOauth: p('gh', 'o_') + rnd(36),
  githubApp: p('gh', 's_') + rnd(36),
  githubUser: p('gh', 'u_') + rnd(36),
  githubRefresh: p('gh', 'r_') + rnd(36),
  githubFineGrained: p('github', '_pat_') + rnd(22) + '_' + rnd(59),
  gitlabPat: p('glpat', '-') + rnd(20, ALNUM + '_-'),
  gitlabRoutable: p('glpat', '-') + rnd(36, ALNUM + '_-') + '.01' + rnd(7, LOWER + DIGITS),
  gitlabDeploy: p('gldt', '-') + rnd(20),
  awsKeyId: p('AK', 'IA') + rnd(16, BASE32),
  awsSessionKeyId: p('AS', 'IA') + rnd(16, BASE32),
  awsSecret: rnd(40, B64),
  slackBot: [p('xo', 'xb'), rnd(12, DIGITS), rnd(13, DIGITS), rnd(24)].join('-'),
  slackUser: [p('xo', 'xp'), rnd(12, DIGITS), rnd(12, DIGITS), rnd(13, DIGITS), rnd(32, HEX)].join('-'),
  slackApp: [p('xa', 'pp'), '1', 'A' + rnd(10, UPPER + DIGITS), rnd(13, DIGITS), rnd(64, HEX)].join('-'),
  slackWebhook: `https://hooks.slack.com/services/T${rnd(8, UPPER + DIGITS)}/B${rnd(10, UPPER + DIGITS)}/${rnd(24)}`,
  openaiProject: p('sk-', 'proj-') + rnd(74) + 'T3Blbk' + 'FJ' + rnd(74),
  openaiServiceAccount: p('sk-', 'svcacct-') + rnd(74) + 'T3Blbk' + 'FJ' + rnd(74),
  openaiAdmin: p('sk-', 'admin-') + rnd(58) + 'T3Blbk' + 'FJ' + rnd(58),
  openaiLegacy: p('sk', '-') + rnd(20) + 'T3Blbk' + 'FJ' + rnd(20),
  anthropic: p('sk-ant', '-api03-') + rnd(93, ALNUM + '_-') + 'AA',
  anthropicAdmin: p('sk-ant', '-admin01-') + rnd(93, ALNUM + '_-') + 'AA',
  stripeLive: p('sk_', 'live_') + rnd(99),
  stripeRestricted: p('rk_', 'live_') + rnd(99),
  googleApiKey: p('AI', 'za') + 'Sy' + rnd(33, ALNUM + '_-'),
  jwt: [b64url('{"alg":"HS256","typ":"JWT"}'), b64url(`{"sub":"${uuid()}","iat":1718000000,"scope":"admin"}`), rnd(43, B64URL)].join('.'),
  supabaseServiceRole: [b64url('{"alg":"HS256","typ":"JWT"}'), b64url(`{"iss":"supabase","ref":"${rnd(20, LOWER)}","role":"service_role","iat":1700000000,"exp":2000000000}`), rnd(43, B64URL)].join('.'),
  npmToken: p('np', 'm_') + rnd(36),
  npmrcUuid: uuid(),
  azureStorageKey: rnd(86, B64) + '==',
  azureSasSig: rnd(40, ALNUM) + '%2B' + rnd(3) + '%3D',
  azureAdSecret: rnd(3) + '8Q' + '~' + rnd(34, ALNUM + '_~.-').replace(/[-.]$/, 'x'),
  gcpPrivateKeyBody: rnd(64, B64),
  twilioApiKey: p('S', 'K') + rnd(32, HEX),
  twilioAuthToken: rnd(32, HEX),
  sendgrid: p('S', 'G.') + rnd(22, ALNUM + '_-') + '.' + rnd(43, ALNUM + '_-'),
  mailgunKey: p('key', '-') + rnd(32, HEX),
  mailgunSigning: `${rnd(32, HEX)}-${rnd(8, HEX)}-${rnd(8, HEX)}`,
  shopify: p('shp', 'at_') + rnd(32, HEX),
  huggingface: p('h', 'f_') + rnd(34, UPPER + LOWER),
  discordBot: [Buffer.from(`1${rnd(17, DIGITS)}`).toString('base64').replace(/=+$/, ''), rnd(6, B64URL), rnd(38, ALNUM)].join('.'),
  discordWebhook: `https://discord.com/api/webhooks/1${rnd(18, DIGITS)}/${rnd(68, ALNUM)}`,
  telegram: `${rnd(10, DIGITS)}:${p('A', 'A')}${rnd(33, ALNUM)}`,
  square: p('EA', 'AA') + rnd(60, ALNUM),
  squareOauth: p('sq0', 'atp-') + rnd(22, ALNUM),
  pypi: p('pypi-', 'AgEIcHlwaS5vcmc') + rnd(150, ALNUM),
  docker: p('dckr', '_pat_') + rnd(27, ALNUM),
  databricks: p('da', 'pi') + rnd(32, HEX),
  digitalocean: p('dop', '_v1_') + rnd(64, HEX),
  herokuUuid: uuid(),
  herokuV2: p('HRKU', '-AA') + rnd(58, ALNUM),
  atlassian: p('ATA', 'TT3') + rnd(186, ALNUM),
  atlassianLegacy: rnd(20, LOWER + DIGITS) + rnd(4, HEX),
  postman: p('PM', 'AK-') + rnd(24, HEX) + '-' + rnd(34, HEX),
  doppler: p('dp.', 'pt.') + rnd(43, ALNUM),
  vault: p('hv', 's.') + rnd(24, ALNUM),
  vaultLong: p('hv', 's.') + 'CAESI' + rnd(90, ALNUM),
  grafanaCloud: p('gl', 'c_') + Buffer.from(`{"o":"${rnd(6, DIGITS)}","n":"stack-${rnd(6, DIGITS)}-hm-read","k":"${rnd(24)}","m":{"r":"us"}}`).toString('base64').replace(/=+$/, ''),
  grafanaServiceAccount: p('gl', 'sa_') + rnd(32) + '_' + rnd(8, HEX),
  sentryUser: p('sntr', 'yu_') + rnd(64, HEX),
  sentryOrg: p('sntr', 'ys_') + Buffer.from(`{"iat":1718000000.1,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"acme-${rnd(6, LOWER)}"}`).toString('base64').replace(/=+$/, '') + '_' + rnd(43, ALNUM),
  supabase: p('sb', 'p_') + rnd(40, HEX),
  figma: p('fig', 'd_') + rnd(40, ALNUM + '_-'),
  linear: p('lin', '_api_') + rnd(40),
  newRelic: p('NR', 'AK-') + rnd(27, UPPER + DIGITS),
  age: p('AGE-SECRET', '-KEY-1') + rnd(58, BECH32),
  postgresPassword: 'Pg' + rnd(18),
  redisPassword: rnd(24),
  genericApiKey: rnd(32),
  genericSecret: rnd(28, B64URL),
  k8sPassword: rnd(20),
  rsaKey: pem(`RSA ${PRIVATE}`, 'MIIEowIBAAKCAQEA', 25),
  ecKey: pem(`EC ${PRIVATE}`, 'MHcCAQEEI', 3),
  dsaKey: pem(`DSA ${PRIVATE}`, 'MIIBuwIBAAKBgQ', 7),
  pkcs8Key: pem(PRIVATE, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 25),
  encryptedPkcs8Key: pem(`ENCRYPTED ${PRIVATE}`, 'MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkq', 26),
  legacyEncryptedKey: pem(`RSA ${PRIVATE}`, '', 25, ['Proc-Type: 4,ENCRYPTED', `DEK-Info: AES-256-CBC,${rnd(32, HEX).toUpperCase()}`]),
  opensshKey: pem(`OPENSSH ${PRIVATE}`, 'b3BlbnNzaC1rZXktdjEAAAAA', 6),
  pgpKey: [`-----BEGIN PGP ${PRIVATE} BLOCK-----`, '', ...Array.from({ length: 14 }, () => rnd(64, B64)), '=' + rnd(4, B64), `-----END PGP ${PRIVATE} BLOCK-----`].join('\n'),
};

const S = SECRETS;

// ---------------------------------------------------------------------------
// How each file type holds a value

const ts = (name: string, value: string) => `import { client } from './client';\n\nexport const ${name} = '${value}';\nclient.configure({ ${name} });\n`;
const py = (name: string, value: string) => `import os\n\n${name} = "${value}"\n\ndef connect():\n    return Client(${name})\n`;
const env = (name: string, value: string) => `NODE_ENV=production\nPORT=8080\n${name}=${value}\n`;
const yaml = (name: string, value: string) => `service:\n  name: billing\n  ${name}: ${value}\n  replicas: 2\n`;
const json = (name: string, value: string) => `{\n  "name": "billing",\n  "${name}": "${value}",\n  "retries": 3\n}\n`;
const tf = (name: string, value: string) => `resource "provider_config" "main" {\n  region = "eu-west-1"\n  ${name} = "${value}"\n}\n`;
const dockerfile = (name: string, value: string) => `FROM node:20-slim\nWORKDIR /app\nENV ${name}=${value}\nRUN npm ci\n`;

function found(kind: string, name: string, path: string, text: string, secrets: string | string[], label?: RegExp): SecretCase {
  return { name, kind, path, text, secrets: Array.isArray(secrets) ? secrets : [secrets], label };
}

function clean(kind: string, name: string, path: string, text: string): SecretCase {
  return { name, kind, path, text, secrets: [] };
}

const pubKeyBody = () => pem('PUBLIC KEY', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', 6);
const certificate = () => pem('CERTIFICATE', 'MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa', 18);
const JWT_IO_EXAMPLE = ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'].join('.');

export const SECRET_CORPUS: readonly SecretCase[] = [
  // GitHub
  found('github', 'classic PAT in .ts', 'src/github.ts', ts('token', S.githubPat), S.githubPat, /GitHub token/),
  found('github', 'OAuth token in .py', 'app/gh.py', py('GH_OAUTH', S.githubOauth), S.githubOauth, /GitHub token/),
  found('github', 'app installation token in .env', '.env', env('GITHUB_APP_TOKEN', S.githubApp), S.githubApp, /GitHub token/),
  found('github', 'user-to-server token in YAML', 'ci/deploy.yaml', yaml('token', S.githubUser), S.githubUser, /GitHub token/),
  found('github', 'refresh token in JSON', 'config/github.json', json('refresh', S.githubRefresh), S.githubRefresh, /GitHub token/),
  found('github', 'fine-grained PAT in a Dockerfile', 'Dockerfile', dockerfile('GH_TOKEN', S.githubFineGrained), S.githubFineGrained, /GitHub token/),
  found('github', 'PAT inside a clone URL in a shell script', 'scripts/clone.sh', `#!/bin/sh\ngit clone https://x-access-token:${S.githubPat}@github.com/acme/app.git\n`, S.githubPat),
  // GitLab
  found('gitlab', 'PAT in .env', '.env', env('GITLAB_TOKEN', S.gitlabPat), S.gitlabPat, /GitLab personal access token/),
  found('gitlab', 'routable PAT in .ts', 'src/gitlab.ts', ts('gitlab', S.gitlabRoutable), S.gitlabRoutable, /GitLab personal access token/),
  found('gitlab', 'deploy token in YAML', '.gitlab-ci.yml', yaml('deploy', S.gitlabDeploy), S.gitlabDeploy, /GitLab deploy token/),
  // AWS
  found('aws', 'access key id and secret in a credentials file', 'deploy/credentials', `[default]\naws_access_key_id = ${S.awsKeyId}\naws_secret_access_key = ${S.awsSecret}\n`, [S.awsKeyId, S.awsSecret], /AWS access key ID/),
  found('aws', 'session key id (ASIA) in .env', '.env', env('AWS_ACCESS_KEY_ID', S.awsSessionKeyId), S.awsSessionKeyId, /AWS access key ID/),
  found('aws', 'secret key in Terraform', 'infra/main.tf', `provider "aws" {\n  access_key = "${S.awsKeyId}"\n  secret_key = "${S.awsSecret}"\n}\n`, [S.awsKeyId, S.awsSecret]),
  found('aws', 'key pair in Python', 'app/s3.py', `import boto3\n\ns3 = boto3.client(\n    "s3",\n    aws_access_key_id="${S.awsKeyId}",\n    aws_secret_access_key="${S.awsSecret}",\n)\n`, [S.awsKeyId, S.awsSecret]),
  // Slack
  found('slack', 'bot token in .js', 'bot/config.js', `module.exports = { slack: '${S.slackBot}' };\n`, S.slackBot, /Slack token/),
  found('slack', 'user token in .env', '.env', env('SLACK_USER_TOKEN', S.slackUser), S.slackUser, /Slack token/),
  found('slack', 'app-level token in YAML', 'k8s/slack.yaml', yaml('appToken', S.slackApp), S.slackApp, /Slack token/),
  found('slack', 'incoming webhook in .py', 'alerts/notify.py', py('WEBHOOK', S.slackWebhook), S.slackWebhook, /Slack .*webhook/i),
  // OpenAI
  found('openai', 'project key in .env', '.env', env('OPENAI_API_KEY', S.openaiProject), S.openaiProject, /OpenAI API key/),
  found('openai', 'service-account key in .ts', 'src/llm.ts', ts('openaiKey', S.openaiServiceAccount), S.openaiServiceAccount, /OpenAI API key/),
  found('openai', 'admin key in .py', 'tools/usage.py', py('OPENAI_ADMIN_KEY', S.openaiAdmin), S.openaiAdmin, /OpenAI API key/),
  found('openai', 'legacy key in JSON', 'settings.json', json('openai', S.openaiLegacy), S.openaiLegacy, /OpenAI API key/),
  // Anthropic
  found('anthropic', 'API key in .env', '.env', env('ANTHROPIC_API_KEY', S.anthropic), S.anthropic, /Anthropic API key/),
  found('anthropic', 'admin key in .ts', 'src/admin.ts', ts('adminKey', S.anthropicAdmin), S.anthropicAdmin, /Anthropic admin API key/),
  // Stripe
  found('stripe', 'live secret key in .ts', 'src/payments.ts', ts('stripeKey', S.stripeLive), S.stripeLive, /Stripe/),
  found('stripe', 'restricted key in .env', '.env', env('STRIPE_RESTRICTED', S.stripeRestricted), S.stripeRestricted, /Stripe/),
  found('stripe', 'live key passed to the SDK in .py', 'billing/stripe_client.py', `import stripe\n\nstripe.api_key = "${S.stripeLive}"\n`, S.stripeLive, /Stripe/),
  // Google
  found('google', 'API key in .js', 'web/maps.js', `const map = loadMaps({ key: "${S.googleApiKey}" });\n`, S.googleApiKey, /Google API key/),
  found('google', 'API key in an HTML script tag', 'web/index.html', `<script src="https://maps.googleapis.com/maps/api/js?key=${S.googleApiKey}&callback=init"></script>\n`, S.googleApiKey, /Google API key/),
  found('google', 'API key in Android strings.xml', 'app/res/values/strings.xml', `<resources>\n  <string name="maps_key">${S.googleApiKey}</string>\n</resources>\n`, S.googleApiKey),
  // JWT
  found('jwt', 'token in a test helper .ts', 'src/session.ts', `const headers = { cookie: 'session=${S.jwt}' };\n`, S.jwt, /JSON Web Token/),
  found('jwt', 'Authorization header in .py', 'client/api.py', `headers = {"Authorization": "Bearer ${S.jwt}"}\n`, S.jwt),
  found('jwt', 'Supabase service-role key in .env', '.env', env('SUPABASE_SERVICE_ROLE_KEY', S.supabaseServiceRole), S.supabaseServiceRole, /JSON Web Token/),
  found('jwt', 'token in a curl command in Markdown', 'docs/api.md', `Call it:\n\n    curl -H "Authorization: Bearer ${S.jwt}" https://api.acme.dev/v1/me\n`, S.jwt),
  // npm
  found('npm', 'access token in .npmrc', '.npmrc', `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${S.npmToken}\n`, S.npmToken, /npm/),
  found('npm', 'legacy UUID auth token in .npmrc', '.npmrc', `//npm.acme.dev/:_authToken=${S.npmrcUuid}\nalways-auth=true\n`, S.npmrcUuid, /npm auth token/),
  found('npm', 'access token in a GitHub workflow', '.github/workflows/release.yml', `jobs:\n  publish:\n    env:\n      NODE_AUTH_TOKEN: ${S.npmToken}\n`, S.npmToken, /npm access token/),
  found('npm', 'access token in a Dockerfile ARG', 'Dockerfile', `FROM node:20\nARG NPM_TOKEN=${S.npmToken}\nRUN npm ci\n`, S.npmToken),
  // Azure
  found('azure', 'storage account key in a connection string (.json)', 'appsettings.json', json('StorageConnection', `DefaultEndpointsProtocol=https;AccountName=acmestore;AccountKey=${S.azureStorageKey};EndpointSuffix=core.windows.net`), S.azureStorageKey, /Azure storage account key/),
  found('azure', 'storage account key in Terraform', 'infra/storage.tf', tf('storage_account_key', S.azureStorageKey), S.azureStorageKey, /Azure storage account key/),
  found('azure', 'SAS URL in .ts', 'src/upload.ts', ts('uploadUrl', `https://acmestore.blob.core.windows.net/uploads/a.csv?sv=2022-11-02&ss=b&srt=sco&sp=rwdlac&se=2026-12-31T23:59:59Z&st=2024-01-01T00:00:00Z&spr=https&sig=${S.azureSasSig}`), S.azureSasSig, /Azure SAS/),
  found('azure', 'AD client secret in .env', '.env', env('AZURE_CLIENT_SECRET', S.azureAdSecret), S.azureAdSecret, /Azure AD client secret/),
  found('azure', 'AD client secret in Terraform', 'infra/aad.tf', tf('client_secret', S.azureAdSecret), S.azureAdSecret),
  // GCP
  found(
    'gcp',
    'service-account JSON key',
    'keys/service-account.json',
    JSON.stringify({
      type: 'service_account', project_id: 'acme-prod', private_key_id: rnd(40, HEX),
      private_key: `-----BEGIN ${PRIVATE}-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC${rnd(32, B64)}\n${S.gcpPrivateKeyBody}\n${rnd(64, B64)}\n${rnd(64, B64)}\n-----END ${PRIVATE}-----\n`,
      client_email: 'deployer@acme-prod.iam.gserviceaccount.com', client_id: rnd(21, DIGITS),
    }, null, 2),
    S.gcpPrivateKeyBody,
  ),
  // Private keys, every PEM form
  found('private-key', 'RSA key in .pem', 'certs/server.pem', `${S.rsaKey}\n`, S.rsaKey, /private key/i),
  found('private-key', 'EC key in .key', 'certs/ec.key', `${S.ecKey}\n`, S.ecKey, /private key/i),
  found('private-key', 'DSA key', 'certs/dsa.pem', `${S.dsaKey}\n`, S.dsaKey, /private key/i),
  found('private-key', 'PKCS#8 key', 'certs/pkcs8.pem', `${S.pkcs8Key}\n`, S.pkcs8Key, /private key/i),
  found('private-key', 'encrypted PKCS#8 key', 'certs/enc.pem', `${S.encryptedPkcs8Key}\n`, S.encryptedPkcs8Key, /private key/i),
  found('private-key', 'legacy encrypted PEM (Proc-Type)', 'certs/legacy.pem', `${S.legacyEncryptedKey}\n`, S.legacyEncryptedKey, /private key/i),
  found('private-key', 'OpenSSH (ed25519) key', 'deploy/id_ed25519', `${S.opensshKey}\n`, S.opensshKey, /private key/i),
  found('private-key', 'PGP private key block', 'keys/release.asc', `${S.pgpKey}\n`, S.pgpKey, /private key/i),
  found('private-key', 'RSA key in a .ts template literal', 'test/fixtures/tls.ts', `export const key = \`${S.rsaKey}\`;\n`, S.rsaKey, /private key/i),
  found('private-key', 'PKCS#8 key JSON-escaped on one line', 'config/jwt.json', `{ "signingKey": "${S.pkcs8Key.replace(/\n/g, '\\n')}" }\n`, S.pkcs8Key.replace(/\n/g, '\\n'), /private key/i),
  found('private-key', 'EC key in a YAML block scalar', 'k8s/tls.yaml', `tls:\n  key: |\n${S.ecKey.split('\n').map((l) => `    ${l}`).join('\n')}\n`, S.ecKey.split('\n').map((l) => `    ${l}`).join('\n').trimStart(), /private key/i),
  // Twilio, SendGrid, Mailgun, Shopify
  found('twilio', 'API key (SK…) in .env', '.env', env('TWILIO_API_KEY', S.twilioApiKey), S.twilioApiKey, /Twilio API key/),
  found('twilio', 'auth token in .py', 'sms/send.py', py('twilio_auth_token', S.twilioAuthToken), S.twilioAuthToken),
  found('twilio', 'auth token in YAML', 'config/sms.yaml', `twilio:\n  account_sid: AC${rnd(32, HEX)}\n  auth_token: ${S.twilioAuthToken}\n`, S.twilioAuthToken),
  found('sendgrid', 'API key in .ts', 'src/mail.ts', ts('sendgridKey', S.sendgrid), S.sendgrid, /SendGrid/),
  found('sendgrid', 'API key in .env', '.env', env('SENDGRID_API_KEY', S.sendgrid), S.sendgrid, /SendGrid/),
  found('mailgun', 'private API key in .env', '.env', env('MAILGUN_API_KEY', S.mailgunKey), S.mailgunKey, /Mailgun/),
  found('mailgun', 'signing key in .py', 'mail/hooks.py', py('MAILGUN_SIGNING_KEY', S.mailgunSigning), S.mailgunSigning, /Mailgun/),
  found('shopify', 'admin API access token in .ts', 'src/shop.ts', ts('shopifyToken', S.shopify), S.shopify, /Shopify/),
  // Hugging Face, Discord, Telegram
  found('huggingface', 'token in .py', 'ml/train.py', py('HF_TOKEN', S.huggingface), S.huggingface, /Hugging Face/),
  found('huggingface', 'token in a notebook cell (JSON)', 'notebooks/train.ipynb', `{\n "cells": [{ "source": ["login(token=\\"${S.huggingface}\\")"] }]\n}\n`, S.huggingface, /Hugging Face/),
  found('discord', 'bot token in .js', 'bot/index.js', `client.login('${S.discordBot}');\n`, S.discordBot, /Discord bot token/),
  found('discord', 'bot token in .env', '.env', env('DISCORD_TOKEN', S.discordBot), S.discordBot, /Discord bot token/),
  found('discord', 'webhook in .py', 'alerts/discord.py', py('WEBHOOK_URL', S.discordWebhook), S.discordWebhook.slice(S.discordWebhook.lastIndexOf('/') + 1), /Discord webhook/),
  found('telegram', 'bot token in .py', 'bot/main.py', `from telegram.ext import Application\n\napp = Application.builder().token("${S.telegram}").build()\n`, S.telegram, /Telegram bot token/),
  found('telegram', 'bot token in .env', '.env', env('BOT_TOKEN', S.telegram), S.telegram, /Telegram bot token/),
  // Square, PyPI, Docker Hub, Databricks, DigitalOcean, Heroku
  found('square', 'access token in .env', '.env', env('SQUARE_ACCESS_TOKEN', S.square), S.square, /Square/),
  found('square', 'OAuth access token in .ts', 'src/square.ts', ts('squareToken', S.squareOauth), S.squareOauth, /Square/),
  found('pypi', 'upload token in .pypirc', '.pypirc', `[pypi]\n  username = __token__\n  password = ${S.pypi}\n`, S.pypi, /PyPI/),
  found('pypi', 'upload token in a workflow', '.github/workflows/publish.yml', `      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: ${S.pypi}\n`, S.pypi, /PyPI/),
  found('docker', 'Docker Hub PAT in a shell script', 'scripts/push.sh', `#!/bin/sh\necho "${S.docker}" | docker login -u acme --password-stdin\n`, S.docker, /Docker Hub/),
  found('docker', 'Docker Hub PAT in .env', '.env', env('DOCKERHUB_TOKEN', S.docker), S.docker, /Docker Hub/),
  found('databricks', 'token in .py', 'jobs/etl.py', py('DATABRICKS_TOKEN', S.databricks), S.databricks, /Databricks/),
  found('digitalocean', 'PAT in Terraform', 'infra/do.tf', `provider "digitalocean" {\n  token = "${S.digitalocean}"\n}\n`, S.digitalocean, /DigitalOcean/),
  found('heroku', 'API key (UUID) in .env', '.env', env('HEROKU_API_KEY', S.herokuUuid), S.herokuUuid, /Heroku/),
  found('heroku', 'API key v2 in .ts', 'src/heroku.ts', ts('herokuKey', S.herokuV2), S.herokuV2, /Heroku/),
  // Atlassian, Postman, Doppler, Vault
  found('atlassian', 'API token in .env', '.env', env('ATLASSIAN_API_TOKEN', S.atlassian), S.atlassian, /Atlassian/),
  found('atlassian', 'legacy Jira token in YAML', 'config/jira.yaml', yaml('jira_api_token', S.atlassianLegacy), S.atlassianLegacy, /Atlassian/),
  found('postman', 'API key in JSON', 'postman/env.json', json('apiKey', S.postman), S.postman, /Postman/),
  found('doppler', 'personal token in .env', '.env', env('DOPPLER_TOKEN', S.doppler), S.doppler, /Doppler/),
  found('vault', 'service token in .sh', 'scripts/vault.sh', `#!/bin/sh\nexport VAULT_TOKEN=${S.vault}\nvault kv get secret/app\n`, S.vault, /Vault/),
  found('vault', 'long service token in .py', 'app/vault.py', py('VAULT_TOKEN', S.vaultLong), S.vaultLong, /Vault/),
  // Grafana, Sentry, Supabase, Figma, Linear, New Relic, age
  found('grafana', 'Cloud token in .env', '.env', env('GRAFANA_CLOUD_TOKEN', S.grafanaCloud), S.grafanaCloud, /Grafana/),
  found('grafana', 'service account token in YAML', 'grafana/provisioning.yaml', yaml('token', S.grafanaServiceAccount), S.grafanaServiceAccount, /Grafana/),
  found('sentry', 'user auth token in .sentryclirc', '.sentryclirc', `[auth]\ntoken=${S.sentryUser}\n`, S.sentryUser, /Sentry/),
  found('sentry', 'org auth token in .env', '.env.production', env('SENTRY_AUTH_TOKEN', S.sentryOrg), S.sentryOrg, /Sentry/),
  found('supabase', 'access token in .ts', 'scripts/supabase.ts', ts('supabaseToken', S.supabase), S.supabase, /Supabase/),
  found('figma', 'personal access token in .env', '.env', env('FIGMA_TOKEN', S.figma), S.figma, /Figma/),
  found('linear', 'API key in .ts', 'src/linear.ts', ts('linearKey', S.linear), S.linear, /Linear/),
  found('newrelic', 'user API key in .env', '.env', env('NEW_RELIC_API_KEY', S.newRelic), S.newRelic, /New Relic/),
  found('age', 'secret key in a key file', 'secrets/age.key', `# created: 2024-05-01T10:00:00Z\n# public key: age1${rnd(58, BECH32.toLowerCase())}\n${S.age}\n`, S.age, /age secret key/),
  // Passwords and generic secrets
  found('password', 'postgres URL in YAML', 'config/prod.yml', `database:\n  url: postgres://app:${S.postgresPassword}@db.internal:5432/app\n`, S.postgresPassword, /PostgreSQL/),
  found('password', 'redis URL in .ts', 'src/cache.ts', `const url = 'redis://:${S.redisPassword}@cache.internal:6379/0';\n`, S.redisPassword, /redis/),
  found('password', 'Kubernetes Secret stringData', 'k8s/secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${S.k8sPassword}\n`, S.k8sPassword),
  found('password', 'Kubernetes Secret data (base64)', 'k8s/db-secret.yaml', `apiVersion: v1\nkind: Secret\ndata:\n  password: ${Buffer.from(S.k8sPassword).toString('base64')}\n`, Buffer.from(S.k8sPassword).toString('base64')),
  found('private-key', 'RSA key whose END line is cut off', 'certs/partial.pem', S.rsaKey.split('\n').slice(0, 12).join('\n') + '\n', S.rsaKey.split('\n').slice(0, 12).join('\n'), /private key/i),
  {
    ...found('github', 'PAT split over a string concatenation', 'src/split.ts', `const token = '${S.githubPat.slice(0, 12)}' + '${S.githubPat.slice(12)}';\n`, S.githubPat.slice(12)),
    knownMiss: 'no detector joins string literals; each half is too short to look random on its own',
  },
  {
    ...found('heroku', 'API key (UUID) under a name that does not say Heroku', 'src/deploy.ts', ts('deployKey', S.herokuUuid), S.herokuUuid),
    knownMiss: 'a Heroku v1 key is a plain UUID: without the word "heroku" nearby it is indistinguishable from an id (gitleaks needs the word too)',
  },
  found('generic', 'api_key assigned in .py', 'app/settings.py', py('api_key', S.genericApiKey), S.genericApiKey, /`api_key`/),
  found('generic', 'SECRET_KEY in .env', '.env', env('SECRET_KEY', S.genericSecret), S.genericSecret),
  found('generic', 'client secret in Terraform', 'infra/oauth.tf', tf('client_secret', S.genericSecret), S.genericSecret),
  found('generic', 'Authorization header in .ts', 'src/http.ts', `const headers = { Authorization: 'Bearer ${S.genericApiKey}' };\n`, S.genericApiKey),

  // ---------------------------------------------------------------------------
  // Must not be found: test-mode keys, documented examples, placeholders
  clean('look-alike', 'Stripe test secret key', 'src/payments.test.ts', ts('stripeKey', p('sk_', 'test_') + rnd(24))),
  clean('look-alike', 'Stripe test restricted key', '.env.test', env('STRIPE_KEY', p('rk_', 'test_') + rnd(24))),
  clean('look-alike', 'Stripe publishable key', 'web/checkout.js', `const stripe = Stripe('${p('pk_', 'live_') + rnd(24)}');\n`),
  clean('doc-example', "AWS's documented key pair", 'docs/aws.md', `aws_access_key_id = ${p('AKIA', 'IOSFODNN7EXAMPLE')}\naws_secret_access_key = ${p('wJalrXUtnFEMI/', 'K7MDENG/bPxRfiCYEXAMPLEKEY')}\n`),
  clean('doc-example', "jwt.io's example token in a README", 'README.md', `Paste a token such as \`${JWT_IO_EXAMPLE}\` into the debugger.\n`),
  clean('doc-example', "jwt.io's example token in a test", 'test/auth.test.ts', `const token = '${JWT_IO_EXAMPLE}';\n`),
  clean('doc-example', 'a Slack example token from docs', 'docs/slack.md', 'Set `SLACK_BOT_TOKEN=xoxb-your-token` in your environment.\n'),
  clean('placeholder', 'Slack token placeholder in .env.example', '.env.example', env('SLACK_BOT_TOKEN', 'xoxb-your-bot-token-here')),
  clean('placeholder', '<YOUR_API_KEY>', 'src/config.ts', ts('apiKey', '<YOUR_API_KEY>')),
  clean('placeholder', '${TOKEN} template', 'config/app.yaml', yaml('token', '${TOKEN}')),
  clean('placeholder', 'process.env lookup', 'src/env.ts', 'export const token = process.env.GITHUB_TOKEN;\nexport const secret = process.env["CLIENT_SECRET"];\n'),
  clean('placeholder', 'os.environ lookup', 'app/env.py', 'import os\n\nAPI_KEY = os.environ["API_KEY"]\nSECRET = os.getenv("SECRET_KEY")\n'),
  clean('placeholder', 'Terraform variable reference', 'infra/db.tf', 'resource "aws_db_instance" "main" {\n  password = var.db_password\n  username = "app"\n}\n'),
  clean('placeholder', 'GitHub token of x characters', 'docs/setup.md', `export GITHUB_TOKEN=${p('gh', 'p_')}${'x'.repeat(36)}\n`),
  clean('placeholder', 'Google key of X characters', 'web/maps.js', `loadMaps({ key: "${p('AI', 'za')}Sy${'X'.repeat(33)}" });\n`),
  clean('placeholder', 'OpenAI key cut short in docs', 'docs/llm.md', `Set \`OPENAI_API_KEY=${p('sk-', 'proj-')}abc123...\`.\n`),
  clean('placeholder', 'changeme password in .env.example', '.env.example', env('DB_PASSWORD', 'changeme')),
  clean('placeholder', 'npmrc auth token from the environment', '.npmrc', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n'),
  clean('placeholder', 'Dockerfile writing .npmrc from an ARG', 'Dockerfile', 'FROM node:20\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci\n'),
  clean('placeholder', 'Helm template value', 'charts/app/templates/secret.yaml', 'kind: Secret\nstringData:\n  password: {{ .Values.db.password | quote }}\n'),
  clean('placeholder', 'a private key placeholder', 'docs/tls.md', `\`\`\`\n-----BEGIN RSA ${PRIVATE}-----\n...your key here...\n-----END RSA ${PRIVATE}-----\n\`\`\`\n`),
  clean('placeholder', 'a private key of repeated As', 'test/fixtures/key.pem', `-----BEGIN ${PRIVATE}-----\n${'A'.repeat(64)}\n${'A'.repeat(64)}\n-----END ${PRIVATE}-----\n`),
  clean('placeholder', 'a test fixture with an example key', 'test/fixtures/config.json', json('api_key', 'test-key-1234567890abcdef')),
  clean('placeholder', 'Authorization header from a variable', 'src/client.ts', 'const headers = { Authorization: `Bearer ${token}` };\n'),
  clean('placeholder', 'database URL with a variable password', 'compose.yml', 'services:\n  app:\n    environment:\n      DATABASE_URL: postgres://app:${POSTGRES_PASSWORD}@db:5432/app\n'),
  clean('placeholder', 'local default database URL', 'compose.yml', 'services:\n  app:\n    environment:\n      DATABASE_URL: postgres://postgres:postgres@localhost:5432/app\n'),
  clean('placeholder', 'a token prefix constant', 'src/tokens.ts', `export const PREFIXES = ['${p('gh', 'p_')}', '${p('np', 'm_')}', '${p('gl', 'pat-')}', '${p('sk', '_live_')}'];\n`),
  clean('placeholder', 'Vault token redacted in docs', 'docs/vault.md', `export VAULT_TOKEN=${p('hv', 's.')}REDACTED\n`),
  // Hashes, ids, encoded data
  clean('hash', 'sha256 checksums file', 'dist/SHA256SUMS', `${rnd(64, HEX)}  diffwise-linux-x64.tar.gz\n${rnd(64, HEX)}  diffwise-darwin-arm64.tar.gz\n`),
  clean('hash', 'sha256 in JSON', 'release/manifest.json', json('sha256', rnd(64, HEX))),
  clean('hash', 'git commit sha in YAML', '.github/workflows/ci.yml', `steps:\n  - uses: actions/checkout@${rnd(40, HEX)}\n`),
  clean('hash', 'git sha in a TS constant', 'src/version.ts', `export const COMMIT = '${rnd(40, HEX)}';\nexport const BUILD_HASH = '${rnd(40, HEX)}';\n`),
  clean('hash', 'integrity in package.json', 'package.json', json('integrity', `sha512-${rnd(86, B64)}==`)),
  clean('hash', 'integrity in an HTML script tag', 'web/index.html', `<script src="https://cdn.example.org/lib.js" integrity="sha384-${rnd(64, B64)}" crossorigin="anonymous"></script>\n`),
  clean('hash', 'token hash column', 'src/store.ts', ts('tokenHash', rnd(64, HEX))),
  clean('hash', 'password digest in a fixture', 'test/fixtures/users.json', json('passwordDigest', rnd(64, HEX))),
  clean('hash', 'lockfile integrity', 'package-lock.json', `{\n  "packages": {\n    "node_modules/a": {\n      "integrity": "sha512-${rnd(86, B64)}=="\n    }\n  }\n}\n`),
  clean('uuid', 'UUIDs as ids', 'src/ids.ts', `export const requestId = '${uuid()}';\nexport const tenantId = '${uuid()}';\n`),
  clean('uuid', 'UUID as a key id in YAML', 'config/keys.yaml', `signing:\n  key_id: ${uuid()}\n  algorithm: RS256\n`),
  clean('uuid', 'Twilio account SID', '.env', env('TWILIO_ACCOUNT_SID', 'AC' + rnd(32, HEX))),
  clean('data-uri', 'PNG data URI in .ts', 'src/icons.ts', ts('logo', `data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAA${rnd(120, B64)}=`)),
  clean('data-uri', 'SVG data URI assigned to a token-named icon', 'src/tokens.ts', ts('tokenIcon', `data:image/svg+xml;base64,PHN2ZyB4bWxucz0i${rnd(80, B64)}`)),
  clean('data-uri', 'data URI in CSS', 'web/style.css', `.logo {\n  background: url(data:image/png;base64,iVBORw0KGgo${rnd(200, B64)}=);\n}\n`),
  clean('data-uri', 'base64 of a sentence', 'src/fixtures.ts', "export const encoded = 'SGVsbG8sIFdvcmxkISBUaGlzIGlzIGEgdGVzdC4=';\n"),
  // Public material
  clean('public-key', 'PEM public key', 'certs/public.pem', `${pubKeyBody()}\n`),
  clean('public-key', 'certificate', 'certs/server.crt', `${certificate()}\n`),
  clean('public-key', 'authorized_keys', 'deploy/authorized_keys', `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${rnd(300, B64)} deploy@ci\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${rnd(43, B64)} admin@laptop\n`),
  clean('public-key', 'SSH public key in Terraform', 'infra/ssh.tf', tf('public_key', `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${rnd(43, B64)} ops@acme`)),
  clean('public-key', 'public key in JSON', 'config/jwks.json', json('publicKey', `MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA${rnd(300, B64)}`)),
  clean('public-key', 'PGP public key block', 'keys/release.pub.asc', [`-----BEGIN PGP PUBLIC KEY BLOCK-----`, '', ...Array.from({ length: 8 }, () => rnd(64, B64)), '=' + rnd(4, B64), '-----END PGP PUBLIC KEY BLOCK-----', ''].join('\n')),
  // Near misses of the provider formats
  clean('look-alike', 'hf_ function names', 'ml/hub.py', 'from huggingface_hub import hf_hub_download, hf_hub_url\n\npath = hf_hub_download(repo_id="gpt2", filename="config.json")\n'),
  clean('look-alike', 'a dotted identifier shaped like a Discord token', 'src/names.ts', `export const id = '${'M' + rnd(23) + '.' + rnd(6) + '.' + rnd(27)}';\n`),
  clean('look-alike', 'a non-SAS URL with sig=', 'web/img.html', `<img src="https://img.example.org/p.jpg?w=200&h=100&sig=${rnd(43, ALNUM)}">\n`),
  clean('look-alike', 'eyJ base64 that is not a JWT', 'src/blob.ts', `export const state = '${b64url('{"page":2,"sort":"name"}')}.${b64url('{"filter":"active users only"}')}.';\n`),
  clean('look-alike', 'a time with a colon and a capital', 'src/log.ts', "logger.info('12345:A connection to the primary was re-established after failover');\n"),
  clean('look-alike', 'Go module checksums', 'go.sum', `github.com/acme/lib v1.2.3 h1:${rnd(43, B64)}=\n`),
  clean('look-alike', 'short and low-entropy values under secret-like names', 'src/settings.ts', 'const password = "hunter2";\nconst token = "abc";\nconst passwordLabel = "Enter your password please";\nconst TOKEN_STORAGE_KEY = "diffwise.githubAccessToken";\n'),
  clean('look-alike', 'names that only talk about secrets', 'src/auth.ts', 'const tokenUrl = "https://login.example.org/oauth2/v2.0/token";\nconst secretName = "prod-database-credentials-v2";\nconst apiKey = config.apiKeyFromSettings;\n'),
  clean('look-alike', 'CSS colours and a version list', 'web/theme.ts', "export const colors = { primary: '#1f6feb', accent: '#a371f7' };\nexport const version = '10.15.0';\n"),
];

/**
 * GitHub's side of a webhook, for the team service's tests and bench: payloads shaped as
 * GitHub's webhook documentation gives them (`pull_request` and `issue_comment`, with the
 * fields the server reads and the ones around them), signed as GitHub signs them
 * (`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`), with the headers
 * GitHub sends, and posted over real HTTP (or https, trusting a test's own certificate).
 *
 *   const sender = webhookSender({ url: `${base}/webhooks/github`, secret });
 *   await sender.send('pull_request', pullRequestPayload({ action: 'opened', repository: 'acme/app', number: 1, headSha }));
 */
import { createHmac, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';

export interface SentDelivery {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The answer parsed as JSON (the raw text when it is not JSON). */
  body: unknown;
  /** Wall time from the first byte sent to the last received, in milliseconds. */
  ms: number;
  deliveryId: string;
}

export interface SendOptions {
  /** X-GitHub-Delivery (a fresh UUID by default; reuse one for a redelivery). */
  deliveryId?: string;
  /** Sign with this secret instead (a wrong one), or `null` to send no signature. */
  secret?: string | null;
  /** Extra or replacing headers (X-Forwarded-For, Content-Type). */
  headers?: Record<string, string>;
  /** Send these bytes instead of the JSON of the payload (a malformed body). */
  rawBody?: Buffer | string;
}

export interface WebhookSender {
  send(event: string, payload: unknown, options?: SendOptions): Promise<SentDelivery>;
}

/** GitHub's signature of a body: what X-Hub-Signature-256 carries. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function webhookSender(options: { url: string; secret: string; hookId?: number; ca?: Buffer | string }): WebhookSender {
  const target = new URL(options.url);
  const agent = target.protocol === 'https:' ? new https.Agent({ ca: options.ca, keepAlive: true }) : new http.Agent({ keepAlive: true });
  return {
    send(event, payload, sendOptions = {}) {
      const deliveryId = sendOptions.deliveryId ?? randomUUID();
      const body = sendOptions.rawBody !== undefined ? Buffer.from(sendOptions.rawBody) : Buffer.from(JSON.stringify(payload));
      const secret = sendOptions.secret === undefined ? options.secret : sendOptions.secret;
      const headers: Record<string, string> = {
        'User-Agent': 'GitHub-Hookshot/7c3e5f1',
        'Content-Type': 'application/json',
        'Content-Length': String(body.length),
        'X-GitHub-Event': event,
        'X-GitHub-Delivery': deliveryId,
        'X-GitHub-Hook-ID': String(options.hookId ?? 421337),
        'X-GitHub-Hook-Installation-Target-Type': 'integration',
        'X-GitHub-Hook-Installation-Target-ID': '9001',
        ...(secret === null ? {} : { 'X-Hub-Signature-256': signBody(secret, body) }),
        ...sendOptions.headers,
      };
      const started = process.hrtime.bigint();
      return new Promise<SentDelivery>((resolve, reject) => {
        const request = (target.protocol === 'https:' ? https : http).request(target, { method: 'POST', headers, agent }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON: kept as text
            }
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed, ms: Number(process.hrtime.bigint() - started) / 1e6, deliveryId });
          });
          response.on('error', reject);
        });
        request.on('error', reject);
        request.end(body);
      });
    },
  };
}

function repositoryOf(fullName: string, cloneUrl?: string) {
  const [owner, name] = fullName.split('/') as [string, string];
  const id = 100_000 + (fullName.length * 7919) % 90_000;
  return {
    id,
    node_id: `R_kgDO${id}`,
    name,
    full_name: fullName,
    private: false,
    owner: { login: owner, id: id + 1, type: 'Organization' },
    html_url: `https://github.com/${fullName}`,
    url: `https://api.github.com/repos/${fullName}`,
    clone_url: cloneUrl ?? `https://github.com/${fullName}.git`,
    default_branch: 'main',
  };
}

const sender = (login: string) => ({ login, id: 5_000 + login.length, type: 'User' });

export interface PullRequestPayloadOptions {
  action: 'opened' | 'synchronize' | 'reopened' | 'ready_for_review' | 'closed' | 'labeled' | 'edited' | string;
  repository: string;
  number: number;
  headSha: string;
  baseSha?: string;
  headRef?: string;
  baseRef?: string;
  /** pull_request.updated_at (ISO): GitHub's time of this change. */
  updatedAt?: string;
  draft?: boolean;
  /** Where the worker clones from (a file:// URL in the tests). */
  cloneUrl?: string;
  installationId?: number | null;
  merged?: boolean;
}

/** A `pull_request` webhook payload (GitHub's documented shape, trimmed of the fields no one reads). */
export function pullRequestPayload(options: PullRequestPayloadOptions): Record<string, unknown> {
  const repository = repositoryOf(options.repository, options.cloneUrl);
  const closed = options.action === 'closed';
  const updatedAt = options.updatedAt ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ref = (label: string, sha: string) => ({ label: `${repository.owner.login}:${label}`, ref: label, sha, repo: repository, user: repository.owner });
  return {
    action: options.action,
    number: options.number,
    ...(options.action === 'synchronize' ? { before: '0'.repeat(40), after: options.headSha } : {}),
    pull_request: {
      url: `https://api.github.com/repos/${options.repository}/pulls/${options.number}`,
      id: 900_000 + options.number,
      node_id: `PR_kwDO${options.number}`,
      html_url: `https://github.com/${options.repository}/pull/${options.number}`,
      number: options.number,
      state: closed ? 'closed' : 'open',
      locked: false,
      title: `Change number ${options.number}`,
      user: sender('octocat'),
      body: 'What this change does.',
      created_at: '2026-11-30T09:00:00Z',
      updated_at: updatedAt,
      closed_at: closed ? updatedAt : null,
      merged_at: closed && options.merged ? updatedAt : null,
      draft: options.draft ?? false,
      head: ref(options.headRef ?? `feature-${options.number}`, options.headSha),
      base: ref(options.baseRef ?? 'main', options.baseSha ?? 'a'.repeat(40)),
      author_association: 'MEMBER',
      merged: closed ? (options.merged ?? false) : false,
    },
    repository,
    organization: { login: repository.owner.login, id: repository.owner.id },
    sender: sender('octocat'),
    ...(options.installationId === null ? {} : { installation: { id: options.installationId ?? 4242, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' } }),
  };
}

export interface IssueCommentPayloadOptions {
  repository: string;
  number: number;
  body: string;
  /** OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, FIRST_TIME_CONTRIBUTOR, FIRST_TIMER, NONE. */
  authorAssociation: string;
  action?: 'created' | 'edited' | 'deleted';
  /** Whether the issue is a pull request (default true). */
  onPullRequest?: boolean;
  cloneUrl?: string;
  installationId?: number | null;
  login?: string;
}

/** An `issue_comment` webhook payload: a comment on a pull request's conversation (or on an issue). */
export function issueCommentPayload(options: IssueCommentPayloadOptions): Record<string, unknown> {
  const repository = repositoryOf(options.repository, options.cloneUrl);
  const login = options.login ?? 'hubot';
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    action: options.action ?? 'created',
    issue: {
      url: `https://api.github.com/repos/${options.repository}/issues/${options.number}`,
      id: 800_000 + options.number,
      number: options.number,
      title: `Change number ${options.number}`,
      user: sender('octocat'),
      state: 'open',
      ...(options.onPullRequest === false
        ? {}
        : {
          pull_request: {
            url: `https://api.github.com/repos/${options.repository}/pulls/${options.number}`,
            html_url: `https://github.com/${options.repository}/pull/${options.number}`,
            diff_url: `https://github.com/${options.repository}/pull/${options.number}.diff`,
            patch_url: `https://github.com/${options.repository}/pull/${options.number}.patch`,
            merged_at: null,
          },
        }),
    },
    comment: {
      url: `https://api.github.com/repos/${options.repository}/issues/comments/${700_000 + options.number}`,
      id: 700_000 + options.number,
      user: sender(login),
      created_at: now,
      updated_at: now,
      author_association: options.authorAssociation,
      body: options.body,
    },
    repository,
    sender: sender(login),
    ...(options.installationId === null ? {} : { installation: { id: options.installationId ?? 4242, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' } }),
  };
}

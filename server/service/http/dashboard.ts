/**
 * The team dashboard's routes: the page at `/` (the metrics panel's charts over every
 * repository's reviews, with a repository filter), its JSON at `/api/metrics`, the sign-in
 * form, and the page's files. Never open: without DIFFWISE_DASHBOARD_TOKEN it is not
 * served at all, and with it every page but the sign-in form asks for the token (Bearer)
 * or the session cookie the form sets (auth.ts). The JSON is the CLI's and the panel's
 * own document (computeMetrics), built from the runs the workers stored in PostgreSQL.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { computeMetrics } from '../../metrics/metrics';
import { currentVotes } from '../../learning/policy';
import type { ErrorGroup } from '../../../shared/observability';
import { errorGroupsOf } from '../../observability/errorGroups';
import { failuresOf } from '../../store/errorStore';
import type { ReviewRecord, ServiceStore } from '../store/serviceStore';
import { isSignedIn, sameSecret, sessionCookie } from './auth';
import { DASHBOARD_CSP, SHIM_SCRIPT, THEME_STYLESHEET, dashboardHtml, loginHtml } from './dashboardPage';

export interface DashboardParts {
  store: ServiceStore;
  /** DIFFWISE_DASHBOARD_TOKEN; undefined: the dashboard is off. */
  token: string | undefined;
  monthlyBudgetUsd: number | null;
  /** Where metrics.js, metrics.css and the codicons are (esbuild.mjs writes them to dist/webview). */
  webviewDir: string;
  /** Whether the server speaks https (the cookie is then Secure). */
  secure: boolean;
}

const OFF_MESSAGE = 'the team dashboard is off: set DIFFWISE_DASHBOARD_TOKEN (a long random string) on the server to serve it, behind that token';

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** The files the page loads from dist/webview, with their types: nothing else of the disk is served. */
const BUNDLE_FILES: Record<string, string> = {
  'metrics.js': 'text/javascript; charset=utf-8',
  'metrics.css': 'text/css; charset=utf-8',
  'codicon.css': 'text/css; charset=utf-8',
  'codicon.ttf': 'font/ttf',
};

/**
 * dist/webview beside the running bundle (`__dirname` is dist/ in the built CLI), else the
 * checkout's dist/webview (running from source: server/service/http).
 */
export function defaultWebviewDir(): string {
  const candidates = [path.join(__dirname, 'webview'), path.resolve(__dirname, '..', '..', '..', 'dist', 'webview')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'metrics.js'))) ?? candidates[0]!;
}

/**
 * The Errors section: the failures of the reviews' runs (a stage that failed), and of the jobs
 * that failed before a run (a clone that could not be fetched), grouped as `diffwise errors` groups them.
 */
function reviewErrors(reviews: readonly ReviewRecord[]): ErrorGroup[] {
  return errorGroupsOf(reviews.flatMap((review) => {
    if (review.run?.errors.length) return [{ failures: failuresOf(review.run.errors, undefined), at: review.startedAt, runId: review.id }];
    if (review.status === 'failed' && review.error) return [{ failures: [{ stage: 'job', errorClass: 'JobError', message: review.error }], at: review.startedAt, runId: review.id }];
    return [];
  }));
}

function secureHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

export async function registerDashboard(app: FastifyInstance, parts: DashboardParts): Promise<void> {
  const { token } = parts;
  const signedIn = (request: FastifyRequest) => token !== undefined && isSignedIn(request.headers, token);

  // The sign-in form posts form-encoded fields; only this scope reads them.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/', async (request, reply) => {
    secureHeaders(reply).header('cache-control', 'no-store');
    if (token === undefined) return reply.code(404).type('text/plain; charset=utf-8').send(`${OFF_MESSAGE}\n`);
    if (!signedIn(request)) return reply.code(401).type('text/html; charset=utf-8').send(loginHtml(undefined));
    if (!fs.existsSync(path.join(parts.webviewDir, 'metrics.js'))) {
      return reply.code(503).type('text/plain; charset=utf-8').send(`the dashboard's page is not built (no metrics.js in ${parts.webviewDir}): run npm run build\n`);
    }
    const repo = (request.query as Record<string, string | undefined>).repo?.trim() || undefined;
    const repositories = await parts.store.repositories();
    return reply.type('text/html; charset=utf-8').send(dashboardHtml(repositories, repo && REPOSITORY.test(repo) ? repo : undefined));
  });

  // Guessing the token through the form is slowed to a few tries a minute per source.
  app.post('/login', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    secureHeaders(reply).header('cache-control', 'no-store');
    if (token === undefined) return reply.code(404).type('text/plain; charset=utf-8').send(`${OFF_MESSAGE}\n`);
    const given = (request.body as Record<string, unknown> | undefined)?.token;
    if (typeof given !== 'string' || !sameSecret(given.trim(), token)) {
      return reply.code(401).type('text/html; charset=utf-8').send(loginHtml('That is not the dashboard token.'));
    }
    return reply.code(303).header('set-cookie', sessionCookie(token, parts.secure)).header('location', '/').send();
  });

  app.get('/api/metrics', async (request, reply) => {
    secureHeaders(reply).header('cache-control', 'no-store');
    if (token === undefined) return reply.code(404).send({ message: OFF_MESSAGE });
    if (!signedIn(request)) return reply.code(401).send({ message: 'sign in at / or send Authorization: Bearer <DIFFWISE_DASHBOARD_TOKEN>' });
    const query = request.query as Record<string, string | undefined>;
    const repository = query.repo?.trim() || undefined;
    if (repository !== undefined && !REPOSITORY.test(repository)) return reply.code(400).send({ message: `repo must be owner/name (got ${repository})` });
    const sinceText = query.since?.trim() || undefined;
    const since = sinceText === undefined ? undefined : new Date(sinceText);
    if (since !== undefined && Number.isNaN(since.getTime())) return reply.code(400).send({ message: `since must be an ISO 8601 time (got ${sinceText})` });
    const [runs, reviews, lastTrace, votes, repositories] = await Promise.all([
      parts.store.runRecords({ repository, since: since?.toISOString() }),
      parts.store.reviews({ repository, since: since?.toISOString() }),
      parts.store.lastTrace({ repository, since: since?.toISOString() }),
      parts.store.teamVotes(repository),
      parts.store.repositories(),
    ]);
    // The votes cast in the range, as `diffwise metrics --since` counts them.
    const inRange = since === undefined ? votes : votes.filter((vote) => vote.createdAt >= since.toISOString());
    const metrics = computeMetrics({ runs, votes: currentVotes(inRange), monthlyBudgetUsd: parts.monthlyBudgetUsd, lastTrace, errors: reviewErrors(reviews) });
    return reply.send({ ...metrics, repositories });
  });

  // The page's files are the public bundle (no data): served without the token, so that the sign-in page has its style.
  app.get('/assets/:file', async (request, reply) => {
    secureHeaders(reply).header('cache-control', 'no-cache');
    const file = (request.params as { file: string }).file;
    if (file === 'shim.js') return reply.type('text/javascript; charset=utf-8').send(SHIM_SCRIPT);
    if (file === 'theme.css') return reply.type('text/css; charset=utf-8').send(THEME_STYLESHEET);
    const type = BUNDLE_FILES[file];
    if (!type) return reply.code(404).type('text/plain; charset=utf-8').send('no such file\n');
    try {
      return reply.type(type).send(await fs.promises.readFile(path.join(parts.webviewDir, file)));
    } catch {
      return reply.code(503).type('text/plain; charset=utf-8').send(`${file} is not built (looked in ${parts.webviewDir}): run npm run build\n`);
    }
  });
}

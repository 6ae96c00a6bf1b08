/**
 * What the HTTP side reads from the environment beyond ServiceConfig: the webhook
 * rate limit, whether a proxy's X-Forwarded-For is believed, the TLS certificate files,
 * the metrics token and the team's monthly budget (shown on the dashboard). Checked at
 * start, each bad value one line, before anything listens.
 */
import * as fs from 'node:fs';
import { secretFrom } from '../config';
import { ServiceError } from '../errors';

export interface ServerSettings {
  /** DIFFWISE_WEBHOOK_RATE_LIMIT: deliveries per minute per source address (default 600). */
  webhookRateLimit: number;
  /**
   * DIFFWISE_TRUST_PROXY: behind a proxy, the source is taken from X-Forwarded-For, as far
   * back as the hops are trusted proxies: their addresses and CIDRs (`10.0.0.0/8,127.0.0.1`),
   * or `true` for any on a loopback or private network (a proxy on the host, or in the same
   * compose network). A client cannot name its own address to escape the rate limit: the
   * first untrusted hop is the source. false: the connection's address.
   */
  trustProxy: false | string;
  /** DIFFWISE_TLS_CERT_FILE + DIFFWISE_TLS_KEY_FILE: serve https with them. */
  tls: { cert: Buffer; key: Buffer } | undefined;
  /** DIFFWISE_METRICS_TOKEN: when set, /metrics asks for it as a Bearer token. */
  metricsToken: string | undefined;
  /** DIFFWISE_LLM_MONTHLY_BUDGET_USD: the team's budget the dashboard compares the spend with. */
  monthlyBudgetUsd: number | null;
}

/** GitHub caps a delivery's payload at 25 MB. */
export const WEBHOOK_BODY_LIMIT = 25 * 1024 * 1024;

export const DEFAULT_WEBHOOK_RATE_LIMIT = 600;

const FALSE_WORDS = new Set(['', '0', 'false', 'no', 'off']);
const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
/** proxy-addr's names for the loopback and private ranges (10/8, 172.16/12, 192.168/16, fc00::/7, link-local). */
const PRIVATE_NETWORKS = 'loopback,linklocal,uniquelocal';

function trustProxyFrom(text: string | undefined): false | string {
  const value = text?.trim().toLowerCase() ?? '';
  if (FALSE_WORDS.has(value)) return false;
  if (TRUE_WORDS.has(value)) return PRIVATE_NETWORKS;
  const addresses = value.split(',').map((part) => part.trim()).filter(Boolean);
  if (addresses.every((part) => /^[0-9a-f:.]+(?:\/\d{1,3})?$/.test(part) || ['loopback', 'linklocal', 'uniquelocal'].includes(part))) return addresses.join(',');
  throw new ServiceError(`DIFFWISE_TRUST_PROXY takes true (proxies on loopback or private networks) or the proxies' addresses and CIDRs, such as 10.0.0.0/8,127.0.0.1 (got ${text})`);
}

export function serverSettingsFrom(env: NodeJS.ProcessEnv): ServerSettings {
  const rateText = env.DIFFWISE_WEBHOOK_RATE_LIMIT?.trim();
  const webhookRateLimit = rateText ? Number(rateText) : DEFAULT_WEBHOOK_RATE_LIMIT;
  if (!Number.isInteger(webhookRateLimit) || webhookRateLimit < 1) {
    throw new ServiceError(`DIFFWISE_WEBHOOK_RATE_LIMIT takes a whole number of requests per minute, 1 or more (got ${rateText})`);
  }
  const certFile = env.DIFFWISE_TLS_CERT_FILE?.trim();
  const keyFile = env.DIFFWISE_TLS_KEY_FILE?.trim();
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new ServiceError(`${certFile ? 'DIFFWISE_TLS_CERT_FILE is set but not DIFFWISE_TLS_KEY_FILE' : 'DIFFWISE_TLS_KEY_FILE is set but not DIFFWISE_TLS_CERT_FILE'}: https needs both (or neither, behind a proxy that terminates TLS)`);
  }
  const read = (name: string, file: string) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new ServiceError(`cannot read ${name} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  };
  const tls = certFile && keyFile ? { cert: read('DIFFWISE_TLS_CERT_FILE', certFile), key: read('DIFFWISE_TLS_KEY_FILE', keyFile) } : undefined;
  const budgetText = env.DIFFWISE_LLM_MONTHLY_BUDGET_USD?.trim();
  const budget = budgetText ? Number(budgetText) : null;
  if (budget !== null && (!Number.isFinite(budget) || budget < 0)) throw new ServiceError('DIFFWISE_LLM_MONTHLY_BUDGET_USD must be a number of US dollars, 0 or more');
  return {
    webhookRateLimit,
    trustProxy: trustProxyFrom(env.DIFFWISE_TRUST_PROXY),
    tls,
    metricsToken: secretFrom(env, 'DIFFWISE_METRICS_TOKEN'),
    monthlyBudgetUsd: budget,
  };
}

/**
 * The command line of the team service: `diffwise server` and `diffwise worker` (args.ts
 * parses the rest). Everything else they need comes from the environment (server/service/config.ts).
 * Kept free of the service itself: main.ts's bundle parses arguments before any of it loads.
 */
import type { LogSettings } from '../observability/logSettings';
import type { FailOn } from './args';

export type ServiceCommand =
  | { name: 'server'; port: number; host: string; migrate: boolean; log: LogSettings }
  | { name: 'worker'; concurrency: number; failOn: FailOn; cacheDir: string | undefined; log: LogSettings };

/** The options these two commands add to args.ts's `parseArgs` table. */
export const SERVICE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  migrate: { type: 'boolean' },
  concurrency: { type: 'string' },
  'cache-dir': { type: 'string' },
} as const;

export const SERVICE_USAGE = `server options (the team service's HTTP side: webhooks, dashboard, health, metrics):
  --port N            The port to listen on (default: PORT, else 3000)
  --host H            The address to listen on (default: HOST, else 127.0.0.1; 0.0.0.0 in a container)
  --migrate           Apply the database migrations, then exit (the server also applies them at start)

worker options (reviews the queued pull requests; run as many as you like, anywhere):
  --concurrency N     Reviews at a time in this process (default: DIFFWISE_WORKER_CONCURRENCY, else 2)
  --fail-on LEVEL     The check run fails when a finding is at or above LEVEL: error (default), warning,
                      info, never (default: DIFFWISE_FAIL_ON)
  --cache-dir DIR     Where the partial clones are kept (default: DIFFWISE_WORKER_CACHE_DIR, else
                      ~/.cache/diffwise/clones)
`;

type Values = Record<string, string | boolean | undefined>;
type AllowOnly = (command: string, values: Record<string, unknown>, allowed: readonly string[]) => void;

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

export function parseService(name: 'server' | 'worker', values: Values, env: NodeJS.ProcessEnv, log: LogSettings, allowOnly: AllowOnly, usageError: (message: string) => Error): ServiceCommand {
  if (name === 'server') {
    allowOnly(name, values, ['port', 'host', 'migrate']);
    const portText = (values.port as string | undefined) ?? env.PORT ?? '3000';
    const port = Number(portText);
    if (!/^\d+$/.test(portText.trim()) || port > 65535) throw usageError(`--port takes a port number, 0 to 65535 (got ${portText})`);
    const host = ((values.host as string | undefined) ?? env.HOST ?? '127.0.0.1').trim();
    if (!host) throw usageError('--host needs an address, for example --host 0.0.0.0');
    return { name, port, host, migrate: values.migrate === true, log };
  }
  allowOnly(name, values, ['concurrency', 'fail-on', 'cache-dir']);
  const concurrencyText = (values.concurrency as string | undefined) ?? env.DIFFWISE_WORKER_CONCURRENCY ?? '2';
  const concurrency = Number(concurrencyText);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw usageError(`--concurrency takes a whole number from 1 to 64 (got ${concurrencyText})`);
  const failOn = ((values['fail-on'] as string | undefined) ?? env.DIFFWISE_FAIL_ON ?? 'error') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw usageError(`--fail-on must be one of ${FAIL_ON.join(', ')} (got ${failOn})`);
  const cacheDir = ((values['cache-dir'] as string | undefined) ?? env.DIFFWISE_WORKER_CACHE_DIR)?.trim() || undefined;
  return { name, concurrency, failOn, cacheDir, log };
}

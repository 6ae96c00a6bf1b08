/**
 * What the command line and the environment say about logging, checked where the other
 * options are (a bad value is a usage error). Kept apart from logger.ts so that parsing the
 * command line never loads pino: a command that logs nothing must not pay for it.
 */

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** As given: undefined where neither a flag nor the environment said anything (each front end has its default). */
export interface LogSettings {
  level: LogLevel | undefined;
  file: string | undefined;
  /** When the file rolls over, in pino-roll's notation (`10m`, `512k`; a bare number is megabytes). */
  rotateSize: string;
}

export const DEFAULT_ROTATE_SIZE = '10m';
/** Rolled-over files kept beside the one being written. */
export const ROTATED_FILES_KEPT = 5;

/** Thrown for a value the user must correct; args.ts turns it into its UsageError. */
export class LogSettingsError extends Error {
  override name = 'LogSettingsError';
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** The settings from `--log-level` / `--log-file` (which win) and `DIFFWISE_LOG_LEVEL` / `DIFFWISE_LOG_FILE` / `DIFFWISE_LOG_ROTATE_SIZE`. */
export function logSettingsOf(flags: { level?: string; file?: string }, env: NodeJS.ProcessEnv): LogSettings {
  const levelText = flags.level ?? (env.DIFFWISE_LOG_LEVEL?.trim() || undefined);
  const from = flags.level !== undefined ? '--log-level' : 'DIFFWISE_LOG_LEVEL';
  let level: LogLevel | undefined;
  if (levelText !== undefined) {
    const normalised = levelText.trim().toLowerCase();
    if (!isLogLevel(normalised)) throw new LogSettingsError(`${from} must be one of ${LOG_LEVELS.join(', ')} (got ${levelText})`);
    level = normalised;
  }
  if (flags.file !== undefined && !flags.file.trim()) throw new LogSettingsError('--log-file needs a file path, for example --log-file ~/.diffwise/diffwise.log');
  const file = flags.file ?? (env.DIFFWISE_LOG_FILE?.trim() || undefined);
  const rotateSize = env.DIFFWISE_LOG_ROTATE_SIZE?.trim() || DEFAULT_ROTATE_SIZE;
  if (!/^\d+(?:\.\d+)?[kmg]?$/i.test(rotateSize)) throw new LogSettingsError(`DIFFWISE_LOG_ROTATE_SIZE takes a size such as 10m, 512k or 1g (got ${rotateSize})`);
  return { level, file, rotateSize: rotateSize.toLowerCase() };
}

/** Whether a front end that is quiet by default (the CLI) should log at all, and at what level. */
export function cliLogLevel(settings: LogSettings): LogLevel | undefined {
  if (settings.level === 'silent') return undefined;
  if (settings.level !== undefined) return settings.level;
  return settings.file ? 'info' : undefined;
}

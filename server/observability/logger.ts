/**
 * The one structured logger of every Diffwise process (issue 18): JSON lines with an ISO
 * `time`, `level` as a label, the `component` (`cli`, `daemon`…) and whatever the caller adds
 * (`reviewId`, `stage`, `durationMs`), on pino. Everything passes through the redactor inside
 * pino's own hooks, so no caller can write a credential by mistake. pino is a lazy bundle:
 * importing this module loads nothing; creating a logger does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import pinoRoll from 'pino-roll';
import { redactLogText, redactLogValue } from './logRedaction';
import { DEFAULT_ROTATE_SIZE, ROTATED_FILES_KEPT, type LogLevel } from './logSettings';

export type LogFields = Record<string, unknown>;

/** Anything that takes whole JSON lines (pino writes one per call). */
export interface LogDestination {
  write(line: string): void;
}

export interface Logger {
  error(fields: LogFields | string, message?: string): void;
  warn(fields: LogFields | string, message?: string): void;
  info(fields: LogFields | string, message?: string): void;
  debug(fields: LogFields | string, message?: string): void;
  trace(fields: LogFields | string, message?: string): void;
  /** Whether a record at `level` would be written: for a caller whose fields cost something to build. */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean;
  /** A logger whose records all carry `fields` (a review's id, a stage). */
  child(fields: LogFields): Logger;
  /** Resolves once every record so far has reached its file or destination. */
  flush(): Promise<void>;
}

export interface LoggerOptions {
  component: string;
  level: LogLevel;
  /** A file, rolled over at `rotateSize` with the last few kept (`F.1`, `F.2`…, the highest the newest); folders are made. */
  file?: string;
  rotateSize?: string;
  /** Where records go besides the file (the daemon's LSP client); with neither, stderr. */
  destination?: LogDestination;
  /** Whose secret variables are redacted (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export async function createLogger(options: LoggerOptions): Promise<Logger> {
  const env = options.env ?? process.env;
  const streams: pino.StreamEntry[] = [];
  // Synchronous writes: a CLI process ends as soon as its output is written, and an
  // asynchronous stream's flush does not wait for a write under way.
  // Made and checked here, synchronously: an unwritable folder is then one error line, where
  // pino-roll's stream, failing to open it, would retry without end.
  if (options.file) {
    fs.mkdirSync(path.dirname(options.file), { recursive: true });
    fs.accessSync(path.dirname(options.file), fs.constants.W_OK);
  }
  const fileStream = options.file
    ? await pinoRoll({ file: options.file, size: options.rotateSize ?? DEFAULT_ROTATE_SIZE, limit: { count: ROTATED_FILES_KEPT }, mkdir: true, sync: true })
    : undefined;
  if (fileStream) streams.push({ level: 'trace', stream: fileStream });
  if (options.destination) streams.push({ level: 'trace', stream: options.destination });
  if (!streams.length) streams.push({ level: 'trace', stream: pino.destination({ fd: 2, sync: true }) });
  const base = pino(
    {
      level: options.level,
      base: { component: options.component, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      formatters: {
        level: (label) => ({ level: label }),
      },
      hooks: {
        // Before pino reads anything: it takes an Error's message as the line's when none is given.
        logMethod(args, method) {
          const redacted = args.map((arg: unknown) => (typeof arg === 'string' ? redactLogText(arg, env) : redactLogValue(arg, env)));
          return method.apply(this, redacted as Parameters<pino.LogFn>);
        },
      },
    },
    streams.length === 1 ? (streams[0]!.stream as pino.DestinationStream) : pino.multistream(streams),
  );
  const flush = () => new Promise<void>((resolve) => {
    if (!fileStream) return resolve();
    fileStream.flush(() => resolve());
  });
  return wrap(base, flush, env);
}

function wrap(base: pino.Logger, flush: () => Promise<void>, env: NodeJS.ProcessEnv): Logger {
  const at = (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') => (fields: LogFields | string, message?: string) => {
    if (typeof fields === 'string') base[level](fields);
    else if (message === undefined) base[level](fields);
    else base[level](fields, message);
  };
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    enabled: (level) => base.isLevelEnabled(level),
    // pino's bindings formatter sees the root's bindings only, not a child's.
    child: (fields) => wrap(base.child(redactLogValue(fields, env)), flush, env),
    flush,
  };
}

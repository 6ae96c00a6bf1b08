/**
 * The daemon's log records as LSP `window/logMessage` notifications, at the type of their
 * level: vscode-languageclient 9 writes Error/Warning/Info/Debug onto the extension's
 * LogOutputChannel at the same levels (and anything else as a plain line), so the editor's
 * "Developer: Set Log Level…" filters them as its own. The channel stamps time and level
 * itself: the message is the text and the fields that say which review and stage.
 */
import { MessageType } from 'vscode-languageserver/node';
import { createLogger, type LogDestination, type Logger } from '../observability/logger';
import type { LogSettings } from '../observability/logSettings';

/** What of a connection this needs (the daemon's, or a test's). */
export interface LogMessageSender {
  sendNotification(method: 'window/logMessage', params: { type: MessageType; message: string }): unknown;
}

const TYPE_BY_LEVEL: Record<string, MessageType> = {
  fatal: MessageType.Error,
  error: MessageType.Error,
  warn: MessageType.Warning,
  info: MessageType.Info,
  debug: MessageType.Debug,
  // The channel has a trace level too, but the protocol's nearest is Log, a plain line.
  trace: MessageType.Log,
};

/** Fields every record has, which the channel shows its own way or need not show. */
const OMITTED = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'component']);

export function lspLogDestination(connection: LogMessageSender): LogDestination {
  return {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        void connection.sendNotification('window/logMessage', { type: MessageType.Log, message: line.trimEnd() });
        return;
      }
      const type = TYPE_BY_LEVEL[String(record.level)] ?? MessageType.Log;
      void connection.sendNotification('window/logMessage', { type, message: logMessageText(record) });
    },
  };
}

/**
 * The daemon's logger: `info` unless told otherwise (the extension passes its channel's level as
 * DIFFWISE_LOG_LEVEL), to the client and to the log file when one is set.
 */
export function daemonLogger(connection: LogMessageSender, settings: LogSettings): Promise<Logger> {
  return createLogger({ component: 'daemon', level: settings.level ?? 'info', file: settings.file, rotateSize: settings.rotateSize, destination: lspLogDestination(connection) });
}

/** `review finished {"reviewId":"…","durationMs":812}`: the text, then the rest of the record as JSON. */
export function logMessageText(record: Record<string, unknown>): string {
  const rest = Object.fromEntries(Object.entries(record).filter(([key]) => !OMITTED.has(key)));
  const text = typeof record.msg === 'string' ? record.msg : '';
  return Object.keys(rest).length ? `${text} ${JSON.stringify(rest)}`.trim() : text;
}

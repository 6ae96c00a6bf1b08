/**
 * A plain LSP client over stdio for the daemon's integration tests: what Neovim
 * or Helix would do, without VS Code. Records every notification the server sends
 * and answers its requests (progress creation, registrations) as a client must.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'node:url';
import { StatusNotification, type StatusParams } from '../../shared/protocol';
import { CLI } from './cli';
import { gitEnv } from './gitRepo';

export class TestLspClient {
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams['diagnostics']>();
  readonly statuses: StatusParams[] = [];
  readonly logs: string[] = [];
  /** The same log messages with their MessageType (Error=1, Warning=2, Info=3, Log=4, Debug=5). */
  readonly logRecords: Array<{ type: number; message: string }> = [];
  readonly progress: Array<{ token: string | number; value: { kind: string; title?: string; message?: string } }> = [];
  readonly messages: string[] = [];
  private readonly waiters: Array<() => void> = [];
  stderr = '';
  /** What the client answers to workspace/configuration, per requested item. */
  configuration: (item: { scopeUri?: string; section?: string }) => unknown = () => null;

  private constructor(readonly process: ChildProcess) {
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout!), new StreamMessageWriter(process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => this.record(() => this.diagnostics.set(params.uri, params.diagnostics)));
    this.connection.onNotification(StatusNotification.type, (params) => this.record(() => this.statuses.push(params)));
    this.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => this.record(() => {
      this.logs.push(params.message);
      this.logRecords.push(params);
    }));
    this.connection.onNotification('window/showMessage', (params: { message: string }) => this.record(() => this.messages.push(params.message)));
    this.connection.onNotification('$/progress', (params: TestLspClient['progress'][number]) => this.record(() => this.progress.push(params)));
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', (params: { items: Array<{ scopeUri?: string; section?: string }> }) => params.items.map((item) => this.configuration(item)));
    this.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      this.record(() => this.messages.push(params.message));
      return null;
    });
    process.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection.listen();
  }

  /** Starts `diffwise serve --stdio` and initializes it on `root`. */
  static async start(root: string, env: NodeJS.ProcessEnv = {}): Promise<TestLspClient> {
    const child = spawn(process.execPath, [CLI, 'serve', '--stdio'], { env: { ...gitEnv, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new TestLspClient(child);
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'test' }],
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  private record(change: () => void): void {
    change();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves once `condition` holds, re-checked on every message from the server. */
  async waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  diagnosticsFor(root: string, relative: string): PublishDiagnosticsParams['diagnostics'] {
    return this.diagnostics.get(pathToFileURL(`${root}/${relative}`).toString()) ?? [];
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    await new Promise((resolve) => (this.process.exitCode !== null ? resolve(null) : this.process.once('exit', resolve)));
    this.connection.dispose();
  }
}

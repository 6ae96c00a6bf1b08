/**
 * The team service's entry from the CLI: `diffwise server` and `diffwise worker`, each a
 * long-running process configured from the environment. Both log JSON lines (at info
 * unless --log-level says otherwise) and shut down gracefully on SIGTERM and SIGINT;
 * the promise resolves to the exit code once they have.
 */
import type { ServiceCommand } from '../cli/serviceArgs';
import { runServer } from './http/serverProcess';
import { runWorker } from './worker/workerProcess';

export function runService(command: ServiceCommand, version: string): Promise<number> {
  return command.name === 'server' ? runServer(command, version) : runWorker(command, version);
}

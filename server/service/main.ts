/**
 * The team service's entry from the CLI: `diffwise server` and `diffwise worker`, each a
 * long-running process configured from the environment. Both log JSON lines (at info
 * unless --log-level says otherwise) and shut down gracefully on SIGTERM and SIGINT;
 * the promise resolves to the exit code once they have.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServiceCommand } from '../cli/serviceArgs';
import { ServiceError } from './errors';
import { runServer } from './http/serverProcess';
import { runWorker } from './worker/workerProcess';

export function runService(command: ServiceCommand, version: string): Promise<number> {
  // Built, this runs from dist/commands.js; the VS Code extension's copy leaves the service's packages out (.vscodeignore).
  if (path.basename(__dirname) === 'dist' && !fs.existsSync(path.join(__dirname, 'lib', 'service.js'))) {
    return Promise.reject(new ServiceError(`this copy of Diffwise has no team service (the VS Code extension ships without it): run it from an npm install or the Docker image (docs/deployment.md)`));
  }
  return command.name === 'server' ? runServer(command, version) : runWorker(command, version);
}

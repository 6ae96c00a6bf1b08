import type { ServiceCommand } from '../../cli/serviceArgs';
import { ServiceError } from '../errors';

// Replaced by the HTTP server (issue 19, in progress).
export async function runServer(_command: Extract<ServiceCommand, { name: 'server' }>, _version: string): Promise<number> {
  throw new ServiceError('diffwise server is not built yet');
}

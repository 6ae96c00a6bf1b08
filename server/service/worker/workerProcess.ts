import type { ServiceCommand } from '../../cli/serviceArgs';
import { ServiceError } from '../errors';

// Replaced by the worker (issue 19, in progress).
export async function runWorker(_command: Extract<ServiceCommand, { name: 'worker' }>, _version: string): Promise<number> {
  throw new ServiceError('diffwise worker is not built yet');
}

/**
 * The team service's PostgreSQL connections: one pool per process, transactions as a
 * function (COMMIT on return, ROLLBACK on a throw), and the driver's connection
 * failures said as one line that names the server (never the password).
 */
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { databaseLabel } from '../config';
import { ServiceError } from '../errors';

export type Queryable = Pick<PoolClient, 'query'>;

export function openPool(databaseUrl: string, options: Omit<PoolConfig, 'connectionString'> = {}): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 5_000, ...options });
  // An idle client's connection dropped (the server restarted): the pool replaces it; without a listener it would crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `work` in one transaction on one connection of the pool. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH']);

/** True for a failure to reach or stay connected to the server (worth a retry), not a failed statement. */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P03')) return true;
  return error instanceof Error && /timeout exceeded when trying to connect|Connection terminated/i.test(error.message);
}

/** A connection failure as the line an operator acts on; anything else unchanged. */
export function describeDatabaseError(error: unknown, databaseUrl: string): unknown {
  const code = (error as { code?: unknown })?.code;
  const where = databaseLabel(databaseUrl);
  if (code === '28P01' || code === '28000') return new ServiceError(`PostgreSQL at ${where} refused the credentials in DATABASE_URL (${(error as Error).message})`);
  if (code === '3D000') return new ServiceError(`PostgreSQL at ${where}: ${(error as Error).message} (create it: createdb, or CREATE DATABASE)`);
  if (isConnectionFailure(error)) return new ServiceError(`cannot reach PostgreSQL at ${where} (${typeof code === 'string' ? code : (error as Error).message}): is it running, and is DATABASE_URL right?`);
  return error;
}

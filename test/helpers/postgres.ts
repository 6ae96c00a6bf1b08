/**
 * A throw-away PostgreSQL cluster for the team service's tests and bench: Debian's
 * postgresql binaries, `initdb` into a temporary folder, `pg_ctl start` on a free port
 * of 127.0.0.1 with its socket in that folder, stopped and removed when the process
 * exits. PostgreSQL refuses to run as root: as root the cluster belongs to the
 * `postgres` user the Debian package creates (else `nobody`), through `runuser`.
 *
 *   const url = await freshDatabase();   // a new, empty database in the shared cluster
 *
 * DIFFWISE_TEST_DATABASE_URL (a server you started yourself, a role allowed to CREATE
 * DATABASE) is used instead when set.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

interface Cluster {
  /** A URL of the cluster's maintenance database, for CREATE DATABASE. */
  adminUrl: string;
  stop(): void;
}

let cluster: Promise<Cluster> | undefined;

/** A new empty database in the shared cluster (started on first use); its connection URL. */
export async function freshDatabase(prefix = 'diffwise_test'): Promise<string> {
  const { adminUrl } = await (cluster ??= startCluster());
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The folder of Debian's server binaries (the newest installed version), or where PATH has initdb. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((entry) => fs.existsSync(path.join(root, entry, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length) return path.join(root, versions[0], 'bin');
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
  throw new Error('PostgreSQL is not installed: apt-get install postgresql (test/e2e/setup.sh does), or set DIFFWISE_TEST_DATABASE_URL');
}

/** A port of 127.0.0.1 free just now (the bench's server takes one too). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Who runs the cluster: this process's user, or a non-root one when this is root. */
function clusterUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { name, uid, gid };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('running as root and no postgres or nobody user to run PostgreSQL as');
}

async function startCluster(): Promise<Cluster> {
  const external = process.env.DIFFWISE_TEST_DATABASE_URL;
  if (external) return { adminUrl: external, stop: () => undefined };
  const bin = binDir();
  const user = clusterUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-pg-'));
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const run = (command: string, args: string[]) => {
    const file = path.join(bin, command);
    return user
      ? execFileSync('runuser', ['-u', user.name, '--', file, ...args], { cwd: dir, stdio: 'pipe' })
      : execFileSync(file, args, { cwd: dir, stdio: 'pipe' });
  };
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'diffwise', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  // Durability is not what the tests measure: no fsync, no synchronous commit.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  const stop = () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  return { adminUrl: `postgres://diffwise@127.0.0.1:${port}/postgres`, stop };
}

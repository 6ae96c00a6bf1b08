/**
 * Loads Diffwise's own big bundles (dist/commands.js, and the lazy packages in
 * dist/lib/ that build/lazyModules.mjs splits off) with a code cache, so that a
 * command does not compile megabytes of JavaScript afresh each time it starts.
 *
 * Where Node has its own compile cache (`module.enableCompileCache`, Node 22.1+)
 * it is switched on and the bundles are plainly required. On Node 20 the loader
 * keeps a V8 code cache itself, as v8-compile-cache did: the bundle is compiled
 * as a `vm.Script` with the cached data of an earlier run, and, when there was
 * none (or V8 refused it), the data is written as the process exits, by then
 * holding every function the command compiled. A cache file is keyed by the
 * bundle's hash (its last line, written by the build), the Node version and the
 * architecture; one that is corrupt, stale or unreadable is ignored, a cache
 * folder that cannot be written is no error, and DIFFWISE_NO_COMPILE_CACHE=1
 * switches all of it off. DIFFWISE_COMPILE_CACHE names the folder (default: the
 * user's cache folder); DIFFWISE_TRACE_LOADS=1 says on stderr what is loaded, why and how.
 */
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as zlib from 'node:zlib';

type CacheMode = { kind: 'off' } | { kind: 'node' } | { kind: 'v8'; dir: string };

/** The build's last line in each bundle (build/lazyModules.mjs, HASH_TRAILER). */
const HASH_TRAILER = /\/\/# diffwise-bundle=([0-9a-f]{16,64})\s*$/;

/** A cache file: MAGIC, the CRC-32 and the length of the V8 data, then the data. */
const MAGIC = Buffer.from('DWC1');
const HEADER_BYTES = MAGIC.length + 8;

let mode: CacheMode | undefined;
const pending: Array<{ script: vm.Script; file: string; cacheFile: string }> = [];

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0';
}

/** The user's cache folder for Diffwise, by the platform's convention; undefined when there is no home. */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (env.DIFFWISE_COMPILE_CACHE) return path.resolve(env.DIFFWISE_COMPILE_CACHE);
  let home: string;
  try {
    home = os.homedir();
  } catch {
    return undefined;
  }
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'diffwise', 'Cache', 'code');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'diffwise', 'code');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'diffwise', 'code');
}

function cacheMode(): CacheMode {
  if (mode) return mode;
  const dir = isSet(process.env.DIFFWISE_NO_COMPILE_CACHE) ? undefined : cacheDirectory();
  if (!dir) return (mode = { kind: 'off' });
  // Node's own (22.1+) covers every module required after this call, ours included; it
  // honours NODE_DISABLE_COMPILE_CACHE and says so in its status, which needs nothing from us.
  const enable = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof enable === 'function') {
    try {
      enable(path.join(dir, 'node'));
    } catch {
      // An unusable folder: Node compiles as it always did.
    }
    return (mode = { kind: 'node' });
  }
  // The V8 cache needs the main context's loader, for an import() in a bundle (the build
  // turns them into requires: Node warns that the loader is experimental when one runs),
  // and a checksum of our own over the data: both are in Node 20.19.
  if (!vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER || typeof zlib.crc32 !== 'function') return (mode = { kind: 'off' });
  process.once('exit', writePending);
  return (mode = { kind: 'v8', dir });
}

/**
 * The exports of the bundle `file` (an absolute path), loaded once per process like
 * `require`, through the code cache where there is one. `why` is for the trace: the
 * package or command that asked.
 */
export function loadBundle(file: string, why: string): unknown {
  const known = require.cache[file];
  if (known) return known.exports;
  const started = performance.now();
  const cache = cacheMode();
  let how: string = cache.kind === 'node' ? "Node's compile cache" : 'no code cache';
  let exports: unknown;
  if (cache.kind === 'v8') {
    const loaded = loadWithV8Cache(file, cache.dir);
    exports = loaded.exports;
    how = `code cache ${loaded.status}`;
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exports = require(file);
  }
  if (isSet(process.env.DIFFWISE_TRACE_LOADS)) trace(file, why, how, performance.now() - started);
  return exports;
}

type ModuleFunction = (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;

function loadWithV8Cache(file: string, dir: string): { exports: unknown; status: 'hit' | 'miss' | 'rejected' | 'unkeyed' } {
  const bytes = fs.readFileSync(file);
  // A minified bundle is ASCII: read as Latin-1 it is a one-byte string, which is decoded, and
  // compiled, faster than UTF-8's two-byte one (a development build keeps comments in UTF-8).
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const hash = HASH_TRAILER.exec(source.slice(-120))?.[1];
  const cacheFile = hash ? path.join(dir, `${path.basename(file, '.js')}-${hash}-${process.version}-${process.arch}.bin`) : undefined;
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  // Module.wrap's wrapper, so that the bundle sees what `require` would give it.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new vm.Script(wrapped, { filename: file, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const status = !cacheFile ? 'unkeyed' : cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  const run = script.runInThisContext({ displayErrors: true }) as ModuleFunction;
  const loaded = new Module(file, module);
  loaded.filename = file;
  // In the cache before it runs, as require does, so that a cycle back to it finds it.
  require.cache[file] = loaded;
  try {
    run.call(loaded.exports, loaded.exports, createRequire(file), loaded, file, path.dirname(file));
  } catch (error) {
    delete require.cache[file];
    throw error;
  }
  loaded.loaded = true;
  // Written at exit, when it also holds the functions compiled since (a hit is kept as it is).
  if (cacheFile && status !== 'hit') pending.push({ script, file, cacheFile });
  return { exports: loaded.exports, status };
}

/** The V8 data of a cache file, or undefined when it is missing, unreadable, cut short or damaged. */
function readCache(cacheFile: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (data.length <= HEADER_BYTES || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const crc = data.readUInt32LE(MAGIC.length);
  const length = data.readUInt32LE(MAGIC.length + 4);
  const payload = data.subarray(HEADER_BYTES);
  // V8 checks its version, flags and the source's length, not the data's integrity: we do.
  if (payload.length !== length || zlib.crc32(payload) !== crc) return undefined;
  return payload;
}

function writePending(): void {
  for (const { script, file, cacheFile } of pending.splice(0)) {
    try {
      const payload = script.createCachedData();
      const header = Buffer.alloc(HEADER_BYTES);
      MAGIC.copy(header);
      header.writeUInt32LE(zlib.crc32(payload), MAGIC.length);
      header.writeUInt32LE(payload.length, MAGIC.length + 4);
      const dir = path.dirname(cacheFile);
      fs.mkdirSync(dir, { recursive: true });
      // A whole file or none: another process may be reading it, or writing it too.
      const partial = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(partial, Buffer.concat([header, payload]));
      fs.renameSync(partial, cacheFile);
      // The same bundle's caches for other builds or Node versions are stale now.
      const prefix = `${path.basename(file, '.js')}-`;
      for (const name of fs.readdirSync(dir)) {
        if (name.startsWith(prefix) && name.endsWith('.bin') && name !== path.basename(cacheFile)) fs.rmSync(path.join(dir, name), { force: true });
      }
    } catch {
      // A read-only or full cache folder: the next run compiles again, nothing worse.
    }
  }
}

/** DIFFWISE_TRACE_LOADS=1: one line per bundle, and the frames that asked for it (the first are the shim's). */
function trace(file: string, why: string, how: string, ms: number): void {
  const frames = (new Error().stack ?? '').split('\n').slice(1).map((line) => line.trim()).filter((line) => !/^at (trace|loadBundle) /.test(line));
  process.stderr.write(`diffwise: loaded ${path.basename(path.dirname(file))}/${path.basename(file)} for ${why} in ${ms.toFixed(0)} ms (${how})\n${frames.slice(0, 6).map((frame) => `    ${frame}\n`).join('')}`);
}

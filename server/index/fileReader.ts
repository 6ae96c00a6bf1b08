/**
 * Reading one workspace file for the index: read, hash, and parse when the
 * content is new. Shared by the indexer's main thread and its parse workers.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractFile, type Extraction } from './extractor';
import { looksGenerated } from './languages';
import { adapterFor, withParsedFile, withReparsedFile } from '../languages/registry';

/** A file read and, when its content is new, parsed: what a batch hands to the store. */
export interface PreparedFile {
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
  /** Why the file was catalogued but not parsed ('too-large', 'generated'); null when parsed. */
  skipped: string | null;
  extraction: Extraction | null;
}

/** What the catalog already knows of a file, so that unchanged content is not parsed again. */
export interface ReadRequest {
  path: string;
  size: number;
  mtimeMs: number;
  knownHash: string | null;
}

/**
 * `'unchanged'` when the content hashes to what the catalog holds (only the
 * mtime moved), null when the file vanished since it was listed.
 */
export function readForIndex(root: string, request: ReadRequest, maxFileBytes: number, options: { beingEdited?: boolean } = {}): PreparedFile | 'unchanged' | null {
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(path.join(root, request.path));
  } catch {
    return null;
  }
  const hash = createHash('sha256').update(buffer).digest('hex');
  if (request.knownHash === hash) return 'unchanged';
  const base = { path: request.path, size: request.size, mtimeMs: request.mtimeMs, hash };
  if (buffer.length > maxFileBytes) return { ...base, skipped: 'too-large', extraction: null };
  const adapter = adapterFor(request.path);
  if (adapter) {
    // Generated code and other encodings are indexed (their declarations are real, and used); the review leaves them alone.
    const text = decodeSource(buffer);
    // A file saved in an editor is parsed again and again: tree-sitter re-parses only what the edit touched.
    const parse = options.beingEdited ? withReparsedFile : withParsedFile;
    const extraction = parse(adapter, request.path, text, (file) => adapter.extract(file));
    if (!extraction) throw new Error(`${adapter.displayName} files cannot be indexed before their grammar is loaded (loadParsersFor)`);
    return { ...base, skipped: null, extraction };
  }
  const text = buffer.toString('utf8');
  if (looksGenerated(text)) return { ...base, skipped: 'generated', extraction: null };
  return { ...base, skipped: null, extraction: extractFile(request.path, text) };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A source file's text: UTF-8, else Latin-1 (Java and Python 2 sources in legacy
 * encodings: every byte maps to a character, so declarations and lines stay where they are).
 */
export function isValidUtf8(buffer: Buffer): boolean {
  try {
    strictUtf8.decode(buffer);
    return true;
  } catch {
    return false;
  }
}

export function decodeSource(buffer: Buffer): string {
  try {
    return strictUtf8.decode(buffer);
  } catch {
    return buffer.toString('latin1');
  }
}

/** Reading a workspace file's text where a missing or unreadable file is an answer (null), not an error. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The text of `file` (repository-relative) in the work tree at `root`; null when it cannot be read. */
export function readWorkTreeText(root: string, file: string): string | null {
  try {
    return fs.readFileSync(path.join(root, file), 'utf8');
  } catch {
    return null;
  }
}

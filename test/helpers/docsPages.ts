/**
 * The documentation set the docs tests read: README.md and every Markdown page under docs/,
 * as paths relative to the repository, sorted. One list, so that the link check and the
 * runnable-commands test always look at the same pages.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

export function documentationPages(): string[] {
  const pages = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(REPOSITORY_ROOT, dir), { withFileTypes: true })) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.md')) pages.push(relative);
    }
  };
  walk('docs');
  return pages.sort();
}

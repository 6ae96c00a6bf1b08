/**
 * Where each rule's page is: docs/rules/<rule id, `/` as `-`>.md, shipped beside
 * the daemon (the extension package and a clone both have docs/ above the code),
 * linked as a `file:` URI so that it opens offline, in any editor.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** How far above the running code the docs folder may be: dist/ in a bundle, server/lsp/ from source. */
const LEVELS_UP = 4;

let rulesFolder: string | null | undefined;

/** The `file:` URI of the rule's page, or undefined when the daemon ships no such page. */
export function rulePageUri(ruleId: string): string | undefined {
  const folder = findRulesFolder();
  if (!folder) return undefined;
  const page = path.join(folder, `${ruleId.replace(/\//g, '-')}.md`);
  return fs.existsSync(page) ? pathToFileURL(page).toString() : undefined;
}

function findRulesFolder(): string | null {
  if (rulesFolder !== undefined) return rulesFolder;
  rulesFolder = null;
  let dir = __dirname;
  for (let level = 0; level <= LEVELS_UP; level++) {
    const candidate = path.join(dir, 'docs', 'rules');
    if (fs.existsSync(candidate)) return (rulesFolder = candidate);
    dir = path.dirname(dir);
  }
  return rulesFolder;
}

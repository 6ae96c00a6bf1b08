/**
 * The language benchmark's baseline, in a fresh process like the CLI it is compared
 * with: read every file of a list and parse it with tree-sitter (the same WebAssembly
 * runtime and grammar the indexer uses), nothing else. Prints the milliseconds
 * (grammar loading excluded, as the CLI's durationMs excludes its start-up).
 *
 *   node --import tsx bench/bareTreeSitterParse.ts ROOT FILE_LIST.json GRAMMAR.wasm
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parserFor, parseWith } from '../server/languages/treeSitter';

async function main(): Promise<void> {
  const [root, listFile, grammar] = process.argv.slice(2);
  const files = JSON.parse(fs.readFileSync(listFile, 'utf8')) as string[];
  const parser = await parserFor(grammar);
  const started = performance.now();
  for (const file of files) parseWith(parser, fs.readFileSync(path.join(root, file), 'utf8')).delete();
  const durationMs = performance.now() - started;
  process.stdout.write(JSON.stringify({ durationMs, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
}

void main();

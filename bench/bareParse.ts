/**
 * The index benchmark's baseline, run in a fresh process like the CLI it is
 * compared with (so both start with a cold JIT): read every file of a list and
 * parse it with `ts.createSourceFile`, nothing else. Prints the milliseconds.
 *
 *   node --import tsx bench/bareParse.ts ROOT FILE_LIST.json [nojsdoc]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { scriptKindOf } from '../server/index/languages';

const [root, listFile, mode] = process.argv.slice(2);
const files = JSON.parse(fs.readFileSync(listFile, 'utf8')) as string[];
// 'nojsdoc' parses the way the indexer does (no JSDoc), for a like-for-like second baseline.
const options = mode === 'nojsdoc' ? { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone } : ts.ScriptTarget.Latest;
const started = performance.now();
for (const file of files) {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  ts.createSourceFile(file, text, options, false, scriptKindOf(file));
}
const durationMs = performance.now() - started;
process.stdout.write(JSON.stringify({ durationMs, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));

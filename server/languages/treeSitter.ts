/**
 * tree-sitter as WebAssembly (@vscode/tree-sitter-wasm: the runtime and the
 * grammars VS Code itself ships): no native build, the same on every platform and
 * Node version. The runtime and each grammar are loaded once per process, on the
 * first file of their language; parsing is synchronous after that.
 *
 * Where the .wasm files are: next to the bundle (`dist/wasm/`, copied there by
 * esbuild.mjs, which is what the packaged extension ships), else in the package
 * itself (tests and benchmarks run the sources).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from '@vscode/tree-sitter-wasm';

let runtime: Promise<void> | undefined;
const languages = new Map<string, Promise<Language>>();
const parsers = new Map<string, Parser>();

/** The folder holding tree-sitter.wasm and the grammars. */
export function wasmFolder(): string {
  const bundled = path.join(__dirname, 'wasm');
  if (fs.existsSync(path.join(bundled, 'tree-sitter.wasm'))) return bundled;
  // Run from the sources (tests, benchmarks): server/languages/ -> the project's node_modules.
  return path.join(__dirname, '..', '..', 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
}

function initRuntime(): Promise<void> {
  runtime ??= (async () => {
    const folder = wasmFolder();
    await Parser.init({ locateFile: (file: string) => path.join(folder, file) });
  })();
  return runtime;
}

/**
 * A parser for `grammar` (a file name in the wasm folder, `tree-sitter-python.wasm`),
 * loading the runtime and the grammar on first use. One parser per grammar: parsing
 * is synchronous, so no two parses ever share it at once.
 */
export async function parserFor(grammar: string): Promise<Parser> {
  const ready = parsers.get(grammar);
  if (ready) return ready;
  await initRuntime();
  let language = languages.get(grammar);
  if (!language) {
    language = Language.load(path.join(wasmFolder(), grammar));
    languages.set(grammar, language);
    // A failed load is not remembered: the next file tries again, and says why again.
    language.catch(() => languages.delete(grammar));
  }
  const loaded = await language;
  const existing = parsers.get(grammar);
  if (existing) return existing;
  const parser = new Parser();
  parser.setLanguage(loaded);
  parsers.set(grammar, parser);
  return parser;
}

/**
 * Parses `text` with a parser from `parserFor`. tree-sitter never fails on bad
 * input: syntax errors become ERROR and MISSING nodes. The caller deletes the tree.
 */
export function parseWith(parser: Parser, text: string): Tree {
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree (the parse was cancelled)');
  return tree;
}

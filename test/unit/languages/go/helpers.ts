/** Parsing Go source for the tests: the real grammar, trees freed after each test. */
import type { ParsedFile } from '../../../../server/languages/model';
import { parserFor, parseWith } from '../../../../server/languages/treeSitter';

const trees: ParsedFile[] = [];

export async function parseGo(path: string, text: string): Promise<ParsedFile> {
  const parser = await parserFor('tree-sitter-go.wasm');
  const file = { path, text, tree: parseWith(parser, text) };
  trees.push(file);
  return file;
}

/** Frees every tree parsed so far (call from `afterEach`). */
export function freeTrees(): void {
  for (const file of trees.splice(0)) file.tree.delete();
}

export { lines } from '../../../helpers/text';

/** Parsing Java for the tests with the real grammar: every tree made here is freed after each test. */
import type { ParsedFile } from '../../../../server/languages/model';
import { parserFor, parseWith } from '../../../../server/languages/treeSitter';
import { javaAdapter } from '../../../../server/languages/java/adapter';

const trees: Array<{ delete(): void }> = [];

export async function parseJava(path: string, text: string): Promise<ParsedFile> {
  const parser = await parserFor(javaAdapter.grammar);
  const tree = parseWith(parser, text);
  trees.push(tree);
  return { path, text, tree };
}

export function freeTrees(): void {
  for (const tree of trees.splice(0)) tree.delete();
}

export { lines } from '../../../helpers/text';

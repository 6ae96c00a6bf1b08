import type { ParsedFile } from '../../../../server/languages/model';
import { parserFor, parseWith } from '../../../../server/languages/treeSitter';
import { pythonAdapter } from '../../../../server/languages/python/adapter';

export { lines } from '../../../helpers/text';

const parsed: ParsedFile[] = [];

/** Parses `text` as the file at `path` with the real Python grammar; `freeTrees` deletes what this made. */
export async function parse(path: string, text: string): Promise<ParsedFile> {
  const parser = await parserFor(pythonAdapter.grammar);
  const file = { path, text, tree: parseWith(parser, text) };
  parsed.push(file);
  return file;
}

export function freeTrees(): void {
  for (const file of parsed.splice(0)) file.tree.delete();
}

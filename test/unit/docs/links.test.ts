/**
 * The documentation's links do not rot: every relative link and image in README.md and
 * docs/**\/*.md names a file or folder that exists, and every `#anchor` (on the same page or
 * on another one) names a heading that page has, as GitHub slugs it. External http(s) links
 * are not fetched (the tests run offline), only recognised and skipped.
 *
 * Markdown is parsed with markdown-it (already a dependency) rather than with regular
 * expressions, so that a link inside a code block or inline code is not mistaken for one.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { documentationPages } from '../../helpers/docsPages';

const root = path.resolve(__dirname, '..', '..', '..');
const markdown = new MarkdownIt({ html: true });


/**
 * GitHub's anchor for a heading's text (github-slugger's rules): lower case, every character
 * that is not a letter, a mark, a digit, `_`, a space or `-` dropped, each space a hyphen.
 */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** The text of an inline token as GitHub renders it: code spans keep their content, markup goes. */
function inlineText(token: Token): string {
  return (token.children ?? []).map((child) => (child.type === 'text' || child.type === 'code_inline' ? child.content : child.type === 'image' ? inlineText(child) : '')).join('');
}

/** Every anchor a page offers: its headings' slugs (a repeated one gets -1, -2…) and explicit HTML ids. */
function anchorsOf(source: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const tokens = markdown.parse(source, {});
  tokens.forEach((token, index) => {
    if (token.type !== 'heading_open') return;
    const base = slug(inlineText(tokens[index + 1]));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  });
  for (const match of source.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(match[1]);
  return anchors;
}

/** Every link target (href of a link, src of an image) in a page, outside code. */
function linksOf(source: string): string[] {
  const targets: string[] = [];
  const visit = (tokens: Token[]): void => {
    for (const token of tokens) {
      if (token.type === 'link_open') targets.push(token.attrGet('href') ?? '');
      if (token.type === 'image') targets.push(token.attrGet('src') ?? '');
      if ((token.type === 'html_inline' || token.type === 'html_block') && token.content) {
        for (const match of token.content.matchAll(/\b(?:src|href)="([^"]+)"/g)) targets.push(match[1]);
      }
      if (token.children) visit(token.children);
    }
  };
  visit(markdown.parse(source, {}));
  return targets;
}

/** What is wrong with one link of `page`, or undefined when it is sound (or external). */
function problemWith(page: string, target: string, anchorCache: Map<string, Set<string>>): string | undefined {
  if (target === '') return 'an empty link';
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // http(s), mailto, vscode: … not fetched
  const [rawPath, anchor] = target.split('#', 2) as [string, string | undefined];
  const filePart = decodeURIComponent(rawPath.split('?')[0]);
  const file = filePart === '' ? page : filePart.startsWith('/') ? filePart.slice(1) : path.posix.normalize(path.posix.join(path.posix.dirname(page), filePart));
  if (file.startsWith('..')) return `${target}: points outside the repository`;
  if (!fs.existsSync(path.join(root, file))) return `${target}: ${file} does not exist`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!file.endsWith('.md')) return undefined; // an anchor into source code (#L12) is GitHub's, not a heading
  let anchors = anchorCache.get(file);
  if (!anchors) anchorCache.set(file, (anchors = anchorsOf(fs.readFileSync(path.join(root, file), 'utf8'))));
  return anchors.has(decodeURIComponent(anchor)) ? undefined : `${target}: ${file} has no heading #${anchor}`;
}

describe('documentation links', () => {
  it('slugs headings as GitHub does', () => {
    assert.equal(slug('For teams: the review service'), 'for-teams-the-review-service');
    assert.equal(slug('Figures (`npm run bench`, ratios against baselines measured in the same run)'), 'figures-npm-run-bench-ratios-against-baselines-measured-in-the-same-run');
    assert.equal(slug('Secret detection: which rules and why'), 'secret-detection-which-rules-and-why');
    assert.equal(slug('Übersicht — ça va?'), 'übersicht--ça-va');
    assert.deepEqual([...anchorsOf('# A\n\n## A\n\n## A\n')], ['a', 'a-1', 'a-2']);
  });

  it('finds links outside code only', () => {
    assert.deepEqual(linksOf('[x](a.md) `[y](b.md)`\n\n```\n[z](c.md)\n```\n![i](img.png)\n'), ['a.md', 'img.png']);
  });

  it('every relative link of README.md and docs/ points at a file, and every anchor at a heading, that exists', () => {
    const anchorCache = new Map<string, Set<string>>();
    const problems: string[] = [];
    const pages = documentationPages();
    for (const page of pages) {
      for (const target of linksOf(fs.readFileSync(path.join(root, page), 'utf8'))) {
        const problem = problemWith(page, target, anchorCache);
        if (problem) problems.push(`${page}: ${problem}`);
      }
    }
    assert.ok(pages.length > 3, 'no documentation pages found');
    assert.deepEqual(problems, [], `broken links:\n${problems.join('\n')}`);
  });
});

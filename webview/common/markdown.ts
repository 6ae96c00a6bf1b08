/**
 * Findings' messages are Markdown (the LLM writes `code`, **emphasis** and links; the
 * rules quote code in backticks): rendered with markdown-it, safe to put into the page.
 *
 * - `html: false`: raw HTML in a message is text, never markup (a message quotes code,
 *   and an LLM's answer is not trusted).
 * - No images: a message has none worth showing, and the policy loads none from the web.
 * - No tables: markdown-it aligns their cells with `style` attributes, which the
 *   Content-Security-Policy refuses.
 * - Links keep no `href` the webview could follow: an http(s) link becomes
 *   `<a href="#" data-href="…">`, which the page hands to the extension (`openLink`, which
 *   opens it in the browser); any other scheme is left as its text.
 *
 * No DOM here: the unit tests run it in Node.
 */
import MarkdownIt from 'markdown-it';

/** The link schemes the extension opens; everything else stays text. */
const OPENABLE = /^https?:\/\//i;

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
markdown.disable(['image', 'table']);

type Renderer = NonNullable<MarkdownIt['renderer']['rules']['link_open']>;

/** Which link_open tokens were dropped, so that their link_close goes too (links do not nest). */
const dropped = new WeakSet<object>();

const linkOpen: Renderer = (tokens, index, options, _env, self) => {
  const token = tokens[index];
  const href = token.attrGet('href') ?? '';
  if (!OPENABLE.test(href)) {
    dropped.add(closingOf(tokens, index) ?? token);
    return '';
  }
  token.attrSet('href', '#');
  token.attrSet('data-href', href);
  token.attrSet('title', href);
  return self.renderToken(tokens, index, options);
};

const linkClose: Renderer = (tokens, index, options, _env, self) => (dropped.has(tokens[index]) ? '' : self.renderToken(tokens, index, options));

markdown.renderer.rules.link_open = linkOpen;
markdown.renderer.rules.link_close = linkClose;

function closingOf(tokens: Array<{ type: string }>, openIndex: number): object | undefined {
  for (let i = openIndex + 1; i < tokens.length; i++) if (tokens[i].type === 'link_close') return tokens[i];
  return undefined;
}

/** A message as HTML that holds no markup of its own and no followable link. */
export function renderMarkdown(source: string): string {
  return markdown.render(source);
}

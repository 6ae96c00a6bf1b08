import * as assert from 'node:assert/strict';
import { renderMarkdown } from '../../../webview/common/markdown';

describe('webview markdown: messages rendered safely', () => {
  it('renders code, emphasis and lists', () => {
    const html = renderMarkdown('`console.log` left in **src/a.ts**\n\n- one\n- two');
    assert.match(html, /<code>console\.log<\/code>/);
    assert.match(html, /<strong>src\/a\.ts<\/strong>/);
    assert.match(html, /<li>one<\/li>/);
  });

  it('keeps raw HTML as text: no element of its own reaches the page', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)> and <script>alert(1)</script> and <b onclick="x()">b</b>');
    assert.doesNotMatch(html, /<(img|script|b)\b/i);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, /&lt;script&gt;/);
  });

  it('turns http(s) links into data-href links the extension opens, with no followable href', () => {
    const html = renderMarkdown('See [the rule](https://example.com/rules/debug?x=1&y=2) and https://example.org/page');
    assert.match(html, /<a href="#" data-href="https:\/\/example\.com\/rules\/debug\?x=1&amp;y=2" title="[^"]+">the rule<\/a>/);
    assert.match(html, /<a href="#" data-href="https:\/\/example\.org\/page"[^>]*>https:\/\/example\.org\/page<\/a>/);
    assert.doesNotMatch(html, /\shref="https?:/);
  });

  it('leaves links of other schemes as their text', () => {
    for (const link of ['javascript:alert(1)', 'command:diffwise.clearLlmApiKey', 'file:///etc/passwd', 'vscode://x', 'data:text/html,hi', '../docs/rules/x.md']) {
      const html = renderMarkdown(`[click me](${link}) after`);
      assert.doesNotMatch(html, /<a\b/, `${link}: ${html}`);
      assert.match(html, /click me/, link);
      assert.match(html, /after/, link);
    }
  });

  it('draws no images and no tables (their cells would need inline styles)', () => {
    assert.doesNotMatch(renderMarkdown('![alt](https://example.com/x.png)'), /<img\b/);
    const table = renderMarkdown('| a | b |\n|:--|--:|\n| 1 | 2 |');
    assert.doesNotMatch(table, /<table|style=/);
  });

  it('a link after a dropped one still renders', () => {
    const html = renderMarkdown('[bad](javascript:x) [good](https://example.com)');
    assert.doesNotMatch(html, /href="javascript/);
    assert.match(html, /<a href="#" data-href="https:\/\/example\.com"[^>]*>good<\/a>/);
  });
});

/**
 * The HTML shell of both webviews (the vscode-extension-samples webview-sample's
 * security): a strict Content-Security-Policy whose only script is the bundle,
 * allowed by a fresh nonce; styles only from the bundle folder (no inline style);
 * and `localResourceRoots` limited to that folder, so a webview can load nothing
 * else from the disk.
 *
 * What the libraries in the pages need from that policy, and why it is enough:
 * - @vscode-elements/elements (Lit) styles its shadow roots with constructable
 *   stylesheets (`adoptedStyleSheets`), which CSP's `style-src` does not govern: no
 *   `'unsafe-inline'` is needed. (Lit would fall back to `<style>` elements only in a
 *   browser without them; VS Code's Chromium has had them since 73.) Components set
 *   element styles through the CSSOM (`element.style`), which the policy allows too.
 * - vscode-icon and our own codicons load dist/webview/codicon.css (a `<link>` in the
 *   page, which the component finds by its id `vscode-codicon-stylesheet` and links again
 *   in its shadow root) and its font codicon.ttf: `style-src` and `font-src` of the
 *   webview's own origin.
 * The e2e UI check fails on any "Refused to apply/load/execute" in the console.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { WebviewName } from '../shared/webview';

/** Where esbuild.mjs writes the webview bundles (`<name>.js` and `<name>.css`) and codicons' codicon.css and codicon.ttf. */
export function webviewBundleFolder(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewBundleFolder(extensionUri)] };
}

/** The root element each webview script renders into: `diffwise-<name>` (the e2e UI check looks for it too). */
export function webviewRootId(name: WebviewName): string {
  return `diffwise-${name}`;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, name: WebviewName, title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(webviewBundleFolder(extensionUri), file)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  // The page writes dates and numbers in VS Code's display language (webview/common/format.ts reads it here).
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language || 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset(`${name}.css`)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="${webviewRootId(name)}" aria-live="polite"><p class="status">Loading…</p></main>
<script nonce="${nonce}" src="${asset(`${name}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Links in the webviews' Markdown: the pages follow none themselves (webview/common/markdown.ts
 * gives them no href), they ask the extension, which opens http(s) ones in the browser.
 * shared/webview.ts already refused any other scheme; this checks again because a `command:`
 * or `file:` URI handed to openExternal would run or open something on the user's behalf.
 */
import * as vscode from 'vscode';

export async function openLink(url: string): Promise<null> {
  const uri = vscode.Uri.parse(url, true);
  if (uri.scheme !== 'http' && uri.scheme !== 'https') throw new Error(`not an http(s) link: ${url}`);
  await vscode.env.openExternal(uri);
  return null;
}

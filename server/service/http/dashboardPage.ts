/**
 * The team dashboard's page: the VS Code metrics panel (dist/webview/metrics.js and .css,
 * unchanged) in a plain browser. The panel talks to its host through acquireVsCodeApi()
 * (webview/common/channel.ts); the shim below, loaded before it, is that host: it answers
 * the panel's `metrics` request from /api/metrics (same origin, the session cookie) for the
 * repository chosen in the page's selector, keeps the panel's state in sessionStorage, and
 * gives the `--vscode-*` colours VS Code would (light or dark, as the browser prefers).
 * Everything is a file of its own, because the page's CSP admits no inline script or style.
 */

/** The page's Content-Security-Policy: the dashboard's own files only (fonts: the codicons). */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** The host side of the panel's channel, in the browser. */
export const SHIM_SCRIPT = `'use strict';
(function () {
  var STATE_KEY = 'diffwise-dashboard-state';
  var params = new URLSearchParams(location.search);
  var repo = params.get('repo') || '';
  function answer(id, body) {
    window.dispatchEvent(new MessageEvent('message', { data: Object.assign({ type: 'response', id: id }, body) }));
  }
  function metrics(id, since) {
    var query = new URLSearchParams();
    if (repo) query.set('repo', repo);
    if (since) query.set('since', since);
    fetch('/api/metrics?' + query.toString(), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) throw new Error(body.message || ('the server answered ' + response.status));
          return body;
        });
      })
      .then(function (result) { answer(id, { result: result }); }, function (error) { answer(id, { error: error.message }); });
  }
  window.acquireVsCodeApi = function () {
    return {
      postMessage: function (message) {
        if (!message || message.type !== 'request') return;
        if (message.method === 'metrics') return metrics(message.id, message.params && message.params.since);
        if (message.method === 'openLink' && message.params && /^https?:/.test(message.params.url)) {
          window.open(message.params.url, '_blank', 'noopener');
          return answer(message.id, { result: null });
        }
        answer(message.id, { error: 'not available in the team dashboard: the workers review the pull requests (and the LLM is set up on them)' });
      },
      getState: function () {
        try { return JSON.parse(sessionStorage.getItem(STATE_KEY) || 'null'); } catch (error) { return null; }
      },
      setState: function (state) {
        try { sessionStorage.setItem(STATE_KEY, JSON.stringify(state)); } catch (error) { /* private mode: the range is not kept */ }
      },
    };
  };
  document.addEventListener('DOMContentLoaded', function () {
    var select = document.getElementById('diffwise-repository');
    if (!select) return;
    select.addEventListener('change', function () {
      var next = new URLSearchParams(location.search);
      if (select.value) next.set('repo', select.value); else next.delete('repo');
      location.search = next.toString();
    });
  });
})();
`;

const LIGHT = `
  --vscode-font-family: system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif;
  --vscode-font-size: 13px;
  --vscode-font-weight: normal;
  --vscode-editor-font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace;
  --vscode-foreground: #3b3b3b;
  --vscode-descriptionForeground: #717171;
  --vscode-errorForeground: #c72e2e;
  --vscode-editor-background: #ffffff;
  --vscode-sideBar-background: #f8f8f8;
  --vscode-sideBarSectionHeader-background: #f0f0f0;
  --vscode-sideBarTitle-foreground: #3b3b3b;
  --vscode-panel-border: #e5e5e5;
  --vscode-contrastBorder: transparent;
  --vscode-focusBorder: #005fb8;
  --vscode-list-hoverBackground: #f2f2f2;
  --vscode-textCodeBlock-background: #f3f3f3;
  --vscode-textLink-foreground: #005fb8;
  --vscode-textLink-activeForeground: #005fb8;
  --vscode-icon-foreground: #3b3b3b;
  --vscode-button-background: #005fb8;
  --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #0258a8;
  --vscode-button-border: transparent;
  --vscode-button-secondaryBackground: #e5e5e5;
  --vscode-button-secondaryForeground: #3b3b3b;
  --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-badge-background: #cccccc;
  --vscode-badge-foreground: #3b3b3b;
  --vscode-activityBarBadge-background: #005fb8;
  --vscode-activityBarBadge-foreground: #ffffff;
  --vscode-dropdown-background: #ffffff;
  --vscode-dropdown-foreground: #3b3b3b;
  --vscode-dropdown-border: #cecece;
  --vscode-dropdown-listBackground: #ffffff;
  --vscode-input-background: #ffffff;
  --vscode-input-foreground: #3b3b3b;
  --vscode-input-border: #cecece;
  --vscode-list-activeSelectionBackground: #e8e8e8;
  --vscode-list-activeSelectionForeground: #000000;
  --vscode-charts-foreground: #616161;
  --vscode-charts-lines: rgba(97, 97, 97, 0.5);
  --vscode-charts-blue: #1a85ff;
  --vscode-charts-red: #e51400;
  --vscode-charts-green: #388a34;
  --vscode-charts-yellow: #bf8803;
  --vscode-charts-orange: #d18616;
  --vscode-charts-purple: #652d90;`;

const DARK = `
  --vscode-foreground: #cccccc;
  --vscode-descriptionForeground: #9d9d9d;
  --vscode-errorForeground: #f85149;
  --vscode-editor-background: #1f1f1f;
  --vscode-sideBar-background: #181818;
  --vscode-sideBarSectionHeader-background: #181818;
  --vscode-sideBarTitle-foreground: #cccccc;
  --vscode-panel-border: #2b2b2b;
  --vscode-focusBorder: #0078d4;
  --vscode-list-hoverBackground: #2a2d2e;
  --vscode-textCodeBlock-background: #2b2b2b;
  --vscode-textLink-foreground: #4daafc;
  --vscode-textLink-activeForeground: #4daafc;
  --vscode-icon-foreground: #cccccc;
  --vscode-button-background: #0078d4;
  --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #026ec1;
  --vscode-button-secondaryBackground: #313131;
  --vscode-button-secondaryForeground: #cccccc;
  --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-badge-background: #616161;
  --vscode-badge-foreground: #f8f8f8;
  --vscode-dropdown-background: #313131;
  --vscode-dropdown-foreground: #cccccc;
  --vscode-dropdown-border: #3c3c3c;
  --vscode-dropdown-listBackground: #1f1f1f;
  --vscode-input-background: #313131;
  --vscode-input-foreground: #cccccc;
  --vscode-input-border: #3c3c3c;
  --vscode-list-activeSelectionBackground: #04395e;
  --vscode-list-activeSelectionForeground: #ffffff;
  --vscode-charts-foreground: #cccccc;
  --vscode-charts-lines: rgba(204, 204, 204, 0.5);
  --vscode-charts-blue: #3794ff;
  --vscode-charts-red: #f14c4c;
  --vscode-charts-green: #89d185;
  --vscode-charts-yellow: #cca700;
  --vscode-charts-orange: #d18616;
  --vscode-charts-purple: #b180d7;`;

/** VS Code's colours (its default light and dark themes) and the page's frame around the panel. */
export const THEME_STYLESHEET = `:root {${LIGHT}
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {${DARK}
  }
}
body {
  margin: 0;
  background: var(--vscode-editor-background);
  color: var(--vscode-foreground);
  font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size);
}
.dashboard-header {
  display: flex;
  align-items: center;
  gap: 1em;
  flex-wrap: wrap;
  padding: 0.75em 20px;
  border-bottom: 1px solid var(--vscode-panel-border);
}
.dashboard-header h1 { font-size: 1.2em; margin: 0; font-weight: 600; }
.dashboard-header label { color: var(--vscode-descriptionForeground); }
.dashboard-header select, .login input, .login button {
  font: inherit;
  color: var(--vscode-input-foreground);
  background: var(--vscode-input-background);
  border: 1px solid var(--vscode-input-border);
  padding: 4px 6px;
}
.login { max-width: 26em; margin: 12vh auto; padding: 0 20px; }
.login h1 { font-size: 1.4em; font-weight: 600; }
.login form { display: flex; gap: 0.5em; }
.login input { flex: 1; }
.login button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border-color: transparent; cursor: pointer; }
.login .error { color: var(--vscode-errorForeground); }
.login p { color: var(--vscode-descriptionForeground); }
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The dashboard: the repository selector, then the panel's root element and its scripts (the shim first). */
export function dashboardHtml(repositories: readonly string[], selected: string | undefined): string {
  const options = [`<option value="">All repositories</option>`, ...repositories.map((repo) => `<option value="${escapeHtml(repo)}"${repo === selected ? ' selected' : ''}>${escapeHtml(repo)}</option>`)];
  if (selected && !repositories.includes(selected)) options.push(`<option value="${escapeHtml(selected)}" selected>${escapeHtml(selected)}</option>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="/assets/theme.css">
<link rel="stylesheet" href="/assets/codicon.css" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="/assets/metrics.css">
<title>Diffwise: team reviews${selected ? ` of ${escapeHtml(selected)}` : ''}</title>
</head>
<body>
<header class="dashboard-header">
<h1>Diffwise team reviews</h1>
<label for="diffwise-repository">Repository</label>
<select id="diffwise-repository" name="repo">${options.join('')}</select>
</header>
<main id="diffwise-metrics" aria-live="polite"><p class="status">Loading…</p></main>
<script src="/assets/shim.js"></script>
<script src="/assets/metrics.js"></script>
</body>
</html>`;
}

/** The sign-in page: one field for the dashboard token. */
export function loginHtml(error: string | undefined): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="/assets/theme.css">
<title>Diffwise: sign in</title>
</head>
<body>
<main class="login">
<h1>Diffwise team reviews</h1>
<p>Sign in with the dashboard token (the server's DIFFWISE_DASHBOARD_TOKEN).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login">
<input type="password" name="token" aria-label="Dashboard token" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>`;
}

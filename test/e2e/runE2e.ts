/**
 * Runs the extension-host suites inside a real VS Code, offline: code-server 4.100.3 (VS Code
 * 1.100.3, installed by test/e2e/setup.sh) driven by Debian's Chromium through playwright-core.
 * The recipe is /work/shared/vscode-host (README.md, e2e.js).
 *
 *   node test/e2e/buildSuite.mjs && node --import tsx test/e2e/runE2e.ts
 *     [--extension DIR]  the extension to load (default: this repository)
 *     [--tests FILE]     its bundled suite (default: out/e2e/index.js)
 *     [--skip-ui]        run the suite only, not the Problems-panel check
 *     [--docs-images]    also copy the README's pictures to docs/images/ (`npm run screenshots`;
 *                        not by default, so that a test run leaves the work tree as it was)
 *
 * Six checks, each one pass or fail: (1) the mocha suite in the extension host, whose exit code
 * arrives through `codeAutomationExit`; (2) a UI check that runs "Diffwise: Review Working Tree"
 * from the command palette and finds the finding in the Problems panel; then, in the same window,
 * (3) the feedback panel lists the findings, Ignore and Unignore clicked in it move one to "Ignored
 * by you" and back, and Not helpful with a reason given in it by keyboard moves another to
 * "Suppressed by learning"; (4) the metrics panel shows its figures, charts' text and the "LLM
 * review is off" state; (5) both panels redraw in the light, dark and high-contrast themes
 * (test-results/{feedback,metrics}-panel-{light,dark,high-contrast}.png; the light and dark ones,
 * of this real review, also to docs/images/ with --docs-images); (6) a finding in the editor, its squiggle on the
 * call alone and its hover, photographed for the README (test-results/review-dark.png; docs/images/ with --docs-images). No emoji and no Content-Security-Policy violation
 * in either panel. The last line printed is always `N passed, N failed`: CI reads it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format, parseArgs, stripVTControlCharacters } from 'node:util';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { cleanupRepos } from '../helpers/gitRepo';
import { createFixtureRepo } from './fixture';

const ROOT = path.resolve(__dirname, '..', '..');
const CODE_SERVER = path.join(ROOT, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
const SHOTS = path.join(ROOT, 'test-results');
const SUITE_TIMEOUT_MS = 180_000;
const UI_TIMEOUT_MS = 90_000; // workbench load + daemon start + first index of the fixture
const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
// Everything that could reach the network or nag on a first start, off.
const SETTINGS = {
  'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off',
  'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true, 'workbench.enableExperiments': false, 'workbench.tips.enabled': false,
  'typescript.disableAutomaticTypeAcquisition': true, 'npm.fetchOnlinePackageInfo': false, 'git.enabled': false,
};

const { values: opts } = parseArgs({
  options: { extension: { type: 'string' }, tests: { type: 'string' }, 'skip-ui': { type: 'boolean' }, 'docs-images': { type: 'boolean' } },
});
const extensionDir = path.resolve(opts.extension ?? ROOT);
const testsFile = path.resolve(opts.tests ?? path.join(ROOT, 'out', 'e2e', 'index.js'));

/** Installs code-server on first use, the way @vscode/test-electron downloads VS Code into .vscode-test/. */
function ensureSetup(): void {
  if (fs.existsSync(CODE_SERVER)) return;
  console.log('code-server is not installed yet: running test/e2e/setup.sh');
  const result = spawnSync('bash', [path.join(__dirname, 'setup.sh')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`test/e2e/setup.sh failed (exit ${result.status})`);
}

/** A port nobody listens on now: bind port 0 and let go of it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts code-server in its own process group (so that stopping it stops its extension hosts and
 *  our daemon too) with this run's own TMPDIR, user data and extensions. */
function startCodeServer(host: string, tmp: string, fixture: string): ChildProcess {
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'tmp'));
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  const env = {
    ...process.env,
    EXTENSIONS_GALLERY: '{}', // no marketplace, so no open-vsx lookups
    TMPDIR: path.join(tmp, 'tmp'),
    // Variables set here reach the extension host, hence our suites.
    DIFFWISE_E2E_FIXTURE: fixture,
    DIFFWISE_E2E_SHOTS: SHOTS,
  };
  const log = fs.openSync(path.join(tmp, 'server.log'), 'a');
  return spawn(CODE_SERVER, ['--auth', 'none', '--bind-addr', host, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions')],
  { env, detached: true, stdio: ['ignore', log, log] });
}

async function waitHealthy(host: string, server: ChildProcess, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`code-server exited with code ${server.exitCode}`);
    try {
      if ((await fetch(`http://${host}/healthz`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer /healthz within ${ms / 1000} s`);
}

/** SIGTERM to the whole group, SIGKILL to whatever is left 3 s later. */
async function stopCodeServer(server: ChildProcess | undefined): Promise<void> {
  if (!server?.pid) return;
  const signal = (name: NodeJS.Signals) => { try { process.kill(-server.pid!, name); } catch { /* already gone */ } };
  signal('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 3000));
  signal('SIGKILL');
}

/** A fresh Chromium profile that can reach code-server and nothing else. */
async function openBrowser(tmp: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(tmp, 'chromium-')), {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1400, height: 900 }, args: CHROME_ARGS,
  });
  await context.route('**/*', (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort());
  return context;
}

/** The workbench URL: `payload` is how code-server takes the desktop's --extensionDevelopmentPath etc. */
function workbenchUrl(host: string, folder: string, payload: Array<[string, string]>): string {
  return `http://${host}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Check 1: the mocha suite in the extension host. Returns its exit code, or 'timeout'. */
async function runSuite(page: Page, host: string, fixture: string): Promise<number | 'timeout'> {
  let exited!: (code: number) => void;
  const exitCode = new Promise<number>((resolve) => (exited = resolve));
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
    for (const line of format(...(args ?? [])).split('\n')) console.log(`  [exthost] ${line}`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
  const remote = (p: string) => `vscode-remote://${host}${p}`;
  await page.goto(workbenchUrl(host, fixture, [
    ['extensionDevelopmentPath', remote(extensionDir)], ['extensionTestsPath', remote(testsFile)], ['skipWelcome', 'true'],
  ]));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS)));
  try {
    return await Promise.race([exitCode, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a command from the command palette, as a user does: F1, its title, Enter. */
async function runFromPalette(page: Page, title: string): Promise<void> {
  // Twice at most: a palette opened while an extension's contributions are still being registered
  // keeps the list it opened with.
  for (let attempt = 1; ; attempt++) {
    await page.locator('.part.editor').click(); // keyboard focus in the workbench, so F1 reaches it
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await page.keyboard.type(title);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title.replace(/^Diffwise: /, '') }).first().waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 2) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

/**
 * The frame of one of our webviews. A webview is an iframe inside an iframe, its URL
 * VS Code's own; ours is the frame whose document holds the root element that
 * extension/webviewHtml.ts writes (`#diffwise-<name>`).
 */
async function webviewFrame(page: Page, rootId: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (await frame.locator(`#${rootId}`).count().catch(() => 0)) {
        await checkCsp(frame);
        return frame;
      }
    }
    if (Date.now() > deadline) throw new Error(`no webview frame with #${rootId} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The webview's Content-Security-Policy is the strict one of extension/webviewHtml.ts: nothing inline, scripts by nonce only. */
async function checkCsp(frame: Frame): Promise<void> {
  const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  if (!csp || !/default-src 'none'/.test(csp) || !/script-src 'nonce-[^']+'(;|$)/.test(csp) || /unsafe-(inline|eval)/.test(csp)) {
    throw new Error(`not the strict Content-Security-Policy: ${csp}`);
  }
}

/**
 * What the browser console said about blocked content: a webview that needed an inline
 * style or script, which its policy refuses, would show up here.
 */
const cspViolations: string[] = [];
function watchCsp(page: Page): void {
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (apply|execute|load)/i.test(message.text())) cspViolations.push(message.text().slice(0, 300));
  });
}

/** Check 2: what a user does. Throws with what was missing; screenshots either way. */
async function uiCheck(page: Page, host: string, fixture: string): Promise<string[]> {
  fs.mkdirSync(SHOTS, { recursive: true });
  watchCsp(page);
  try {
    await page.goto(workbenchUrl(host, fixture, [
      ['extensionDevelopmentPath', `vscode-remote://${host}${extensionDir}`], ['skipWelcome', 'true'],
    ]));
    // The explorer listing the fixture means the workbench and the remote file system are up.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'src' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    // The extension's status bar item means it is active and its commands are registered: a palette
    // opened before that lists none of them (the fixture's folders do not delay the explorer alike).
    await page.locator('.statusbar-item', { hasText: 'Diffwise' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await runFromPalette(page, 'Diffwise: Review Working Tree');
    await page.keyboard.press('Control+Shift+M'); // View: Problems
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.filter({ hasText: /debug-leftover|debugger/ }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await page.screenshot({ path: path.join(SHOTS, 'problems-panel.png') });
    return await rows.allInnerTexts();
  } catch (error) {
    await page.screenshot({ path: path.join(SHOTS, 'problems-panel-failed.png') }).catch(() => undefined);
    throw error;
  }
}

/**
 * Check 3, after check 2 in the same window: the feedback panel lists the review's
 * debug-leftover finding; Ignore on the staged console.log moves it to "Ignored by you"
 * and Unignore there brings it back; then Not helpful with a reason, clicked and typed
 * in the panel, moves the debugger finding to "Suppressed by learning" with that
 * reason. Returns the rows' text along the way.
 */
async function feedbackPanelCheck(page: Page): Promise<{ before: string; ignored: string; after: string }> {
  try {
    await runFromPalette(page, 'Diffwise: Show Feedback Panel');
    const frame = await webviewFrame(page, 'diffwise-feedback');
    const inSection = (section: string, id: string) => frame.locator(`section[data-section="${section}"] li[data-finding-id="${id}"]`);

    // Ignore and Unignore, by mouse: the row moves between the sections.
    const consoleLog = frame.locator('section[data-section="findings"] li.finding', { hasText: 'src/staged.ts' }).first();
    await consoleLog.waitFor({ timeout: 30_000 });
    const ignoredId = (await consoleLog.getAttribute('data-finding-id'))!;
    await consoleLog.getByRole('button', { name: 'Ignore' }).click();
    const ignoredRow = inSection('ignored', ignoredId);
    await ignoredRow.waitFor({ timeout: 30_000 });
    const ignored = await ignoredRow.innerText();
    await ignoredRow.getByRole('button', { name: /Unignore/ }).click();
    await inSection('findings', ignoredId).waitFor({ timeout: 30_000 });
    if (await inSection('ignored', ignoredId).count()) throw new Error('Unignore left the finding under "Ignored by you"');

    const row = frame.locator('li.finding', { hasText: 'debugger' }).first();
    await row.waitFor({ timeout: 30_000 });
    const before = await row.innerText();
    const id = await row.getAttribute('data-finding-id');
    // By keyboard: the vote buttons are buttons, and Not helpful moves the focus into its reason box.
    await row.getByRole('button', { name: 'Not helpful' }).focus();
    await page.keyboard.press('Enter');
    const reason = frame.locator(`#reason-${id}`);
    await reason.waitFor({ timeout: 10_000 });
    await frame.waitForFunction(`document.activeElement && document.activeElement.id === 'reason-${id}'`, undefined, { timeout: 5_000 }).catch(() => undefined);
    const focused = await frame.evaluate('document.activeElement && document.activeElement.id'); // a string: this file is typed without the DOM library
    if (focused !== `reason-${id}`) throw new Error(`the reason box did not take the focus (${String(focused)} has it)`);
    await page.keyboard.type('e2e: intended here');
    await page.keyboard.press('Enter');
    const suppressed = inSection('suppressed', id!);
    await suppressed.filter({ hasText: 'e2e: intended here' }).waitFor({ timeout: 30_000 });
    await checkNoEmoji(frame, 'feedback panel');
    if (cspViolations.length) throw new Error(`the page broke its Content-Security-Policy: ${cspViolations.join(' | ')}`);
    return { before, ignored, after: await suppressed.innerText() };
  } catch (error) {
    await page.screenshot({ path: path.join(SHOTS, 'feedback-panel-failed.png') }).catch(() => undefined);
    throw error;
  }
}

/** No emoji as interface: without an emoji font they are boxes. Codicons are a font of their own. */
async function checkNoEmoji(frame: Frame, what: string): Promise<void> {
  const text = await frame.locator('body').innerText();
  const emoji = text.match(/\p{Extended_Pictographic}/gu);
  if (emoji) throw new Error(`${what} shows emoji: ${[...new Set(emoji)].join(' ')}`);
}

/**
 * Check 4: Diffwise: Show Metrics draws the recorded reviews; returns the headline figures and
 * each chart's summary line. The fixture has no LLM: in place of empty cost and token axes, the
 * panel says so and offers to set it up. The last review is drawn as a waterfall (a `diff` bar
 * and `rule:` bars with their durations) and the Errors section is there.
 */
async function metricsPanelCheck(page: Page): Promise<string[]> {
  try {
    await page.locator('.part.editor').click();
    await page.keyboard.press('Control+J'); // hide the Problems panel: the screenshots show more charts
    await runFromPalette(page, 'Diffwise: Show Metrics');
    const frame = await webviewFrame(page, 'diffwise-metrics');
    await frame.locator('.headline').waitFor({ timeout: 30_000 });
    await frame.locator('section.chart canvas').first().waitFor({ timeout: 10_000 });
    const headline = (await frame.locator('.headline').innerText()).replace(/\s+/g, ' ');
    if (!/Reviews \d+/.test(headline)) throw new Error(`unexpected headline: ${headline}`);
    const llmOff = frame.locator('[data-chart="llm-off"]');
    await llmOff.getByRole('button', { name: 'Set Up LLM Review' }).waitFor({ timeout: 10_000 });
    // The last review's waterfall: a bar for the diff stage and one per rule, each with its duration.
    const waterfall = frame.locator('[data-section="waterfall"]');
    await waterfall.locator('.waterfall-row[data-span="diff"] .waterfall-bar').waitFor({ timeout: 10_000 });
    const ruleBars = await waterfall.locator('.waterfall-row[data-span^="rule:"] .waterfall-bar').count();
    if (!ruleBars) throw new Error('the waterfall shows no rule: bar');
    const diffRow = (await waterfall.locator('.waterfall-row[data-span="diff"]').innerText()).replace(/\s+/g, ' ');
    if (!/diff .*\d+(\.\d+)? (ms|s)/.test(diffRow)) throw new Error(`the diff bar has no duration: ${diffRow}`);
    const diffBar = await waterfall.locator('.waterfall-row[data-span="diff"] .waterfall-bar').boundingBox();
    if (!diffBar || diffBar.width < 1) throw new Error(`the diff bar is not drawn: ${JSON.stringify(diffBar)}`);
    // The failures by cause: a table of them, or the empty state; the heading either way.
    await frame.locator('[data-section="errors"] h2', { hasText: 'Errors' }).waitFor({ timeout: 10_000 });
    const summaries = await frame.locator('.chart-summary').allInnerTexts();
    await checkNoEmoji(frame, 'metrics panel');
    if (cspViolations.length) throw new Error(`the page broke its Content-Security-Policy: ${cspViolations.join(' | ')}`);
    return [headline, ...summaries, (await llmOff.locator('.status-message').innerText()).trim()];
  } catch (error) {
    await page.screenshot({ path: path.join(SHOTS, 'metrics-panel-failed.png') }).catch(() => undefined);
    throw error;
  }
}

/** The themes the panels are photographed in, with the body class VS Code gives a webview in each. */
const THEMES = [
  { name: 'light', label: 'Light Modern', bodyClass: 'vscode-light' },
  { name: 'dark', label: 'Dark Modern', bodyClass: 'vscode-dark' },
  { name: 'high-contrast', label: 'Dark High Contrast', bodyClass: 'vscode-high-contrast' },
] as const;
const DOCS_IMAGES = path.join(ROOT, 'docs', 'images');
/** Keeps a picture of this real review for the README when asked to (`--docs-images`). */
function keepForDocs(file: string): void {
  if (!opts['docs-images']) return;
  fs.mkdirSync(DOCS_IMAGES, { recursive: true });
  fs.copyFileSync(file, path.join(DOCS_IMAGES, path.basename(file)));
}

/** Drags the sash between the sidebar and the editor to the right, as a user widens the sidebar. */
async function widenSidebar(page: Page, by: number): Promise<void> {
  const box = await page.locator('.part.sidebar').first().boundingBox();
  if (!box) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width + 1 + by, y, { steps: 8 });
  await page.mouse.up();
}

/** Preferences: Color Theme, as a user picks one; the keyboard reaches the workbench through the sidebar's title. */
async function pickTheme(page: Page, label: string): Promise<void> {
  await page.locator('.part.sidebar .composite.title').first().click();
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
  await page.keyboard.type('Preferences: Color Theme');
  // Not the first row: "Browse Color Themes in Marketplace" ranks above it.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: /Preferences: Color Theme/ }).first().click({ timeout: 10_000 });
  await page.keyboard.type(label); // the theme list is virtual: filter it, then the row exists
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/**
 * Check 5: both panels side by side (feedback in the sidebar, metrics in the editor) in the
 * light, dark and high-contrast themes: each redraws in the theme's colours (its body class
 * changes and the charts are drawn again), photographed into test-results/; the light and
 * dark ones also into docs/images/ for the README with --docs-images. First the feedback view is hidden and
 * shown again: its page unloads, and comes back by saying ready and fetching anew.
 */
async function themeCheck(page: Page): Promise<string[]> {
  try {
    await page.locator('.part.activitybar .action-item a[aria-label^="Explorer"]').first().click();
    await page.locator('.part.activitybar .action-item a[aria-label^="Diffwise"]').first().click();
    let feedback = await webviewFrame(page, 'diffwise-feedback');
    await feedback.locator('li.finding').first().waitFor({ timeout: 15_000 });
    await widenSidebar(page, 180); // the feedback panel as a user who reads it would size it
    const shots: string[] = [];
    for (const theme of THEMES) {
      await pickTheme(page, theme.label);
      feedback = await webviewFrame(page, 'diffwise-feedback');
      const metrics = await webviewFrame(page, 'diffwise-metrics');
      await feedback.locator(`body.${theme.bodyClass} li.finding`).first().waitFor({ timeout: 15_000 });
      await metrics.locator(`body.${theme.bodyClass} section.chart canvas`).first().waitFor({ timeout: 15_000 });
      await page.waitForTimeout(300); // the theme's fonts and the charts' redraw
      for (const [panel, part] of [['feedback', '.part.sidebar'], ['metrics', '.part.editor']] as const) {
        const file = path.join(SHOTS, `${panel}-panel-${theme.name}.png`);
        await page.locator(part).first().screenshot({ path: file });
        shots.push(path.basename(file));
        if (theme.name !== 'high-contrast') keepForDocs(file);
      }
    }
    if (cspViolations.length) throw new Error(`the page broke its Content-Security-Policy: ${cspViolations.join(' | ')}`);
    return shots;
  } catch (error) {
    await page.screenshot({ path: path.join(SHOTS, 'themes-failed.png') }).catch(() => undefined);
    throw error;
  }
}

/**
 * Check 6, the README's picture: what a user sees on a finding. In the dark theme, the
 * review's src/staged.ts opened from Quick Open (check 3 voted the other finding down), its
 * squiggle on the `console.log(...)` call alone (not the whole line nor its `;`), its hover (actions first, no repeated message), the Problems
 * panel and the one status bar item. The window's title bar is left out of the picture:
 * it names the test host, not anything a user sees.
 */
async function editorCheck(page: Page): Promise<string> {
  try {
    await pickTheme(page, 'Dark Modern');
    await page.locator('.part.sidebar .composite.title').first().click(); // the keyboard to the workbench, not a webview
    await page.keyboard.press('Control+P'); // Go to File
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await page.keyboard.type('staged.ts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'staged.ts' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    const squiggle = page.locator('.part.editor .monaco-editor .squiggly-warning').first();
    await squiggle.waitFor({ timeout: 15_000 });
    const box = await squiggle.boundingBox();
    // The range is the call's 21 characters, not a 10,000-character line end: well under 300 pixels.
    if (!box || box.width > 300) throw new Error(`the squiggle is ${box ? Math.round(box.width) : '?'} px wide: not the call's range`);
    await page.keyboard.press('Control+Shift+M'); // the Problems panel beside it
    await page.locator('.part.panel .markers-panel').first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Helpful' }).first();
    // The panel's opening lays the editor out again, and a hover begun during that layout is
    // dropped (one CI run in ten or so): point at the squiggle where it is now, and again from
    // outside it if no hover came, as a user would move the mouse off and back.
    for (let attempt = 1; ; attempt++) {
      // Re-rendered by that layout, the squiggle may be between two elements for a moment: line 1
      // has not moved (the panel opens below it), so the box measured before stands in.
      const at = (await squiggle.boundingBox({ timeout: 2_000 }).catch(() => null)) ?? box;
      await page.mouse.move(at.x + at.width / 2, at.y + at.height + 40);
      await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2 - 4, { steps: 4 });
      try {
        await hover.waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    const text = await hover.innerText();
    if (!/Ignore/.test(text)) throw new Error(`the hover has no Ignore action: ${JSON.stringify(text)}`);
    await page.waitForTimeout(1500); // the hover's fade-in, and VS Code's look-up of quick fixes under it
    const viewport = page.viewportSize() ?? { width: 1400, height: 900 };
    const title = await page.locator('.part.titlebar').first().boundingBox();
    const top = title ? Math.ceil(title.y + title.height) : 0;
    const file = path.join(SHOTS, 'review-dark.png');
    await page.screenshot({ path: file, clip: { x: 0, y: top, width: viewport.width, height: viewport.height - top } });
    keepForDocs(file);
    return text.replace(/\s+/g, ' ').trim();
  } catch (error) {
    await page.screenshot({ path: path.join(SHOTS, 'editor-failed.png') }).catch(() => undefined);
    throw error;
  }
}

/**
 * Check 7, after the editor check: a branch review (Review Branch… and its first suggestion,
 * main), then Diffwise: Show Impact from the palette opens on that review's change with no
 * question. The page draws the graph (cytoscape's canvas) and its list, holding the changed
 * src/api.ts and its dependent src/main.ts; Tab into the graph and the arrow keys walk its
 * nodes with the focus line saying which; Enter on src/main.ts opens it in an editor (asked of
 * the extension over the channel). Photographed in test-results/impact-graph.png.
 */
async function impactCheck(page: Page): Promise<string[]> {
  try {
    await page.locator('.part.sidebar .composite.title').first().click();
    await runFromPalette(page, 'Diffwise: Review Branch');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'main' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+J'); // the Problems panel away: the picture shows the graph
    // Opened while the review may still run: the view follows the last review, so it shows the branch once that is done.
    await runFromPalette(page, 'Diffwise: Show Impact');
    const frame = await webviewFrame(page, 'diffwise-impact');
    await frame.locator('header.summary', { hasText: 'branch since main' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await frame.locator('#impact-graph canvas').first().waitFor({ timeout: 30_000 });
    const changed = frame.locator('li.module[data-file="src/api.ts"][data-depth="0"]');
    const dependent = frame.locator('li.module[data-file="src/main.ts"][data-depth="1"]');
    await changed.waitFor({ timeout: 30_000 });
    await dependent.waitFor({ timeout: 10_000 });
    const heading = (await frame.locator('header.summary').innerText()).replace(/\s+/g, ' ').trim();
    await page.waitForTimeout(500); // the layout's first frame
    const file = path.join(SHOTS, 'impact-graph.png');
    await page.screenshot({ path: file });
    keepForDocs(file);

    // The keyboard: focus the graph, walk to src/main.ts, Enter opens it.
    await frame.locator('#impact-graph').focus();
    const focusLine = frame.locator('#impact-focus');
    const walked: string[] = [];
    for (let step = 0; step < 20 && (await focusLine.getAttribute('data-node')) !== 'src/main.ts'; step++) {
      await page.keyboard.press('ArrowDown');
      walked.push((await focusLine.getAttribute('data-node')) ?? '');
    }
    if ((await focusLine.getAttribute('data-node')) !== 'src/main.ts') throw new Error(`the arrow keys never reached src/main.ts: ${walked.join(', ')}`);
    const said = (await focusLine.innerText()).trim();
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: 'main.ts' }).first().waitFor({ timeout: 15_000 });
    // And a click on the list's link opens the changed module.
    await changed.getByRole('button', { name: 'src/api.ts' }).click();
    await page.locator('.tabs-container .tab', { hasText: 'api.ts' }).first().waitFor({ timeout: 15_000 });
    await checkNoEmoji(frame, 'impact view');
    if (cspViolations.length) throw new Error(`the page broke its Content-Security-Policy: ${cspViolations.join(' | ')}`);
    return [heading, said, (await changed.innerText()).replace(/\s+/g, ' ').trim(), (await dependent.innerText()).replace(/\s+/g, ' ').trim()];
  } catch (error) {
    await page.screenshot({ path: path.join(SHOTS, 'impact-failed.png') }).catch(() => undefined);
    throw error;
  }
}

/** A playwright error's first line, and which locator it waited for. */
function firstLines(error: unknown): string {
  const lines = stripVTControlCharacters((error as Error).message).split('\n');
  return [lines[0], lines.find((line) => /waiting for/.test(line))?.trim()].filter(Boolean).join(': ');
}

async function main(): Promise<number> {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-e2e-')));
  let server: ChildProcess | undefined;
  let passed = 0;
  let failed = 0;
  const fail = (what: string) => { failed++; console.log(`FAIL: ${what}`); };
  // Ctrl-C skips `finally`: stop code-server's group here too, or it outlives us.
  process.once('SIGINT', () => { if (server?.pid) try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ } process.exit(130); });
  try {
    ensureSetup();
    if (!fs.existsSync(testsFile)) throw new Error(`${testsFile} does not exist: run node test/e2e/buildSuite.mjs first`);
    // Two fixtures: the suite may edit or stage files in its own; the UI check needs the pristine one.
    const suiteFixture = createFixtureRepo();
    const uiFixture = createFixtureRepo();
    const host = `127.0.0.1:${await freePort()}`;
    server = startCodeServer(host, tmp, suiteFixture);
    await waitHealthy(host, server);
    console.log(`code-server up on ${host} after ${elapsed()}`);

    const browser = await openBrowser(tmp);
    try {
      const suitePage = browser.pages()[0] ?? await browser.newPage();
      const code = await runSuite(suitePage, host, suiteFixture);
      await suitePage.close(); // its extension host would otherwise keep running beside the UI check's
      if (code === 0) { passed++; console.log(`ok: extension-host suite (${elapsed()})`); }
      else if (code === 'timeout') fail(`extension-host suite did not report an exit code within ${SUITE_TIMEOUT_MS / 1000} s`);
      else fail(`extension-host suite exited with code ${code}`);

      if (opts['skip-ui']) console.log('skipped: Problems-panel, feedback-panel, metrics-panel, theme, editor and impact checks (--skip-ui)');
      else {
        const page = await browser.newPage();
        let reviewed = false;
        try {
          const rows = await uiCheck(page, host, uiFixture);
          passed++;
          reviewed = true;
          console.log(`ok: Problems panel after "Diffwise: Review Working Tree" (${elapsed()}): ${JSON.stringify(rows)}`);
        } catch (error) {
          fail(`Problems-panel check: ${(error as Error).message.split('\n')[0]} (screenshot: test-results/problems-panel-failed.png)`);
        }
        // The panels show that review: without it, they have nothing to show.
        if (!reviewed) fail('feedback, metrics and theme checks: not run, the review of check 2 did not happen');
        else {
          try {
            const { before, ignored, after } = await feedbackPanelCheck(page);
            passed++;
            console.log(`ok: feedback panel lists the findings, Ignore and Unignore move one between its sections, and Not helpful suppresses another (${elapsed()}): ${JSON.stringify(ignored)}; ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
          } catch (error) {
            fail(`feedback-panel check: ${firstLines(error)} (screenshot: test-results/feedback-panel-failed.png)`);
          }
          let metricsShown = false;
          try {
            const texts = await metricsPanelCheck(page);
            passed++;
            metricsShown = true;
            console.log(`ok: metrics panel (${elapsed()}): ${JSON.stringify(texts)}`);
          } catch (error) {
            fail(`metrics-panel check: ${firstLines(error)} (screenshot: test-results/metrics-panel-failed.png)`);
          }
          if (!metricsShown) fail('theme check: not run, the metrics panel did not open');
          else {
            try {
              const shots = await themeCheck(page);
              passed++;
              console.log(`ok: both panels in the light, dark and high-contrast themes (${elapsed()}): test-results/{${shots.join(',')}}`);
            } catch (error) {
              fail(`theme check: ${firstLines(error)} (screenshot: test-results/themes-failed.png)`);
            }
            try {
              const hover = await editorCheck(page);
              passed++;
              console.log(`ok: a finding in the editor, on its call, with its hover (${elapsed()}): ${JSON.stringify(hover)}; test-results/review-dark.png`);
            } catch (error) {
              fail(`editor check: ${firstLines(error)} (screenshot: test-results/editor-failed.png)`);
            }
            try {
              const texts = await impactCheck(page);
              passed++;
              console.log(`ok: Show Impact after a branch review draws src/api.ts and its dependent src/main.ts; the keyboard walks the graph and Enter opens a node's file (${elapsed()}): ${JSON.stringify(texts)}; test-results/impact-graph.png`);
            } catch (error) {
              fail(`impact check: ${firstLines(error)} (screenshot: test-results/impact-failed.png)`);
            }
          }
        }
      }
    } finally {
      await browser.close();
    }
  } catch (error) {
    fail(`harness: ${(error as Error).message}`);
  } finally {
    await stopCodeServer(server);
    cleanupRepos();
    // Keep the code-server log of a failed run; a passing run leaves nothing behind.
    if (failed) console.log(`code-server log: ${path.join(tmp, 'server.log')}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
    console.log(`total ${elapsed()}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (error: unknown) => { console.error(error); process.exit(1); });

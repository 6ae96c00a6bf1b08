/**
 * The team dashboard in a real browser (Debian's Chromium, driven by playwright-core, as
 * the e2e tier drives VS Code): signed in through its form, it draws the metrics panel's
 * charts over the reviews a real `diffwise server` reads from PostgreSQL, with no script
 * error and no Content-Security-Policy violation; the repository filter narrows them.
 * Photographed to test-results/team-dashboard.png. Pending where Chromium is not installed
 * (test/e2e/setup.sh installs it; CI always has it).
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import type { ReviewRun } from '../../shared/review';
import { migrateServiceStore } from '../../server/service/store/migrations';
import { openPool } from '../../server/service/store/postgres';
import { ServiceStore } from '../../server/service/store/serviceStore';
import { freePort, freshDatabase } from '../helpers/postgres';

/**
 * The page's DOM as the functions evaluated in it use it (this file is compiled without the DOM's
 * types; the page's CSP forbids evaluating strings, so they are functions).
 */
declare const document: {
  querySelectorAll(selector: string): { length: number };
  querySelector(selector: 'canvas'): { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } } };
  body: { innerText: string };
};

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'team-dashboard-test-token';

const run = (id: string, startedAt: string, i: number): ReviewRun => ({
  id, scope: 'branch', base: 'a'.repeat(40), mergeBase: 'a'.repeat(40), head: 'b'.repeat(40), status: i % 5 ? 'ok' : 'partial', startedAt, durationMs: 900 + 40 * i,
  files: 3, hunks: 4, cacheHits: i % 3, llmCalls: 1, tokens: { prompt: 900, completion: 150 }, costUsd: 0.03, errors: [], notices: [], skipped: [], llm: null,
  learning: { suppressed: 0, demoted: 0 },
});

describe('the team dashboard in a browser', function () {
  this.timeout(120_000);
  let pool: Pool;
  let server: ChildProcess | undefined;
  let base: string;

  before(async function () {
    if (!fs.existsSync(CHROMIUM) || !fs.existsSync(CLI)) this.skip();
    const url = await freshDatabase();
    pool = openPool(url);
    await migrateServiceStore(pool);
    const store = new ServiceStore(pool);
    for (let i = 0; i < 12; i++) {
      const startedAt = new Date(Date.now() - i * 7 * 3_600_000).toISOString();
      await store.recordReview({
        id: `r${i}`, repository: i % 3 ? 'acme/app' : 'acme/lib', number: i + 1, headSha: `${i}`.padStart(40, 'c'), baseSha: 'a'.repeat(40), status: 'published',
        run: run(`r${i}`, startedAt, i), findings: 2, findingsByRule: { 'debug-leftover': 1 + (i % 2), secret: i % 2 }, conclusion: 'failure', checkRunId: null,
        reviewUrl: null, requestedAt: startedAt, startedAt, finishedAt: startedAt, waitMs: 1500, runMs: 1000, attempt: 1, jobId: null, worker: 'test', error: null,
      });
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [CLI, 'server', '--port', String(port)], {
      env: { ...process.env, DATABASE_URL: url, GITHUB_WEBHOOK_SECRET: 'unused-here', DIFFWISE_DASHBOARD_TOKEN: TOKEN, DIFFWISE_LLM_MONTHLY_BUDGET_USD: '10' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    await new Promise<void>((resolve, reject) => {
      server!.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        log += chunk;
        if (log.includes('diffwise server listening')) resolve();
      });
      server!.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${log}`)));
    });
  });

  after(async () => {
    server?.kill('SIGTERM');
    await pool?.end();
  });

  it('draws the charts after signing in, without a script error or a CSP violation, and filters by repository', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
      page.on('console', (message) => {
        // The sign-in page's own 401 (and a favicon's 404) are answers, not faults of the page.
        if (message.type() === 'error' && !/status of (401|404)/.test(message.text())) problems.push(message.text());
      });
      await page.goto(`${base}/`);
      await page.fill('input[name=token]', TOKEN);
      await Promise.all([page.waitForURL(`${base}/`), page.press('input[name=token]', 'Enter')]);
      await page.waitForFunction(() => document.querySelectorAll('canvas').length >= 4 && document.body.innerText.includes('Noisiest rules'), undefined, { timeout: 30_000 });
      const text = await page.locator('body').innerText();
      assert.match(text, /12\s*\n?\s*.*succeeded/i, text.slice(0, 400));
      assert.match(text, /debug-leftover/);
      // Drawn, not only placed: a chart's canvas has pixels that are not the background.
      const painted = await page.evaluate(() => {
        const canvas = document.querySelector('canvas');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let coloured = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) coloured++;
        return coloured;
      });
      assert.ok(painted > 500, `the first chart painted ${painted} pixels`);
      fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
      await page.screenshot({ path: path.join(ROOT, 'test-results', 'team-dashboard.png') });

      await page.selectOption('select', 'acme/lib');
      await page.waitForURL(/repo=acme%2Flib|repo=acme\/lib/);
      await page.waitForFunction(() => document.body.innerText.includes('Noisiest rules'), undefined, { timeout: 30_000 });
      assert.match(await page.locator('body').innerText(), /\b4\s*\n?\s*.*succeeded/i);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });
});

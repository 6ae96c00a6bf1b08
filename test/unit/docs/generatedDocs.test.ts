/**
 * The generated reference pages cannot drift: each generator's output, computed in memory,
 * must equal the committed file, and the failure names the command that regenerates it. The
 * published JSON Schema of `.diffwise/config.json` must also judge a file as the daemon does:
 * a real file passes both, an unknown field fails both.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { CONFIG_SCHEMA_FILE, CONFIGURATION_PAGE, configSchemaText, configurationPage } from '../../../scripts/docs/configurationReference';
import { LSP_PAGE, lspReferencePage } from '../../../scripts/docs/lspReference';
import { loadLlmConfig } from '../../../server/llm/config';
import { loadLearningSettings } from '../../../server/learning/settings';
import { loadCoChangeSettings } from '../../../server/history/settings';
import { loadAlertSettings } from '../../../server/observability/alertSettings';

const root = path.resolve(__dirname, '..', '..', '..');

/** Equal to the committed file, or a failure that says which line differs and how to fix it. */
function assertCommitted(file: string, generated: string, generator: string): void {
  const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (committed === generated) return;
  const committedLines = committed.split('\n');
  const generatedLines = generated.split('\n');
  const line = generatedLines.findIndex((text, i) => text !== committedLines[i]);
  assert.fail(
    `${path.relative(root, file)} is out of date (first difference at line ${line + 1}): run npx tsx scripts/docs/${generator}.ts and commit the result\n`
    + `  committed: ${committedLines[line] ?? '(end of file)'}\n  generated: ${generatedLines[line] ?? '(end of file)'}`,
  );
}

describe('generated docs', function () {
  // The environment scan parses every source file of server/ and extension/ once.
  this.timeout(30_000);

  it('docs/configuration.md is what scripts/docs/configurationReference.ts generates', () => {
    assertCommitted(CONFIGURATION_PAGE, configurationPage(), 'configurationReference');
  });

  it('docs/diffwise-config.schema.json is what scripts/docs/configurationReference.ts generates', () => {
    assertCommitted(CONFIG_SCHEMA_FILE, configSchemaText(), 'configurationReference');
  });

  it('docs/lsp-extensions.md is what scripts/docs/lspReference.ts generates', () => {
    assertCommitted(LSP_PAGE, lspReferencePage(), 'lspReference');
  });

  it('documents every diffwise/* method of shared/protocol.ts', () => {
    const methods = [...fs.readFileSync(path.join(root, 'shared', 'protocol.ts'), 'utf8').matchAll(/method = '(diffwise\/\w+)'/g)].map((m) => m[1]!);
    const page = fs.readFileSync(LSP_PAGE, 'utf8');
    assert.ok(methods.length > 10);
    for (const method of methods) assert.ok(page.includes(`## \`${method}\``), `${method} has no section in docs/lsp-extensions.md`);
  });

  it('documents every setting of package.json', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { configuration: Array<{ properties: Record<string, unknown> }> } };
    const page = fs.readFileSync(CONFIGURATION_PAGE, 'utf8');
    for (const key of manifest.contributes.configuration.flatMap((section) => Object.keys(section.properties))) {
      assert.ok(page.includes(`#### \`${key}\``), `${key} has no entry in docs/configuration.md`);
    }
  });
});

describe('the published .diffwise/config.json schema', () => {
  const schema = JSON.parse(fs.readFileSync(CONFIG_SCHEMA_FILE, 'utf8')) as object;
  const validate = new Ajv({ allErrors: true }).compile(schema);
  let repo: string;

  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-configschema-'));
    fs.mkdirSync(path.join(repo, '.diffwise'));
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  /** Whether the daemon's loaders take the file: each reads its own section, and throws on a bad one. */
  function daemonAccepts(config: unknown): boolean {
    fs.writeFileSync(path.join(repo, '.diffwise', 'config.json'), JSON.stringify(config));
    try {
      loadLlmConfig({ DIFFWISE_LLM_API_KEY: 'sk-test' }, repo);
      loadLearningSettings(repo);
      loadCoChangeSettings(repo);
      loadAlertSettings(repo, {});
      return true;
    } catch {
      return false;
    }
  }

  const teamFile = {
    llm: {
      model: 'gpt-4o', baseUrl: 'http://localhost:11434/v1', monthlyBudgetUsd: 25, maxConcurrency: 2, timeoutMs: 30_000,
      excludePaths: ['fixtures/**', '*.snap'], maxContextTokens: 4000, instructions: 'docs/review.md',
      prices: { 'team-model': { inputPerMTok: 0.5, outputPerMTok: 1.5 } },
    },
    learning: { enabled: true, minVotes: 5, demoteBelow: 0.4, suppressBelow: 0.2, similarity: 0.7, promptExamples: 2 },
    coChange: { enabled: false, commits: 500, minSupport: 4, minConfidence: 0.8, maxFilesPerCommit: 20 },
    alerts: {
      window: 30, minReviews: 3, failureRatePercent: 10, p95TargetMs: 20_000, databaseMaxMb: 512, freeDiskMinMb: 256,
      restartCount: 3, restartWindowMinutes: 5, githubRemainingPercent: 15, webhookUrl: 'https://hooks.slack.com/services/T/B/X',
    },
  };

  it('takes a full team file, every section and field set, as the daemon does', () => {
    assert.ok(validate(teamFile), JSON.stringify(validate.errors));
    assert.ok(daemonAccepts(teamFile));
  });

  it('rejects an unknown field in a section, as the daemon does', () => {
    const typo = { llm: { maxConcurency: 2 } };
    assert.equal(validate(typo), false);
    assert.ok(validate.errors?.some((error) => error.keyword === 'additionalProperties'), JSON.stringify(validate.errors));
    assert.equal(daemonAccepts(typo), false);
  });

  it('rejects a value out of range, as the daemon does', () => {
    const bad = { learning: { demoteBelow: 1.5 } };
    assert.equal(validate(bad), false);
    assert.equal(daemonAccepts(bad), false);
  });

  it('leaves unknown top-level sections alone, as the daemon does (other features keep theirs there)', () => {
    const other = { ...teamFile, somethingElse: { any: 1 } };
    assert.ok(validate(other), JSON.stringify(validate.errors));
    assert.ok(daemonAccepts(other));
  });
});

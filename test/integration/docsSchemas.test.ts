/**
 * The JSON Schemas published in docs/ are true: each is what scripts/docs/jsonSchemas.ts
 * generates from the TypeScript types today, and what the built CLI prints on a real repository
 * (`diffwise review --format json` with findings of several rules, a vote, an ignored finding and
 * the impact summary; `diffwise metrics --json` over those reviews) validates against it.
 *
 * Validated with ajv (draft-07, what ts-json-schema-generator emits), present as a dependency of
 * the toolchain; only this test imports it. The schemas close their objects, so a field the code
 * prints but the types leave out fails here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { DOCUMENT_SCHEMAS, schemaText } from '../../scripts/docs/jsonSchemas';
import type { ReviewDocument } from '../../shared/review';
import { runCli, runCliJson } from '../helpers/cli';
import { cleanupRepos, commitAll, git, makeRepo, write } from '../helpers/gitRepo';

const root = path.resolve(__dirname, '..', '..');
/** Built at run time so this repository's own secret scanning never sees a token in its source. */
const GITHUB_TOKEN = ['ghp', '_', 'R8x2Lq', '9Vt4Kw', 'Zp7Nc3', 'Hy6Mb1', 'Jd5Gs0', 'Fa2Qe8', 'Ux'].join('');

function validatorFor(file: string) {
  const schema = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(schema);
  return (document: unknown, what: string): void => {
    const valid = validate(document);
    assert.ok(valid, `${what} does not match ${file}:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  };
}

/** A branch with a breaking change and its callers, a secret, a debug leftover: several rules, related locations, an impact. */
function repositoryWithFindings(): string {
  const repo = makeRepo();
  write(repo, 'src/lib/api.ts', 'export function parse(input: string): number {\n  return input.length;\n}\n');
  write(repo, 'src/main.ts', "import { parse } from './lib/api';\n\nexport const n = parse('a');\n");
  write(repo, 'test/api.test.ts', "import { parse } from '../src/lib/api';\n\nexport const checked = parse('b') === 1;\n");
  commitAll(repo, 'initial');
  git(repo, 'checkout', '-q', '-b', 'feature');
  write(repo, 'src/lib/api.ts', 'export function parse(input: string, radix: number): number {\n  console.log("parsing", input);\n  return input.length * radix;\n}\n');
  write(repo, 'src/config.ts', `export const token = "${GITHUB_TOKEN}";\n`);
  commitAll(repo, 'feature work');
  return repo;
}

describe('docs/*.schema.json (the JSON documents\' schemas)', () => {
  after(cleanupRepos);

  for (const schema of DOCUMENT_SCHEMAS) {
    it(`${schema.file} is what the generator writes from ${schema.type} in ${schema.source}`, () => {
      assert.equal(fs.readFileSync(path.join(root, schema.file), 'utf8'), schemaText(schema), `${schema.file} is out of date: run npx tsx scripts/docs/jsonSchemas.ts`);
    });
  }

  it('validates what diffwise review --format json and diffwise metrics --json print on a real repository', () => {
    const validateReview = validatorFor('docs/review-document.schema.json');
    const validateMetrics = validatorFor('docs/metrics-document.schema.json');
    const repo = repositoryWithFindings();

    const first = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json']);
    assert.equal(first.code, 1, first.stderr);
    const rules = new Set(first.json.findings.map((finding) => finding.ruleId));
    for (const rule of ['breaking-change', 'secret', 'debug-leftover']) assert.ok(rules.has(rule), `no ${rule} finding: ${[...rules].join(', ')}`);
    assert.ok(first.json.impact, 'the review printed no impact summary');
    assert.ok(first.json.findings.some((finding) => finding.related.length > 0), 'no finding with related locations');
    validateReview(first.json, 'the first review');

    // A vote down and an ignored finding: the second review shows them (suppressed, learned, ignored, vote).
    const debug = first.json.findings.find((finding) => finding.ruleId === 'debug-leftover')!;
    const secret = first.json.findings.find((finding) => finding.ruleId === 'secret')!;
    assert.equal(runCli(repo, ['feedback', debug.id, '--down', '--reason', 'logging on purpose']).code, 0);
    assert.equal(runCli(repo, ['ignore', secret.id]).code, 0);
    const second = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json', '--show-suppressed', '--fail-on', 'never']);
    assert.equal(second.code, 0, second.stderr);
    assert.ok(second.json.findings.some((finding) => finding.suppressed), JSON.stringify(second.json.findings, null, 2));
    assert.ok(second.json.run.cacheHits > 0, 'the second review reused no cached hunk');
    validateReview(second.json, 'the review with a vote and an ignored finding');

    const working = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json']);
    validateReview(working.json, 'a review of a clean working tree');

    const metrics = runCliJson<unknown>(repo, ['metrics', '--json']);
    assert.equal(metrics.code, 0, metrics.stderr);
    validateMetrics(metrics.json, 'diffwise metrics --json');
    validateMetrics(runCliJson<unknown>(repo, ['metrics', '--json', '--since', '1h']).json, 'diffwise metrics --json --since 1h');
  });

  it('rejects a document with a field its type does not have (the objects are closed)', () => {
    const validateReview = validatorFor('docs/review-document.schema.json');
    const repo = repositoryWithFindings();
    const { json } = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json']);
    assert.throws(() => validateReview({ ...json, extra: true }, 'a document with an extra field'), /must NOT have additional properties|should NOT have additional properties/);
    assert.throws(() => validateReview({ ...json, findings: [{ ...json.findings[0], severity: 'fatal' }] }, 'a finding of an unknown severity'), /should be equal to one of the allowed values|must be equal to one of the allowed values/);
  });
});

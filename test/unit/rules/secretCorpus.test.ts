/**
 * Every case of the labelled corpus through the real rule, the detectors and the
 * redaction: each credential is found (with the right label), redacted, and
 * nothing else is; each look-alike raises nothing. A known miss is pending with
 * its reason, never silently dropped.
 */
import * as assert from 'node:assert/strict';
import { secretRule } from '../../../server/review/rules/secret';
import { detectSecrets, redactSecrets } from '../../../server/review/secrets/detect';
import { changedFile, runRule } from '../../helpers/changedFile';
import { SECRET_CORPUS, type SecretCase } from './secretCorpus';

/** Each expected secret's span in the text; the corpus builds every text around its secrets. */
function spans(testCase: SecretCase): Array<[number, number]> {
  return testCase.secrets.map((secret) => {
    const at = testCase.text.indexOf(secret);
    assert.ok(at >= 0, `corpus error: "${testCase.name}" does not contain its secret`);
    return [at, at + secret.length];
  });
}

async function check(testCase: SecretCase): Promise<void> {
  const findings = await runRule(secretRule, changedFile(testCase.path, testCase.text));
  const detections = await detectSecrets(testCase.text, testCase.path);
  const expected = spans(testCase);
  const overlaps = (a: [number, number], b: { start: number; end: number }) => a[0] < b.end && b.start < a[1];
  const shown = detections.map((d) => `${d.source} [${d.start},${d.end}) ${d.label}`).join('; ');

  for (const detection of detections) {
    assert.ok(expected.some((span) => overlaps(span, detection)), `false alarm in "${testCase.name}": ${shown}`);
  }
  expected.forEach((span, i) => {
    assert.ok(detections.some((detection) => overlaps(span, detection)), `missed secret ${i + 1} in "${testCase.name}"; found: ${shown || 'nothing'}`);
  });
  assert.equal(findings.length > 0, expected.length > 0, `rule findings: ${findings.map((f) => f.message).join(' | ')}`);
  if (testCase.label) assert.match(findings[0].message, testCase.label);
  for (const finding of findings) {
    for (const secret of testCase.secrets) assert.ok(!finding.message.includes(secret) && !finding.fingerprint.includes(secret), 'a finding leaks the secret');
  }

  const redacted = await redactSecrets(testCase.text, testCase.path);
  for (const secret of testCase.secrets) assert.ok(!redacted.text.includes(secret), `"${testCase.name}" still holds its secret after redaction`);
  if (!expected.length) assert.equal(redacted.text, testCase.text);
}

describe('secret detection corpus', () => {
  it('has the size and spread it claims', () => {
    assert.ok(SECRET_CORPUS.length >= 150, `${SECRET_CORPUS.length} cases`);
    const kinds = new Set(SECRET_CORPUS.filter((c) => c.secrets.length).map((c) => c.kind));
    assert.ok(kinds.size >= 35, `${kinds.size} kinds of secret`);
    const extensions = new Set(SECRET_CORPUS.map((c) => c.path.replace(/^.*\//, '').replace(/^[^.]+(?=\.)/, '')));
    for (const type of ['.ts', '.py', '.env', '.yaml', '.json', '.npmrc', '.pem', 'Dockerfile', '.tf']) assert.ok(extensions.has(type), `no ${type} case`);
  });

  for (const group of ['finds', 'does not report'] as const) {
    describe(group, () => {
      for (const testCase of SECRET_CORPUS.filter((c) => (c.secrets.length > 0) === (group === 'finds'))) {
        const title = `${testCase.kind}: ${testCase.name} (${testCase.path})`;
        if (testCase.knownMiss) it.skip(`${title} — known miss: ${testCase.knownMiss}`);
        else it(title, () => check(testCase));
      }
    });
  }
});

/**
 * Generates the JSON Schemas of the documents the CLI prints for tools, from the TypeScript
 * types the code itself builds them with (one source): `diffwise review --format json` prints a
 * ReviewDocument (shared/review.ts), `diffwise metrics --json` a Metrics (shared/metrics.ts).
 * The schemas are published in docs/ (docs/cli.md links them) for whoever parses that output;
 * test/integration/docsSchemas.test.ts checks that they are fresh and that real output validates.
 *
 * Objects are closed (`additionalProperties: false`, ts-json-schema-generator's default): a field
 * the code adds without its type saying so fails the validation test instead of going unseen.
 *
 * Run: npx tsx scripts/docs/jsonSchemas.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

const root = path.resolve(__dirname, '..', '..');

export interface DocumentSchema {
  /** Where the schema is published, relative to the repository. */
  file: string;
  /** The source file and the exported type the document is. */
  source: string;
  type: string;
  /** The command whose output it describes (the schema's description says so). */
  command: string;
}

export const DOCUMENT_SCHEMAS: readonly DocumentSchema[] = [
  { file: 'docs/review-document.schema.json', source: 'shared/review.ts', type: 'ReviewDocument', command: 'diffwise review --format json' },
  { file: 'docs/metrics-document.schema.json', source: 'shared/metrics.ts', type: 'Metrics', command: 'diffwise metrics --json' },
];

/** The schema's text as the file holds it (two-space JSON, one trailing newline). */
export function schemaText(schema: DocumentSchema): string {
  const generated = createGenerator({
    path: path.join(root, schema.source),
    tsconfig: path.join(root, 'tsconfig.json'),
    type: schema.type,
    expose: 'export',
    topRef: true,
    additionalProperties: false,
    // The typecheck is npm run typecheck's job; here it would only make the run slower.
    skipTypeCheck: true,
  }).createSchema(schema.type);
  const { $schema, ...rest } = generated;
  const description = `The JSON document that \`${schema.command}\` prints (${schema.type} in ${schema.source}).`;
  return `${JSON.stringify({ $schema, $id: `https://github.com/diffwise/diffwise/blob/main/${schema.file}`, description, ...rest }, null, 2)}\n`;
}

if (require.main === module) {
  for (const schema of DOCUMENT_SCHEMAS) {
    fs.writeFileSync(path.join(root, schema.file), schemaText(schema));
    process.stdout.write(`wrote ${schema.file}\n`);
  }
}

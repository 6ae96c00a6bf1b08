// Lazy packages (issue 14): the heavy dependencies of dist/commands.js live in bundles of
// their own (dist/lib/<group>.js), loaded on the first use of one of their exports, so that
// a command that never parses, never lints a text for secrets, never calls an LLM, GitHub
// or an editor does not pay for the TypeScript compiler, secretlint, openai, octokit or
// the LSP stack. The sources keep their ordinary imports (the type checker sees the real
// packages); laziness is a property of the bundle:
//
// - each group is bundled on its own, from an entry whose exports are getters over its
//   members (`require('ts-morph')`...), so that packages that share state (secretlint's
//   core and its profiler, the LSP server and its protocol) share one copy;
// - in dist/commands.js an import of a member resolves to a small generated shim whose
//   exports are getters, one per name the member exports (listed here by requiring the
//   group's bundle), each loading the group on first access. esbuild's CommonJS output
//   reads a named import at each use (`import_ts_morph.ts`), so nothing is loaded when the
//   shim is merely imported: only when code that uses it runs;
// - a member's enums (`ts.SyntaxKind`, `ts.ScriptKind`) are data, copied at build time, so
//   that a table built from them at module level (server/index/languages.ts) loads nothing.
//
// Any other module-level use of one of these packages (`Octokit.plugin(...)` at module
// init) loads its group at start-up: test/integration/startup.test.ts catches that, and
// DIFFWISE_TRACE_LOADS=1 says where it happened.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The groups, by the packages the sources import. Everything a member imports is in the
 * group's bundle (a package two groups need is in both, unshared; none is at present).
 */
export const LAZY_GROUPS = [
  // The TypeScript compiler (ts-morph's copy, in @ts-morph/common): parsing, the index, the type checker.
  { name: 'typescript', packages: ['ts-morph', '@ts-morph/common'] },
  // The secret rule's base (ESM only); loaded when a text is linted for secrets.
  { name: 'secretlint', packages: ['@secretlint/core', '@secretlint/secretlint-rule-preset-recommend', '@secretlint/profiler'] },
  // The LLM client: only when an LLM is configured and called.
  { name: 'openai', packages: ['openai'] },
  // GitHub: only the pr commands.
  { name: 'octokit', packages: ['@octokit/rest', '@octokit/plugin-retry', '@octokit/plugin-throttling'] },
  // The validator of what crosses a process boundary (config files, the vote journal, LLM and
  // GitHub answers): nearly half of dist/commands.js, and an unchanged re-review validates nothing.
  // Its schemas are built on first use (server/lazySchema.ts), not at module level.
  { name: 'zod', packages: ['zod'] },
  // tree-sitter's WebAssembly runtime: only when a Python, Go or Java file is parsed (its .wasm files are in dist/wasm/).
  { name: 'tree-sitter', packages: ['@vscode/tree-sitter-wasm'] },
  // The structured logger and its rotating file (issue 18): only when logging is on (the daemon, --log-level, --log-file).
  { name: 'pino', packages: ['pino', 'pino-roll'] },
  // OpenTelemetry's SDK and OTLP/HTTP exporter: only when OTEL_EXPORTER_OTLP_ENDPOINT (or a traces one) is set.
  { name: 'opentelemetry', packages: ['@opentelemetry/api', '@opentelemetry/sdk-trace-base', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/resources', '@opentelemetry/semantic-conventions'] },
  // Error tracking (issue 18): only when SENTRY_DSN is set. Its own copy of the OpenTelemetry API
  // (it bundles what it imports) is never registered: sentry.ts skips Sentry's OpenTelemetry set-up.
  { name: 'sentry', packages: ['@sentry/node'] },
  // The team service (issue 19): its HTTP server, PostgreSQL driver, job queue, Prometheus client,
  // webhook verification and GitHub App authentication; only `diffwise server` and `diffwise worker`.
  { name: 'service', packages: ['fastify', '@fastify/rate-limit', 'pg', 'pg-boss', 'prom-client', '@octokit/webhooks', '@octokit/auth-app'] },
  // The daemon's protocol: only `serve`.
  { name: 'lsp', packages: ['vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-protocol'] },
];

/** Where the members are resolved from (its node_modules). */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const MEMBERS = new Map(LAZY_GROUPS.flatMap((group) => group.packages.map((name) => [name, group])));
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const MEMBER_FILTER = new RegExp(`^(${[...MEMBERS.keys()].map(escape).join('|')})$`);

/** What a group's bundle is built from: one getter per member, so that a member is initialised when first asked for. */
function groupEntry(group) {
  return group.packages
    .map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => require(${JSON.stringify(name)}) });\n`)
    .join('');
}

/** The esbuild options of each group's bundle, written to `<outdir>/lib/<group>.js`. */
export function lazyGroupBuilds(options, outdir) {
  return LAZY_GROUPS.map((group) => ({
    ...options,
    stdin: { contents: groupEntry(group), resolveDir: PROJECT_ROOT, sourcefile: `lazy-${group.name}.js`, loader: 'js' },
    outfile: path.join(outdir, 'lib', `${group.name}.js`),
  }));
}

/**
 * A TypeScript enum (`ts.SyntaxKind`): a plain object whose values are numbers with their
 * reverse mapping, or strings. Data, the same in every process: a shim can hand out a copy.
 */
function isEnum(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length > 0 && entries.every(([, member]) => typeof member === 'string' || (typeof member === 'number' && typeof value[member] === 'string'));
}

/**
 * What each member exports, read from the group bundles just built (what will be loaded,
 * exactly): its names; whether it is an ES module (else its default import is the module
 * itself); and its enums, top-level (`SyntaxKind`) or in a namespace it exports (`ts`), as
 * data, so that a module-level table built from `ts.ScriptKind` needs no compiler.
 * Requiring the bundles runs their initialisation in this process, once.
 */
export function exportedNames(outdir) {
  const require = createRequire(import.meta.url);
  const members = new Map();
  const enums = new Map(); // group name → its enums as JSON texts, each once (ts-morph's and @ts-morph/common's `ts` are one)
  for (const group of LAZY_GROUPS) {
    const file = path.resolve(outdir, 'lib', `${group.name}.js`);
    delete require.cache[file];
    const loaded = require(file);
    const table = { texts: [], index: new Map() };
    const indexOf = (value) => {
      if (!table.index.has(value)) table.index.set(value, table.texts.push(JSON.stringify(value)) - 1);
      return table.index.get(value);
    };
    for (const member of group.packages) {
      const exports = loaded[member];
      const own = Object.getOwnPropertyNames(exports).filter((name) => name !== '__esModule');
      // A function's own length/name/prototype are not exports.
      const all = typeof exports === 'function' ? own.filter((name) => !['length', 'name', 'prototype', 'arguments', 'caller'].includes(name)) : own;
      const info = { names: [], enums: {}, namespaces: {}, esModule: Boolean(exports.__esModule) };
      for (const name of all) {
        const value = exports[name];
        if (isEnum(value)) {
          info.enums[name] = indexOf(value);
          continue;
        }
        const inner = value !== null && typeof value === 'object' ? Object.getOwnPropertyNames(value).filter((key) => isEnum(value[key])) : [];
        if (inner.length > 0) info.namespaces[name] = Object.fromEntries(inner.map((key) => [key, indexOf(value[key])]));
        else info.names.push(name);
      }
      members.set(member, info);
    }
    enums.set(group.name, table.texts);
  }
  return { members, enums };
}

/**
 * The shim that stands for `member` in dist/commands.js: getters that load the group's
 * bundle (through the loader: with a V8 code cache where there is one) on first access.
 * Until then an enum is a copy of its data, and a namespace with enums (ts-morph's `ts`)
 * a proxy that hands out those copies and loads the package for anything else; once it is
 * loaded, every use gets the real one (esbuild's output reads `import_x.ts` at each use).
 */
function shimSource(member, { names, enums, namespaces, esModule }, loaderPath) {
  const group = MEMBERS.get(member);
  const lines = [
    `const { loadBundle } = require(${JSON.stringify(loaderPath)});`,
    'let real;',
    `const load = () => (real ??= loadBundle(require('node:path').join(__dirname, 'lib', ${JSON.stringify(`${group.name}.js`)}), ${JSON.stringify(member)})[${JSON.stringify(member)}]);`,
    // The getters live on the prototype of what the shim exports, which has no own property:
    // esbuild's __toESM gives each importer an object with that same prototype and copies the
    // own properties only, so that importing ts-morph's 538 names costs nothing per importer
    // (they were 7,500 getters made at start-up), and a use reads the getter directly.
    'const api = Object.create(null);',
    "Object.defineProperty(api, '__esModule', { value: true });",
  ];
  const plain = esModule ? names : names.filter((name) => name !== 'default');
  lines.push(`for (const name of ${JSON.stringify(plain)}) Object.defineProperty(api, name, { enumerable: true, get: () => load()[name] });`);
  if (!esModule) lines.push("Object.defineProperty(api, 'default', { enumerable: true, get: load });");
  if (Object.keys(enums).length > 0 || Object.keys(namespaces).length > 0) {
    lines.push(`const enumAt = require(${JSON.stringify(`enums:${group.name}`)});`);
  }
  if (Object.keys(enums).length > 0) {
    lines.push(`for (const [name, at] of Object.entries(${JSON.stringify(enums)})) Object.defineProperty(api, name, { enumerable: true, get: () => (real ? real[name] : enumAt(at)) });`);
  }
  for (const [name, inner] of Object.entries(namespaces)) {
    lines.push(
      '{',
      `  const inner = ${JSON.stringify(inner)};`,
      `  const target = () => load()[${JSON.stringify(name)}];`,
      '  const early = new Proxy({}, {',
      "    get: (_, key) => (typeof key === 'string' && Object.hasOwn(inner, key) ? enumAt(inner[key]) : Reflect.get(target(), key)),",
      '    has: (_, key) => Reflect.has(target(), key),',
      '    ownKeys: () => Reflect.ownKeys(target()),',
      '    getOwnPropertyDescriptor: (_, key) => { const found = Reflect.getOwnPropertyDescriptor(target(), key); return found && { ...found, configurable: true }; },',
      '  });',
      `  Object.defineProperty(api, ${JSON.stringify(name)}, { enumerable: true, get: () => (real ? real[${JSON.stringify(name)}] : early) });`,
      '}',
    );
  }
  lines.push('module.exports = Object.create(api);');
  return `${lines.join('\n')}\n`;
}

/** A group's enums, as JSON texts parsed when first asked for (a copy each, shared by its shims). */
function enumsSource(texts) {
  return `const texts = ${JSON.stringify(texts)};\nconst parsed = [];\nmodule.exports = (at) => (parsed[at] ??= JSON.parse(texts[at]));\n`;
}

/**
 * The plugin for dist/commands.js: an import of a lazy member becomes its shim. Only our
 * own sources may import one: a package in the main bundle that required a member would
 * get the shim's object where it may expect a function, so that fails the build instead.
 */
export function lazyModulesPlugin({ names, loaderPath }) {
  return {
    name: 'diffwise-lazy-modules',
    setup(build) {
      build.onResolve({ filter: MEMBER_FILTER }, (args) => {
        if (args.importer.includes(`${path.sep}node_modules${path.sep}`)) {
          return { errors: [{ text: `${args.importer} imports ${args.path}, a lazy package (build/lazyModules.mjs): add the importer's package to its group` }] };
        }
        return { path: args.path, namespace: 'diffwise-lazy' };
      });
      build.onResolve({ filter: /^enums:/, namespace: 'diffwise-lazy' }, (args) => ({ path: args.path, namespace: 'diffwise-lazy-enums' }));
      build.onLoad({ filter: /.*/, namespace: 'diffwise-lazy' }, (args) => ({
        contents: shimSource(args.path, names.members.get(args.path), loaderPath),
        resolveDir: path.dirname(loaderPath),
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: 'diffwise-lazy-enums' }, (args) => ({
        contents: enumsSource(names.enums.get(args.path.slice('enums:'.length))),
        loader: 'js',
      }));
    },
  };
}

/** The last line of a bundle that the loader keys its code cache by: the hash of everything above it. */
export const HASH_TRAILER = '//# diffwise-bundle=';

/**
 * Writes the build's output files itself (the options say `write: false`), each .js with
 * the hash of its contents as its last line: the loader's cache key, computed once here
 * rather than by hashing megabytes at every start.
 */
export function hashTrailerPlugin() {
  return {
    name: 'diffwise-hash-trailer',
    setup(build) {
      build.onEnd((result) => {
        for (const file of result.outputFiles ?? []) {
          fs.mkdirSync(path.dirname(file.path), { recursive: true });
          if (!file.path.endsWith('.js')) {
            fs.writeFileSync(file.path, file.contents);
            continue;
          }
          const hash = createHash('sha256').update(file.contents).digest('hex').slice(0, 32);
          fs.writeFileSync(file.path, Buffer.concat([file.contents, Buffer.from(`\n${HASH_TRAILER}${hash}\n`)]));
        }
      });
    },
  };
}

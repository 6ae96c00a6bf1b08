/**
 * A zod schema built on its first use rather than when its module is loaded. zod is a
 * lazy package (build/lazyModules.mjs: dist/lib/zod.js, nearly half of what the core
 * weighs), loaded the first time anything of it is touched: a schema built at module level
 * would load it at every start, for commands (an unchanged re-review, metrics) that
 * validate nothing.
 */
export function lazySchema<T>(build: () => T): () => T {
  let schema: T | undefined;
  return () => (schema ??= build());
}

import type { ContextSources } from '../../server/llm/context';

/** An LLM context with nothing from the index: no imports, symbols, uses, instructions or preferences. */
export const noSources: ContextSources = {
  importsIn: () => [],
  symbolsIn: () => [],
  usagesOf: async () => [],
  isExcluded: () => false,
  instructionsFor: () => '',
  preferencesFor: () => '',
};

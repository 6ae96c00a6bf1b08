/**
 * What an operator has to fix before the team service can run (a variable unset, a
 * database it cannot reach): one line, printed by the CLI's entry as is (main.ts
 * knows the name), never a stack.
 */
export class ServiceError extends Error {
  override name = 'ServiceError';
}

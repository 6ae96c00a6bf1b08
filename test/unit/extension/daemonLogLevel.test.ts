import { strict as assert } from 'node:assert';
import { daemonLogLevel } from '../../../extension/daemonEnv';

describe('the daemon\'s log level from the Diffwise channel', () => {
  it('maps vscode.LogLevel (Off=0 … Error=5) onto DIFFWISE_LOG_LEVEL', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map(daemonLogLevel), ['silent', 'trace', 'debug', 'info', 'warn', 'error']);
    assert.equal(daemonLogLevel(42), 'info', 'a level a later VS Code adds: the daemon\'s default');
  });
});

// pino-roll 3 ships no types: what logger.ts uses of it (see node_modules/pino-roll/pino-roll.js).
declare module 'pino-roll' {
  import type { SonicBoom } from 'sonic-boom';

  interface PinoRollOptions {
    file: string;
    /** `10m`, `512k`, `1g`; a bare number is megabytes. */
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    /** `count`: rolled-over files kept beside the one being written. */
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    symlink?: boolean;
    dateFormat?: string;
    mkdir?: boolean;
    sync?: boolean;
  }
  /** An async factory of the SonicBoom stream that rolls over. */
  function pinoRoll(options: PinoRollOptions): Promise<SonicBoom>;
  export default pinoRoll;
}

import { ts } from '../node_modules/ts-morph';
import { createCheckerProgram } from '../server/review/compatibility/checkerProgram';
const overlay = new Map([['/tmp/dts/lib/__diffwise_old__index.d.ts', 'export interface Options { url: string }\n'], ['/tmp/dts/lib/p.ts', "import * as x from './__diffwise_old__index.js';\nimport { Options } from './__diffwise_old__index.js'; const o: Options = 1 as any;"]]);
const p = createCheckerProgram({ root: '/tmp/dts', overlay, rootNames: ['/tmp/dts/lib/p.ts'], dom: false, nodeTypes: false });
console.log(p.getSourceFiles().map(f => f.fileName).filter(f => !f.includes('lib.')));
console.log(ts.getPreEmitDiagnostics(p).map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n')));

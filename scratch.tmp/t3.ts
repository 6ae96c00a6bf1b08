import { ts } from '../node_modules/ts-morph';
import { createCheckerProgram } from '../server/review/compatibility/checkerProgram';
const overlay = new Map([['/tmp/dts/lib/index.d.ts', 'export interface Options { url: string; r: number }\n'], ['/tmp/dts/lib/p.ts', "import { Options } from './index.js'; const o: Options = 1;"]]);
const p = createCheckerProgram({ root: '/tmp/dts', overlay, rootNames: ['/tmp/dts/lib/p.ts'], dom: false, nodeTypes: false });
console.log(p.getSourceFiles().map(f => f.fileName).filter(f => !f.includes('lib.')));
console.log(ts.getPreEmitDiagnostics(p).map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n')));

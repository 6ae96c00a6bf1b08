import { compareModules } from '../server/review/compatibility/moduleComparison';
const r = compareModules({ root: '/tmp/dts', modules: [{ path: 'lib/index.d.ts', oldPath: 'lib/index.d.ts', oldText: 'export interface Options { url: string }\nexport declare function connect(options: Options): void;\n', newText: 'export interface Options { url: string; retries: number }\nexport declare function connect(options: Options): void;\n' }], reviewed: new Map(), importersOf: () => ['src/app.ts'] });
console.log(JSON.stringify(r.map(x => ({...x, brokenUses: [...x.brokenUses]})), null, 1));

/**
 * Command-line entry of the ad-load reproduction: `npx tsx src/experiments/adload-report.ts [--quick]
 * [--seeds 0,1,2,3,4] [--out dir]` prints the Markdown report (see `adload/reproduce.ts`).
 */
import { reproduceAdload } from './adload/reproduce.js';

const args = process.argv.slice(2);
const valueOf = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const seeds = valueOf('--seeds')?.split(',').map(Number);
const out = valueOf('--out');
const result = await reproduceAdload({ quick: args.includes('--quick'), ...(seeds ? { seeds } : {}), ...(out ? { out } : {}), onLog: (line) => process.stderr.write(line + '\n') });
process.stdout.write(result.markdown);
process.exitCode = Object.values(result.claims.pass).every(Boolean) ? 0 : 1;

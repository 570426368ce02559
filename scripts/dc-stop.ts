/** Stops DCs kept by scripts/dc-start.ts and frees their slot: npx tsx scripts/dc-stop.ts <slot dir> */
import { resolve } from 'node:path';
import { stopKeptDcs } from '../test/dc/samba.js';

const dir = process.argv[2];
if (!dir || !/exbinder-dc-slot\d+$/.test(resolve(dir))) {
  console.error('usage: npx tsx scripts/dc-stop.ts /tmp/exbinder-dc-slot<k>');
  process.exit(2);
}
await stopKeptDcs(resolve(dir));
console.log(`stopped and removed ${resolve(dir)}`);

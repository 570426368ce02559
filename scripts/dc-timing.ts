/**
 * Measures how long the test DCs take to come up (both forests, concurrently),
 * phase by phase. Run: npx tsx scripts/dc-timing.ts
 * Timing belongs here, not in tests: the figure depends on the machine's load.
 */
import { startDcs, stopDc } from '../test/dc/samba.js';

process.env.EXBINDER_DC_TIMING = '1';
const t = performance.now();
const { contoso, fabrikam } = await startDcs();
console.log(`both DCs answering LDAPS after ${((performance.now() - t) / 1000).toFixed(1)} s (${contoso.host}, ${fabrikam.host})`);
await Promise.all([stopDc(contoso), stopDc(fabrikam)]);

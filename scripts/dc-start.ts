/**
 * Starts both test DCs and leaves them running, for fast edit-test loops:
 *
 *   npx tsx scripts/dc-start.ts            # prints the slot dir
 *   EXBINDER_DC_REUSE=/tmp/exbinder-dc-slot0 npx vitest run --project integration
 *   npx tsx scripts/dc-stop.ts /tmp/exbinder-dc-slot0
 *
 * Kept DCs carry whatever earlier runs left in them; CI always starts fresh ones.
 */
import { keepSlot, startDcs } from '../test/dc/samba.js';

const { contoso, fabrikam } = await startDcs();
const dir = keepSlot(contoso);
console.log(`test DCs running: ${contoso.host} (${contoso.ip}), ${fabrikam.host} (${fabrikam.ip})`);
console.log(`export EXBINDER_DC_REUSE=${dir}`);
console.log(`stop with: npx tsx scripts/dc-stop.ts ${dir}`);

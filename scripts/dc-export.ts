/**
 * Writes fixtures/exports/<forest>.ldif from the test forests (`npm run demo`
 * harvests contoso.ldif offline). The export itself is test/dc/export.ts.
 *
 *   npx tsx scripts/dc-export.ts                 # starts both test DCs, exports, stops them
 *   npx tsx scripts/dc-export.ts --use <slotDir> # reuse running DCs, e.g. /tmp/exbinder-dc-slot0
 *   npx tsx scripts/dc-export.ts --out <dir>     # write somewhere else (default fixtures/exports)
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeExport } from '../test/dc/export.js';
import { readContext, startDcs, stopDc, type DcContext } from '../test/dc/samba.js';

const REPO = resolve(import.meta.dirname, '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const outDir = resolve(arg('--out') ?? join(REPO, 'fixtures', 'exports'));
  const use = arg('--use');
  let dcs: { contoso: DcContext; fabrikam: DcContext };
  let started = false;
  if (use) {
    const dir = resolve(use);
    if (!existsSync(join(dir, 'contoso', 'context.json'))) throw new Error(`--use ${dir}: no contoso/context.json there; give a slot dir such as /tmp/exbinder-dc-slot0`);
    dcs = { contoso: readContext(join(dir, 'contoso')), fabrikam: readContext(join(dir, 'fabrikam')) };
  } else {
    // slot 0 = dc1.<domain>: DC names in the committed exports must not depend on other runs
    dcs = await startDcs({ slot: 0 });
    started = true;
  }
  try {
    for (const [name, dc] of Object.entries(dcs)) console.log(`wrote ${await writeExport(name, dc, outDir)}`);
  } finally {
    if (started) await Promise.all([stopDc(dcs.contoso), stopDc(dcs.fabrikam)]);
  }
}

main().catch((e: Error) => {
  console.error(`dc-export: ${e.message}`);
  process.exit(2);
});

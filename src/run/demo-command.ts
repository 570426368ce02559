/**
 * `exbinder demo`: the bundled Contoso export (made with ldapsearch from the
 * test DC) harvested and rendered into a folder, from a checkout or from an
 * installed package (the export and supplement ship in it).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExbinderError } from '../errors.js';
import { renderBinder } from '../render/index.js';
import { writeFileAtomic } from '../snapshot/atomic.js';
import { serialize } from '../snapshot/canonical.js';
import { harvestSnapshot } from './harvest-command.js';
import type { RunIo } from './snapshot-command.js';

/** The package root: dist/run/ → ../../ (and src/run/ when run from source). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function demoCommand(outDir: string, io: RunIo): Promise<string[]> {
  const ldif = join(PACKAGE_ROOT, 'fixtures', 'exports', 'contoso.ldif');
  const supplement = join(PACKAGE_ROOT, 'fixtures', 'supplement.example.yaml');
  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    throw new ExbinderError(`cannot create ${outDir} (${(e as NodeJS.ErrnoException).code}): give another --out folder`, 'demo-out', 2, { cause: e });
  }
  const snapshot = await harvestSnapshot({ ldif: [ldif] }, io, io.progress);
  const files = { snapshot: join(outDir, 'contoso.snapshot.json'), md: join(outDir, 'contoso-binder.md'), pdf: join(outDir, 'contoso-binder.pdf') };
  io.progress?.('rendering the binder (Markdown, PDF)');
  const binder = await renderBinder(snapshot, { pdf: true, supplementPath: supplement });
  await writeFileAtomic(files.snapshot, serialize(snapshot));
  await writeFileAtomic(files.md, binder.markdown);
  await writeFileAtomic(files.pdf, binder.pdf!);
  return [`demo: harvested the bundled ${snapshot.organization.name} export and rendered its binder`, `  ${files.snapshot}`, `  ${files.md}`, `  ${files.pdf}`];
}

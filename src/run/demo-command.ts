/**
 * `exbinder demo`: the bundled Contoso export (made with ldapsearch from the
 * test DC) harvested and rendered into a folder, from a checkout or from an
 * installed package (the export and supplement ship in it).
 */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExbinderError } from '../errors.js';
import { renderBinder } from '../render/index.js';
import { attributeSpelling } from '../harvest/registry.js';
import { writeFileAtomic, writeFilesAtomic } from '../snapshot/atomic.js';
import { appendixPath, scopeOf, type AppendixMode } from '../render/scope.js';
import { serialize } from '../snapshot/canonical.js';
import { harvestSnapshot } from './harvest-command.js';
import type { RunIo } from './snapshot-command.js';

/** The package root: dist/run/ → ../../ (and src/run/ when run from source). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** server: only these servers (--server); appendix: where the appendices go (--appendix). */
export async function demoCommand(outDir: string, io: RunIo, o: { server?: string[]; appendix?: AppendixMode } = {}): Promise<string[]> {
  const ldif = join(PACKAGE_ROOT, 'fixtures', 'exports', 'contoso.ldif');
  const supplement = join(PACKAGE_ROOT, 'fixtures', 'supplement.example.yaml');
  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    throw new ExbinderError(`cannot create ${outDir} (${(e as NodeJS.ErrnoException).code}): give another --out folder`, 'demo-out', 2, { cause: e });
  }
  const snapshot = await harvestSnapshot({ ldif: [ldif] }, io, io.progress);
  const files = { snapshot: join(outDir, 'contoso.snapshot.json'), md: join(outDir, 'contoso-binder.md'), pdf: join(outDir, 'contoso-binder.pdf') };
  const scope = scopeOf(snapshot, o.server, o.appendix ?? 'inline', o.appendix === 'separate' ? basename(appendixPath(files.pdf)) : null);
  io.progress?.('rendering the binder (Markdown, PDF)');
  const binder = await renderBinder(snapshot, { pdf: true, supplementPath: supplement, scope, attributeSpelling });
  await writeFileAtomic(files.snapshot, serialize(snapshot));
  const out = [{ file: files.md, data: binder.markdown }, { file: files.pdf, data: binder.pdf! }];
  if (binder.appendix) out.push({ file: appendixPath(files.md), data: binder.appendix.markdown }, { file: appendixPath(files.pdf), data: binder.appendix.pdf! });
  await writeFilesAtomic(out);
  return [`demo: harvested the bundled ${snapshot.organization.name} export and rendered its binder`, `  ${files.snapshot}`, ...out.map((f) => `  ${f.file}`)];
}

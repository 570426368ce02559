/**
 * The demo binder: the contoso export shipped in fixtures/exports (made from the
 * test DC), read through the LDIF source and the real harvest,
 * rendered to Markdown and PDF. Needs no DC, so it runs with the unit tests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderBinder } from '../../../src/render/index.js';
import { buildView } from '../../../src/render/view/build.js';
import { loadSupplement } from '../../../src/render/supplement.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { pagesText, squash, writeTemp } from './pdf-tools.js';
import { exampleFor, harvestExport } from './helpers.js';

const EXPORT = 'fixtures/exports/contoso.ldif';

const harvestContoso = (): Promise<Snapshot> => harvestExport(EXPORT);

describe('binder of the contoso export', () => {
  let snapshot: Snapshot;
  let markdown: string;
  let pages: string[];
  let example: string;

  beforeAll(async () => {
    snapshot = await harvestContoso();
    example = exampleFor(snapshot);
    const binder = await renderBinder(snapshot, { pdf: true, supplementPath: example });
    markdown = binder.markdown;
    pages = pagesText(writeTemp(binder.pdf!));
  }, 60_000);

  it('the shipped supplement example is valid for the export', () => {
    const sup = loadSupplement(example, snapshot);
    expect(Object.keys(sup.servers ?? {}).sort()).toEqual(snapshot.servers.map((s) => s.name).sort());
  });

  it('has a chapter and a runbook per server (16 steps, 14 for the Edge), with each server\'s setup command', () => {
    const view = buildView(snapshot, { supplement: null, drift: null });
    expect(view.servers.map((s) => s.name)).toEqual(['EDGE01', 'EX2003', 'EX2007', 'EX2010A', 'EX2010B', 'EX2016', 'EX2019', 'EXCMS01']);
    for (const s of view.servers) {
      const start = markdown.indexOf(`# Recovery runbook: ${s.name}\n`);
      const rb = markdown.slice(start, markdown.indexOf('\n# ', start + 1));
      expect([...rb.matchAll(/^- \[ \] \*\*(\d+)\. /gm)].length, s.name).toBe(s.runbook.plan.kind === 'edge' ? 14 : 16);
      const setup = s.runbook.plan.kind === 'edge' ? s.runbook.edge!.installCommand : s.runbook.plan.kind === 'cms-2007' ? s.runbook.cms!.command : s.runbook.recoverCommand;
      expect(setup, s.name).not.toBeNull();
      expect(rb).toContain(setup!);
      const pdfText = squash(pages.filter((p) => p.includes(`Recovery runbook: ${s.name}`)).join(''));
      for (const d of s.runbook.restoreDatabases) if (d.edbPath) expect(pdfText, d.edbPath).toContain(squash(d.edbPath));
    }
  });

  it('prints the supplement values and ticks the checklist items it answers', () => {
    const checklist = markdown.slice(markdown.indexOf('# Pre-disaster documentation checklist'));
    expect(checklist).toContain('- [x] **Backup software, media and keys**');
    expect(checklist).toContain('- [x] **Domain controller names and locations**');
    expect(markdown).toContain('| Model | PowerEdge R710 |');
  });
});

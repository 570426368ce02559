/**
 * Tagged PDF: the structure tree read back with poppler (`pdfinfo -struct`,
 * `-struct-text`) as a screen reader's tools would see it. Tagging changes
 * nothing on the page: the text a reader extracts is the same as untagged.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildView, renderMarkdown, renderPdf } from '../../../src/render/index.js';
import { sampleSnapshot } from './sample-snapshot.js';
import { fullSupplement, TEMPLATES } from './helpers.js';
import { pagesText, pdfinfo, writeTemp } from './pdf-tools.js';

async function render(tagged: boolean | undefined) {
  const snap = sampleSnapshot();
  const view = buildView(snap, { supplement: fullSupplement(snap), drift: null });
  const markdown = renderMarkdown(view, { templatesDir: TEMPLATES });
  return renderPdf(markdown, {
    paper: 'a4', title: view.title, header: view.cover.organization, creationDate: new Date(snap.metadata.harvestedAt),
    snapshotLabel: `Snapshot ${view.cover.snapshotId}`, ...(tagged === undefined ? {} : { tagged }),
  });
}

const struct = (file: string, text = false) => execFileSync('pdfinfo', [text ? '-struct-text' : '-struct', file], { encoding: 'utf8', maxBuffer: 1 << 26 });

describe('tagged PDF', () => {
  let tagged: Buffer;
  let file: string;
  beforeAll(async () => { tagged = await render(true); file = writeTemp(tagged); }, 60_000);

  it('says it is tagged and has a structure tree of headings, paragraphs, tables, lists and code', () => {
    expect(pdfinfo(file)['Tagged']).toBe('yes');
    const tree = struct(file);
    const lines = tree.split('\n');
    expect(lines[0]).toBe('Document');
    const count = (t: string) => lines.filter((l) => l.trim().split(' ')[0] === t).length;
    for (const t of ['H1', 'H2', 'P', 'Table', 'TR', 'TH', 'TD', 'L', 'LI', 'LBody', 'Lbl', 'Code']) expect(count(t), t).toBeGreaterThan(0);
    // every row of a table holds cells, the first row header cells
    expect(tree).toMatch(/Table \(block\)\n {4}TR\n {6}TH\n/);
    expect(tree).toMatch(/ {4}TR\n {6}TD\n/);
    // lists: item, label, body
    expect(tree).toMatch(/ {4}LI \(block\)\n {6}Lbl \(block\)\n {6}LBody \(block\)\n {8}P \(block\)/);
  });

  it('puts the text under its element, and keeps running headers and footers out (artifacts)', () => {
    const text = struct(file, true);
    expect(text).toMatch(/H1 \(block\)\n {4}"Exchange recovery binder: Contoso"\n {4}"Zürich Ärzte"/);
    expect(text).toMatch(/TH\n {8}"Item"\n {6}TH\n {8}"Value"/);
    expect(text).toMatch(/TD\n {8}"Exchange organization"\n {6}TD\n {8}"Contoso Zürich Ärzte"/);
    expect(text).not.toMatch(/Page \d+ of/);
    expect(text).not.toMatch(/"Snapshot [0-9a-f]{16}"/);
  }, 60_000); // poppler takes its time over -struct-text

  it('changes nothing a reader sees: the same text as the untagged PDF, and the same bytes twice', async () => {
    const plain = await render(false);
    expect(pdfinfo(writeTemp(plain))['Tagged']).toBe('no');
    expect(pagesText(file)).toEqual(pagesText(writeTemp(plain)));
    expect((await render(true)).equals(tagged)).toBe(true);
  }, 60_000);

  it('is off unless asked for (PdfOptions.tagged or EXBINDER_TAGGED_PDF=1): it costs time on large binders', async () => {
    const saved = process.env['EXBINDER_TAGGED_PDF'];
    try {
      delete process.env['EXBINDER_TAGGED_PDF'];
      expect(pdfinfo(writeTemp(await render(undefined)))['Tagged']).toBe('no');
      process.env['EXBINDER_TAGGED_PDF'] = '1';
      expect(pdfinfo(writeTemp(await render(undefined)))['Tagged']).toBe('yes');
    } finally {
      if (saved === undefined) delete process.env['EXBINDER_TAGGED_PDF']; else process.env['EXBINDER_TAGGED_PDF'] = saved;
    }
  }, 60_000);
});

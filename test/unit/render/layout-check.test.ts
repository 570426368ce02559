/**
 * The layout check (scripts/layout-check.ts) reads the real PDF through
 * poppler. It passes on the binders we print (the demo export with its
 * supplement, the fabrikam export, the sample organization) and fails, with
 * the right finding, on a PDF drawn badly on purpose.
 */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { checkLayout } from '../../../scripts/layout-check.js';
import { fontBuffers } from '../../../src/render/pdf/fonts.js';
import { renderBinder } from '../../../src/render/index.js';
import { scopeOf } from '../../../src/render/scope.js';
import { sampleSnapshot } from './sample-snapshot.js';
import { writeTemp } from './pdf-tools.js';
import { exampleFor, harvestExport } from './helpers.js';

describe('layout check on the binders', () => {
  it('passes on the demo binder (contoso export with the example supplement)', async () => {
    const snap = await harvestExport('fixtures/exports/contoso.ldif');
    const { pdf } = await renderBinder(snap, { paper: 'a4', pdf: true, supplementPath: exampleFor(snap) });
    expect(checkLayout(writeTemp(pdf as Buffer))).toEqual([]);
  }, 60_000);

  it('passes on the fabrikam binder, A4 and Letter', async () => {
    const snap = await harvestExport('fixtures/exports/fabrikam.ldif');
    for (const paper of ['a4', 'letter'] as const) {
      const { pdf } = await renderBinder(snap, { paper, pdf: true });
      expect(checkLayout(writeTemp(pdf as Buffer)), paper).toEqual([]);
    }
  }, 60_000);

  it('passes on a binder of one fabrikam server and its separate appendix file', async () => {
    // the cover fits on its page and the contents is a chapter of one page: no line of the cover on a page of its own
    const snap = await harvestExport('fixtures/exports/fabrikam.ldif');
    const scope = scopeOf(snap, ['FAB-MBX1'], 'separate', 'fab-mbx1-appendix.pdf');
    const binder = await renderBinder(snap, { paper: 'a4', pdf: true, scope });
    expect(checkLayout(writeTemp(binder.pdf as Buffer, 'fab-mbx1.pdf')), 'binder').toEqual([]);
    expect(checkLayout(writeTemp(binder.appendix?.pdf as Buffer, 'fab-mbx1-appendix.pdf')), 'appendix').toEqual([]);
  }, 60_000);

  it('passes on the sample organization', async () => {
    const { pdf } = await renderBinder(sampleSnapshot(), { paper: 'letter', pdf: true });
    expect(checkLayout(writeTemp(pdf as Buffer))).toEqual([]);
  }, 60_000);
});

/** A PDF with every fault the check looks for, drawn with pdfkit directly in the binder's fonts and sizes. */
async function brokenPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 58, bottom: 54, left: 50, right: 50 } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((r) => doc.on('end', () => r()));
  for (const [name, buf] of Object.entries(fontBuffers())) doc.registerFont(name, buf);
  const at = (font: string, size: number, text: string, x: number, y: number) => doc.font(font).fontSize(size).text(text, x, y, { lineBreak: false });
  // page 1: body text, then a heading at the foot with its content on page 2
  for (let i = 0; i < 40; i++) at('regular', 9.5, `Body line ${i} of the chapter.`, 50, 70 + i * 12.35);
  at('bold', 12.5, 'Mailbox databases', 50, 770);
  doc.addPage();
  // page 2: the heading's content, then a 6-row table starting at the foot
  for (let i = 0; i < 45; i++) at('regular', 9.5, `Database line ${i}.`, 50, 70 + i * 12.35);
  const row = (y: number, cells: [string, string], bold: boolean) => { at(bold ? 'bold' : 'regular', 8, cells[0], 53, y); at(bold ? 'bold' : 'mono', 8, cells[1], 200, y); };
  row(640, ['Item', 'Value'], true);
  for (let i = 0; i < 4; i++) row(656 + i * 16.4, [`Row ${i}`, `value ${i}`], false);
  doc.addPage();
  // page 3: the table goes on under its repeated header, then three lines: a nearly empty page
  row(70, ['Item', 'Value'], true);
  for (let i = 4; i < 6; i++) row(86 + (i - 4) * 16.4, [`Row ${i}`, `value ${i}`], false);
  doc.addPage();
  at('regular', 9.5, 'Mail flow internal.', 50, 70);
  at('regular', 9.5, 'Mail flow external.', 50, 82);
  doc.addPage();
  // page 5: content, and Japanese that DejaVu has no glyphs for
  at('regular', 9.5, 'Location: 東京 data centre', 50, 70);
  for (let i = 0; i < 10; i++) at('regular', 9.5, `More text ${i}.`, 50, 90 + i * 12.35);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

describe('layout check on a broken PDF', () => {
  it('finds the stranded heading, the split short table, the nearly empty page and the missing glyphs', async () => {
    const problems = checkLayout(writeTemp(await brokenPdf(), 'broken.pdf'));
    expect(problems.map((p) => [p.page, p.kind])).toEqual([
      [1, 'stranded-heading'],
      [2, 'split-short-table'],
      [3, 'nearly-empty-page'],
      [4, 'nearly-empty-page'],
      [5, 'missing-glyph'],
    ]);
    expect(problems[0]?.detail).toBe('Mailbox databases');
    expect(problems[1]?.detail).toMatch(/^6 rows/);
    expect(problems[4]?.detail).toMatch(/^2 glyph/);
  });
});

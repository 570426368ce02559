/**
 * The renderer reaches past pdfkit's public API (src/render/pdf/render.ts and
 * measure.ts): it shapes text with the document's current EmbeddedFont
 * (`doc._font`: id, ascender, encode(), ref()), adds fonts and form XObjects
 * to the page's resource dictionaries (`doc.page.fonts`, `doc.page.xobjects`)
 * and writes TJ operators itself. pdfkit is pinned to an exact version in
 * package.json for that reason; this test fails when an upgrade removes or
 * reshapes any of it, before a binder comes out wrong.
 */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { deflateSync, inflateSync } from 'node:zlib';
import { CONTENT_LEVEL, PageContent, type PdfkitPage } from '../../../src/render/pdf/content.js';
import { fontBuffers } from '../../../src/render/pdf/fonts.js';
import pkg from '../../../package.json' with { type: 'json' };

describe('pdfkit internals the renderer relies on', () => {
  it('pdfkit is pinned to an exact version', () => {
    expect(pkg.dependencies.pdfkit).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('the current font is an EmbeddedFont with id, ascender, encode() and ref()', () => {
    const doc = new PDFDocument({ autoFirstPage: true, fontLayoutCache: false } as PDFKit.PDFDocumentOptions);
    doc.registerFont('regular', fontBuffers().regular);
    doc.font('regular');
    const font = (doc as unknown as { _font: Record<string, unknown> })._font;
    expect(font?.constructor?.name).toBe('EmbeddedFont');
    expect(typeof font['id']).toBe('string');
    expect(font['id']).toMatch(/^F\d+$/);
    expect(typeof font['ascender']).toBe('number');
    expect(font['ascender'] as number).toBeGreaterThan(0);
    expect(typeof font['ref']).toBe('function');
    expect(typeof font['encode']).toBe('function');
    // encode(text) -> [hex glyph ids, positions] as measure.ts reads them
    const [encoded, positions] = (font['encode'] as (t: string) => [string[], Record<string, number>[]])('AV é');
    expect(encoded).toHaveLength(4);
    for (const g of encoded) expect(g).toMatch(/^[0-9a-f]{4}$/);
    expect(positions).toHaveLength(4);
    for (const p of positions) {
      for (const k of ['xAdvance', 'advanceWidth', 'xOffset', 'yOffset']) expect(typeof p[k], k).toBe('number');
    }
    doc.end();
  });

  it('the EmbeddedFont exposes what PairShaper fills as encode() does: fontkit font, subset, widths, unicode, scale', () => {
    const doc = new PDFDocument({ autoFirstPage: true, fontLayoutCache: false } as PDFKit.PDFDocumentOptions);
    doc.registerFont('regular', fontBuffers().regular);
    doc.font('regular');
    const font = (doc as unknown as { _font: Record<string, unknown> })._font;
    const fk = font['font'] as Record<string, unknown>;
    expect(typeof fk['layout']).toBe('function');
    expect(typeof fk['glyphForCodePoint']).toBe('function');
    expect(typeof (font['subset'] as Record<string, unknown>)['includeGlyph']).toBe('function');
    expect(Array.isArray(font['widths'])).toBe(true);
    expect(Array.isArray(font['unicode'])).toBe(true);
    expect(font['scale']).toBeCloseTo(1000 / 2048);
    // what encode() records for a glyph it adds to the subset
    (font['encode'] as (t: string) => unknown)('A');
    const glyph = (fk['glyphForCodePoint'] as (cp: number) => { id: number; advanceWidth: number; codePoints: number[] })(0x41);
    const gid = (font['subset'] as { includeGlyph(id: number): number }).includeGlyph(glyph.id);
    expect((font['widths'] as number[])[gid]).toBe(glyph.advanceWidth * (font['scale'] as number));
    expect((font['unicode'] as number[][])[gid]).toEqual([0x41]);
    doc.end();
  });

  it('a page has the font and XObject resource dictionaries the renderer writes into', () => {
    const doc = new PDFDocument({ autoFirstPage: true });
    const page = doc.page as unknown as { fonts: unknown; xobjects: unknown; margins: { bottom: unknown } };
    expect(page.fonts).toBeTypeOf('object');
    expect(page.xobjects).toBeTypeOf('object');
    expect(typeof page.margins.bottom).toBe('number');
    expect(typeof (doc as unknown as { addContent: unknown }).addContent).toBe('function');
    expect(typeof (doc as unknown as { ref: unknown }).ref).toBe('function');
    doc.end();
  });

  it('page content collected per page (content.ts) gives the operators pdfkit writes itself, in order, deflated once at CONTENT_LEVEL', async () => {
    const draw = async (batch: boolean) => {
      const doc = new PDFDocument({ autoFirstPage: true, info: { CreationDate: new Date(0) } });
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      const done = new Promise<void>((r) => doc.on('end', () => r()));
      if (batch) {
        const collect = () => new PageContent(doc.page as unknown as PdfkitPage, 'q 1 0 0 -1 0 792 cm');
        collect();
        doc.on('pageAdded', collect);
      }
      doc.registerFont('regular', fontBuffers().regular);
      for (let p = 0; p < 3; p++) {
        if (p > 0) doc.addPage();
        doc.font('regular').fontSize(9).text(`Page ${p}: Ωμέγα, Москва, C:\\Program Files`, 50, 60);
        doc.addContent(`q 0.5 w 50 ${70 + p} m 200 ${70 + p} l S Q`);
        doc.save().lineWidth(1).strokeColor('#aaaaaa').rect(50, 90, 100, 20).stroke().restore();
      }
      doc.end();
      await done;
      return Buffer.concat(chunks);
    };
    const plain = streams(await draw(false));
    const batch = streams(await draw(true));
    expect(batch.length).toBe(plain.length);
    expect(batch.length).toBeGreaterThan(3);
    let contents = 0;
    batch.forEach((b, i) => {
      const p = plain[i]!;
      // the same bytes once inflated: pdfkit did not deflate ours again
      expect(inflateSync(b.stored).equals(inflateSync(p.stored)), `stream ${i}`).toBe(true);
      if (b.stored.equals(p.stored)) return; // not a page's content (a font, its subset): pdfkit's own deflate
      expect(b.stored.equals(deflateSync(inflateSync(p.stored), { level: CONTENT_LEVEL })), `stream ${i}`).toBe(true);
      contents++;
    });
    expect(contents).toBe(3);
  });
});

/** The FlateDecode streams of a PDF, in file order, as stored. */
function streams(pdf: Buffer): { stored: Buffer }[] {
  const text = pdf.toString('latin1');
  const out: { stored: Buffer }[] = [];
  for (const m of text.matchAll(/\/Length (\d+)\s*\/Filter \/FlateDecode\s*>>\s*stream\n/g)) {
    const from = (m.index as number) + m[0].length;
    out.push({ stored: pdf.subarray(from, from + Number(m[1])) });
  }
  return out;
}

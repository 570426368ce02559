/**
 * Text widths for layout, shared by the dry and the real pass so every piece of
 * text is shaped once, not once per pass.
 *
 * Memory is the point here: pdfkit caches the full fontkit layout (a glyph run
 * and one position object per glyph) of every distinct word it measures, per
 * document, forever; for a 2,000-page binder that was the largest part of the
 * live heap. Widths are kept here instead, as plain numbers in a bounded cache,
 * and the measuring fonts do not cache layouts at all. Same fonts, same calls,
 * so the widths are exactly those pdfkit's own cache would give.
 */
import PDFDocument from 'pdfkit';
import type { FontKind } from './blocks.js';
import { fontBuffers } from './fonts.js';
import type { Measure } from './inline.js';

/**
 * Distinct strings remembered per font before the cache starts over. Most
 * lookups repeat within a page or a table ("Mailbox", "E:\Databases\", column
 * headers), so starting over costs little; 50,000 strings are a few MB.
 */
const CACHE_LIMIT = 50_000;

type Measurable = { widthOfString(text: string, size: number): number };

/** Width at size 1 of a string in one of the binder's fonts. */
export function createMeasure(): Measure {
  // A document used only to open the fonts; never ended, nothing is written.
  const doc = new PDFDocument({ autoFirstPage: false, fontLayoutCache: false } as PDFKit.PDFDocumentOptions);
  const fonts = {} as Record<FontKind, Measurable>;
  const caches = {} as Record<FontKind, Map<string, number>>;
  for (const [kind, buf] of Object.entries(fontBuffers()) as [FontKind, Buffer][]) {
    doc.registerFont(kind, buf);
    doc.font(kind);
    fonts[kind] = (doc as unknown as { _font: Measurable })._font;
    caches[kind] = new Map();
  }
  return (font, text) => {
    const cache = caches[font];
    let w = cache.get(text);
    if (w === undefined) {
      w = fonts[font].widthOfString(text, 1);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(text, w);
    }
    return w;
  };
}

/** The part of pdfkit's EmbeddedFont used here (js/pdfkit.js, class EmbeddedFont). */
export type PdfkitFont = { layoutRun(text: string): unknown; layoutCached(text: string): unknown };

/** Glyph layouts (words) a drawing font remembers: each is ~2.7 KB of fontkit objects. */
const LAYOUT_LIMIT = 2000;

/**
 * pdfkit lays every drawn word out twice (width, then glyphs) and caches the
 * layout per word, unbounded, for the whole document. The same cache, bounded:
 * when full it starts over.
 */
export function boundLayoutCache(font: PdfkitFont): void {
  const cache = new Map<string, unknown>();
  font.layoutCached = (text) => {
    let run = cache.get(text);
    if (run === undefined) {
      run = font.layoutRun(text);
      if (cache.size >= LAYOUT_LIMIT) cache.clear();
      cache.set(text, run);
    }
    return run;
  };
}

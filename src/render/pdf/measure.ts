/**
 * Glyph runs, shaped once: every distinct piece of text (a word, a path
 * segment, a space) is shaped by the drawing document's font once, and both
 * its width (for layout, in both passes) and its encoded glyphs (the body of
 * a PDF `TJ` operator, for drawing) are kept. pdfkit's own `text()` shapes
 * every word again each time it is drawn, keeps a per-word layout cache of
 * fontkit objects, and goes through its line wrapper; the binder draws lines
 * it has already laid out, so it writes the text operators itself from here.
 *
 * The encoding is pdfkit's own (EmbeddedFont.encode: glyphs included in the
 * font subset, Identity-H two-byte codes, kerning as TJ adjustments, exactly
 * as its `_fragment` writes them), so the PDF is what pdfkit would write.
 * Memory stays bounded: a cache per font that starts over when full.
 */
import type { FontKind } from './blocks.js';
import type { Measure } from './inline.js';

/**
 * Distinct strings remembered per font before the cache starts over. Most
 * lookups repeat within a page or a table ("Mailbox", "E:\Databases\", column
 * headers), so starting over costs little; 50,000 runs are a few MB.
 */
const CACHE_LIMIT = 50_000;

/** The part of pdfkit's EmbeddedFont used here (js/pdfkit.js, class EmbeddedFont). */
type Position = { xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number };
export type PdfkitFont = {
  id: string;
  ascender: number;
  encode(text: string): [string[], Position[]];
  ref(): unknown;
};

/** A shaped run: width at size 1, and the TJ array body, or null when glyphs are offset (drawn by pdfkit then). */
export type GlyphRun = { width: number; tj: string | null };

const num = (n: number) => Math.round(n * 1e6) / 1e6; // pdfkit's PDFObject.number

export class GlyphRuns {
  private readonly caches = new Map<FontKind, Map<string, GlyphRun>>();

  constructor(private readonly fonts: Record<FontKind, PdfkitFont>) {
    for (const kind of Object.keys(fonts) as FontKind[]) this.caches.set(kind, new Map());
  }

  font(kind: FontKind): PdfkitFont { return this.fonts[kind]; }

  get(kind: FontKind, text: string): GlyphRun {
    const cache = this.caches.get(kind) as Map<string, GlyphRun>;
    let run = cache.get(text);
    if (run === undefined) {
      run = shape(this.fonts[kind], text);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(ownCopy(text), run);
    }
    return run;
  }

  readonly measure: Measure = (font, text) => this.get(font, text).width;
}

/**
 * A string that holds only its own characters. Text cut from the Markdown is
 * a slice of the string markdown-it parsed, a copy of the whole section it
 * makes for each parse; kept as a cache key, one short word kept that section
 * (kilobytes) alive to the end of the document: ~10 MB of retained sections
 * for the 2,000-page binder, all of it promoted to the old generation. A
 * concatenation is flattened into a new string when it is sliced, and the
 * slice's parent is then just that word.
 */
export function ownCopy(text: string): string {
  return ` ${text}`.slice(1);
}

/**
 * As pdfkit's `_fragment` positions glyphs, for one run of text: the glyph
 * codes with the kerning between them as TJ adjustments. The codes are
 * written as literal strings of their two bytes (Identity-H), not as hex,
 * half the bytes for zlib to compress, and a zero adjustment at the end is
 * left out, so runs can be written one after another in one TJ array.
 */
function shape(font: PdfkitFont, text: string): GlyphRun {
  if (text === '') return { width: 0, tj: '' };
  const [encoded, positions] = font.encode(text);
  let width = 0;
  let tj = '';
  let chunk = '';
  let offset = false;
  for (let i = 0; i < positions.length; i++) {
    const pos = positions[i] as Position;
    width += pos.xAdvance;
    if (pos.xOffset || pos.yOffset) offset = true;
    chunk += glyphBytes(encoded[i] as string);
    const kern = pos.xAdvance - pos.advanceWidth;
    if (kern !== 0) { tj += `(${chunk}) ${num(-kern)} `; chunk = ''; }
  }
  tj = chunk ? `${tj}(${chunk})` : tj.trimEnd();
  return { width: width / 1000, tj: offset ? null : tj };
}

/** A glyph code (four hex digits, as pdfkit encodes it) as the two bytes of a PDF literal string, escaped. */
function glyphBytes(hex: string): string {
  const code = parseInt(hex, 16);
  return literalByte(code >> 8) + literalByte(code & 0xff);
}

function literalByte(b: number): string {
  if (b === 0x28 || b === 0x29 || b === 0x5c) return `\\${String.fromCharCode(b)}`;
  if (b === 0x0d) return '\\r';
  if (b === 0x0a) return '\\n';
  return String.fromCharCode(b);
}

/**
 * Plain text is shaped from per-character glyphs and per-pair kerning
 * (PairShaper in src/render/pdf/measure.ts) instead of by fontkit's layout
 * engine for every string. The PDF must not change: for the text of a binder
 * and every pair of printable ASCII characters, in each of the five faces, the
 * glyph codes, kerning and widths must be what fontkit gives through pdfkit's
 * encode(), and the fonts' subsets (glyph order, widths, code points for the
 * text layer) must come out the same.
 */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import type { FontKind } from '../../../src/render/pdf/blocks.js';
import { fontBuffers } from '../../../src/render/pdf/fonts.js';
import { GlyphRuns, type PdfkitFont } from '../../../src/render/pdf/measure.js';
import { buildView, renderMarkdown } from '../../../src/render/index.js';
import { sampleSnapshot } from './sample-snapshot.js';
import { TEMPLATES } from './helpers.js';

type Subset = { glyphs: number[] };
type Font = PdfkitFont & { subset: Subset; widths: number[]; unicode: number[][] };

function fonts(): Record<FontKind, Font> {
  const doc = new PDFDocument({ autoFirstPage: true, fontLayoutCache: false } as PDFKit.PDFDocumentOptions);
  const out = {} as Record<FontKind, Font>;
  for (const [kind, buf] of Object.entries(fontBuffers()) as [FontKind, Buffer][]) {
    doc.registerFont(kind, buf);
    doc.font(kind);
    out[kind] = (doc as unknown as { _font: Font })._font;
  }
  return out;
}

/** The binder's words and lines, every printable ASCII pair alone and inside a word, and characters fontkit treats specially. */
function corpus(): string[] {
  const md = renderMarkdown(buildView(sampleSnapshot(), { supplement: null, drift: null }), { templatesDir: TEMPLATES });
  const out = new Set<string>();
  for (const line of md.split('\n')) {
    if (line.length < 200) out.add(line);
    for (const w of line.split(/\s+/)) if (w) out.add(w);
  }
  for (let a = 0x20; a < 0x7f; a++) {
    for (let b = 0x20; b < 0x7f; b++) {
      const pair = String.fromCharCode(a, b);
      out.add(pair);
      out.add(`x${pair}y`);
    }
  }
  for (const s of ['AVAT To. Ty, Wa', 'ffi fl fj', '1. 2) (3)', 'Zürich Ärzte Łódź ĳ Œuvre', 'a\u00a0b', 'soft\u00adhyphen', 'tab\there', '\u00a0', 'ŉ ſ ǅ', 'Αθήνα Москва', 'x  y   z ']) out.add(s);
  return [...out];
}

describe('plain text shaped from glyphs and pairs (PairShaper)', () => {
  it('gives what fontkit gives, string by string, with the same font subsets', { timeout: 120_000 }, () => {
    const text = corpus();
    const slow = fonts();
    const fast = fonts();
    const viaFontkit = new GlyphRuns(slow, false);
    const viaPairs = new GlyphRuns(fast);
    const calls = { slow: 0, fast: 0 };
    for (const [name, set] of [['slow', slow], ['fast', fast]] as const) {
      for (const f of Object.values(set)) {
        const fk = f.font as unknown as { layout: (...a: unknown[]) => unknown };
        const layout = fk.layout.bind(fk);
        fk.layout = (...a: unknown[]) => { calls[name]++; return layout(...a); };
      }
    }
    const kinds = Object.keys(slow) as FontKind[];
    let differ = 0;
    for (const kind of kinds) {
      for (const s of text) {
        const a = viaFontkit.get(kind, s);
        const b = viaPairs.get(kind, s);
        if (a.width !== b.width || a.tj !== b.tj) {
          differ++;
          expect.soft({ kind, s, width: b.width, tj: b.tj }).toEqual({ kind, s, width: a.width, tj: a.tj });
        }
      }
      expect(fast[kind].subset.glyphs, kind).toEqual(slow[kind].subset.glyphs);
      expect(fast[kind].widths, kind).toEqual(slow[kind].widths);
      expect(fast[kind].unicode, kind).toEqual(slow[kind].unicode);
    }
    expect(differ).toBe(0);
    expect(text.length).toBeGreaterThan(15_000);
    expect(calls.slow).toBeGreaterThanOrEqual(kinds.length * text.length);
    // not vacuous: once its characters and pairs are known, plain text never reaches fontkit's layout
    // (but for DejaVu Sans' ligatures ff, fi and fl, which it leaves to fontkit)
    const before = calls.fast;
    const again = new GlyphRuns(fast);
    const plain = text.filter((s) => /^[\x20-\x7e]+$/.test(s) && !/f[fil]/.test(s));
    for (const kind of kinds) for (const s of plain) again.get(kind, s);
    expect(plain.length).toBeGreaterThan(15_000);
    expect(calls.fast - before).toBe(0);
  });
});

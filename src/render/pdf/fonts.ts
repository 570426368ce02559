/**
 * Embedded DejaVu fonts: the standard PDF fonts are WinAnsi only and would
 * garble names such as Αθήνα or Москва. Loaded once per process.
 *
 * DejaVu has Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic,
 * but no CJK, Thai or Indic scripts. A character it lacks is drawn from a
 * fallback face that has it, looked up at the paths where Debian's font
 * packages put them (fonts-noto-core: one Noto Sans face per script, small
 * TrueType files under the SIL Open Font Licence; fonts-droid-fallback: Droid
 * Sans Fallback, one 4 MB TrueType face for Chinese, Japanese and Korean
 * under the Apache licence; fonts-noto-cjk when present) and in the folders
 * named by EXBINDER_FONT_DIRS (or the caller's `dirs`), which are tried first.
 * A font may be absent on the machine that renders: then the character prints
 * as the font's empty box, and the render says so in one warning line
 * (render.ts), it does not fail.
 *
 * Deterministic: candidates are tried in a fixed order (folders as given,
 * files sorted by name), so the same text and the same installed fonts give
 * the same faces, font ids and bytes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import type { FontKind } from './blocks.js';
import { GlyphRuns, type GlyphRun, type PdfkitFont } from './measure.js';

const FILES: Record<FontKind, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};

let cache: Record<FontKind, Buffer> | null = null;

export function fontBuffers(): Record<FontKind, Buffer> {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  cache = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, readFileSync(join(dir, f))])) as Record<FontKind, Buffer>;
  return cache;
}

/** The fontkit that pdfkit itself uses (a font object from it can be handed to pdfkit as is). */
type FontkitFont = { postscriptName: string; hasGlyphForCodePoint(cp: number): boolean };
type Fontkit = { create(buf: Buffer, postscriptName?: string): FontkitFont & { fonts?: FontkitFont[] } };
let fontkit: Fontkit | null = null;
function openFontkit(): Fontkit {
  if (fontkit) return fontkit;
  const fromPdfkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'));
  fontkit = fromPdfkit('fontkit') as Fontkit;
  return fontkit;
}

/** Debian's font folders, in the order tried after the caller's. */
export const SYSTEM_FONT_DIRS = [
  '/usr/share/fonts/truetype/noto',
  '/usr/share/fonts/truetype/droid',
  '/usr/share/fonts/opentype/noto',
  '/usr/share/fonts/truetype/freefont',
];

/**
 * Unicode scripts with a Noto Sans face of their own in fonts-noto-core
 * (NotoSans<Script>-Regular.ttf / -Bold.ttf): a character of one of these
 * tries that face first, so a Thai word is set in Noto Sans Thai, not in
 * whichever broad face happens to have a few Thai glyphs.
 */
const SCRIPTS = [
  'Thai', 'Devanagari', 'Bengali', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Gujarati', 'Gurmukhi', 'Oriya',
  'Sinhala', 'Khmer', 'Lao', 'Myanmar', 'Ethiopic', 'Hebrew', 'Arabic', 'Armenian', 'Georgian', 'Thaana', 'Syriac',
  'Mongolian', 'Tifinagh', 'Cherokee', 'Canadian_Aboriginal', 'Javanese', 'Balinese', 'Sundanese', 'Tibetan', 'Yi',
].map((name) => ({ file: `NotoSans${name.replace(/_/g, '')}`, re: new RegExp(`\\p{Script=${name}}`, 'u') }));
/** Chinese, Japanese and Korean, with the marks they share (ー, 、, full-width forms) */
const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Bopomofo}\u3000-\u303f\uff00-\uffef]/u;
/**
 * CJK faces: the small TrueType Droid Sans Fallback first (Chinese and
 * Japanese, no Hangul), then the Noto Sans CJK collection (all of CJK, also
 * Korean; large, CFF outlines). For other text they are the last resort.
 */
const CJK_FACES = [
  ['DroidSansFallbackFull.ttf', null],
  ['DroidSansFallback.ttf', null],
  ['NotoSansCJK-Regular.ttc', 'NotoSansCJK-Bold.ttc'],
] as const;
/** Broad faces, tried after the per-script one: Noto Sans (more Latin, Greek and Cyrillic), symbols, FreeSans. */
const BROAD = [
  ['NotoSans-Regular.ttf', 'NotoSans-Bold.ttf'],
  ['NotoSansSymbols-Regular.ttf', 'NotoSansSymbols-Bold.ttf'],
  ['NotoSansSymbols2-Regular.ttf', null],
  ['NotoSansMath-Regular.ttf', null],
  ['FreeSans.ttf', 'FreeSansBold.ttf'],
] as const;

/** A fallback face: its files (regular, and bold when the package has one), opened when first needed. */
type Candidate = { name: string; regular: string; bold: string | null };
type Opened = { font: FontkitFont; buf: Buffer; psName: string | null };

const opened = new Map<string, Opened | null>();
/** A font file opened for its coverage (a collection: its first face); null when unreadable. Cached per process. */
function openFile(path: string): Opened | null {
  if (opened.has(path)) return opened.get(path) as Opened | null;
  let out: Opened | null = null;
  try {
    const buf = readFileSync(path);
    const f = openFontkit().create(buf);
    const font = f.fonts ? (f.fonts[0] as FontkitFont) : f;
    out = { font, buf, psName: f.fonts ? font.postscriptName : null };
  } catch {
    out = null; // not a font fontkit reads: skipped, like a missing one
  }
  opened.set(path, out);
  return out;
}

/** Where fallback faces are looked for: the caller's folders, EXBINDER_FONT_DIRS, then (unless `system` is false) Debian's. */
export type FontSearch = { dirs?: string[]; system?: boolean };

function userDirs(search: FontSearch): string[] {
  if (search.dirs) return search.dirs;
  const env = process.env['EXBINDER_FONT_DIRS'];
  return env ? env.split(delimiter).filter(Boolean) : [];
}

/**
 * The ordered candidates for one code point: fonts in the user's folders
 * (every .ttf/.otf/.ttc, by name), the Noto face of its script, the broad faces.
 */
class Candidates {
  private readonly user: Candidate[];
  private readonly system: string[];
  constructor(search: FontSearch) {
    this.user = [];
    for (const dir of userDirs(search)) {
      let names: string[] = [];
      try { names = readdirSync(dir).filter((n) => /\.(ttf|otf|ttc)$/i.test(n)).sort(); } catch { continue; }
      for (const n of names) {
        if (/Bold|Italic|Oblique/i.test(n) && !/Regular/i.test(n)) continue; // a bold or italic face serves as the bold of its regular
        const bold = n.replace(/Regular/, 'Bold');
        this.user.push({ name: n, regular: join(dir, n), bold: bold !== n && names.includes(bold) ? join(dir, bold) : null });
      }
    }
    this.system = search.system === false ? [] : SYSTEM_FONT_DIRS;
  }

  private inSystem(file: string, bold: string | null): Candidate | null {
    for (const dir of this.system) {
      const p = join(dir, file);
      if (existsSync(p)) return { name: file, regular: p, bold: bold && existsSync(join(dir, bold)) ? join(dir, bold) : null };
    }
    return null;
  }

  *for(ch: string): Generator<Candidate> {
    yield* this.user;
    if (!this.system.length) return;
    const script = SCRIPTS.find((s) => s.re.test(ch));
    if (script) {
      const c = this.inSystem(`${script.file}-Regular.ttf`, `${script.file}-Bold.ttf`);
      if (c) yield c;
    }
    const cjk = CJK.test(ch);
    for (const [regular, bold] of cjk ? [...CJK_FACES, ...BROAD] : [...BROAD, ...CJK_FACES]) {
      const c = this.inSystem(regular, bold);
      if (c) yield c;
    }
  }
}

/** A part of a run of text set in one face: a glyph run (`tj`), or glyphs with offsets when marks are positioned (Thai, Devanagari). */
export type GlyphPart = {
  font: PdfkitFont;
  width: number;
  tj: string | null;
  /** per glyph: hex code, and its offsets and the advance correction, in thousandths of the size; only when tj is null */
  glyphs?: { hex: string; dx: number; dy: number; adjust: number }[];
};
/** A run that needs more than the primary face: its parts in order; `missing` the characters no face has. */
export type MixedRun = GlyphRun & { parts?: GlyphPart[]; missing?: string };

const num = (n: number) => Math.round(n * 1e6) / 1e6; // pdfkit's PDFObject.number

/** As measure.ts shapes a run, keeping mark offsets instead of giving up on them. */
function shapePart(font: PdfkitFont, text: string): GlyphPart {
  const [encoded, positions] = font.encode(text);
  let width = 0;
  let offsets = false;
  for (const p of positions) { width += p.xAdvance; if (p.xOffset || p.yOffset) offsets = true; }
  if (offsets) {
    const glyphs = positions.map((p, i) => ({ hex: encoded[i] as string, dx: p.xOffset, dy: p.yOffset, adjust: p.xAdvance - p.advanceWidth }));
    return { font, width: width / 1000, tj: null, glyphs };
  }
  const commands: string[] = [];
  let last = 0;
  for (let i = 0; i < positions.length; i++) {
    const pos = positions[i] as { xAdvance: number; advanceWidth: number };
    if (pos.xAdvance - pos.advanceWidth !== 0) {
      commands.push(`<${encoded.slice(last, i + 1).join('')}> ${num(-(pos.xAdvance - pos.advanceWidth))}`);
      last = i + 1;
    }
  }
  if (last < encoded.length) commands.push(`<${encoded.slice(last).join('')}>`);
  return { font, width: width / 1000, tj: commands.join(' ') };
}

/**
 * The text operators of a part with positioned marks at `size`: each glyph
 * moved by its offset (TJ adjustment across, text rise up) and the pen put
 * back where its advance ends, as pdfkit's own `_fragment` places them.
 */
export function partOps(part: GlyphPart, size: number): string {
  if (part.tj !== null) return `[${part.tj}] TJ`;
  const ops: string[] = [];
  let arr: string[] = [];
  let rise = 0;
  const flush = () => { if (arr.length) ops.push(`[${arr.join(' ')}] TJ`); arr = []; };
  for (const g of part.glyphs ?? []) {
    const dy = num((g.dy / 1000) * size);
    if (dy !== rise) { flush(); ops.push(`${dy} Ts`); rise = dy; }
    if (g.dx) arr.push(String(num(-g.dx)));
    arr.push(`<${g.hex}>`);
    const back = g.adjust - g.dx;
    if (back) arr.push(String(num(-back)));
  }
  flush();
  if (rise) ops.push('0 Ts');
  return ops.join(' ');
}

/** Plain text: every character one the primary faces have (ASCII, Latin-1, Latin Extended-A). */
const SIMPLE = /^[\x00-\x7e\u00a0-\u017f]*$/;
const PRIMARY = -1;
const NONE = -2;
const MARK = /\p{M}/u;
/** A right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms). */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
/** neither a letter, a digit nor a mark: punctuation, path separators */
const NEUTRAL = /[^\p{L}\p{N}\p{M}]/u;

/**
 * Glyph runs with fallback faces: text the primary (DejaVu) face has goes
 * through GlyphRuns unchanged (and a plain-Latin word is recognised without
 * looking at its characters one by one); a run with other characters is cut
 * into parts by face, a combining mark staying in its base character's face.
 */
export class FallbackGlyphRuns extends GlyphRuns {
  private readonly candidates: Candidates;
  /** faces in the order first used, per FontKind weight: index → pdfkit font */
  private readonly faces: { cand: Candidate; regular: PdfkitFont | null; bold: PdfkitFont | null }[] = [];
  private readonly faceIndex = new Map<string, number>();
  /** per FontKind: code point → PRIMARY, NONE, or a face index */
  private readonly choice = new Map<FontKind, Map<number, number>>();
  /** per FontKind: text → its mixed run, or null when the primary face has all of it (Cyrillic, Greek) */
  private readonly mixed = new Map<FontKind, Map<string, MixedRun | null>>();
  private registered = 0;
  /** some text seen so far is right to left (lines need visualOrder only then) */
  rightToLeft = false;

  constructor(
    private readonly primary: Record<FontKind, PdfkitFont & { font?: FontkitFont }>,
    private readonly doc: PDFKit.PDFDocument,
    search: FontSearch = {},
  ) {
    super(primary);
    this.candidates = new Candidates(search);
    for (const k of Object.keys(primary) as FontKind[]) { this.choice.set(k, new Map()); this.mixed.set(k, new Map()); }
  }

  override get(kind: FontKind, text: string): MixedRun {
    if (SIMPLE.test(text)) return super.get(kind, text);
    const cache = this.mixed.get(kind) as Map<string, MixedRun | null>;
    const hit = cache.get(text);
    if (hit) return hit;
    if (hit === null) return super.get(kind, text);
    if (cache.size >= 20_000) cache.clear();
    const chars = [...text];
    const picks = chars.map((ch) => this.pick(kind, ch));
    for (let i = 1; i < chars.length; i++) if (MARK.test(chars[i] as string) && picks[i - 1] !== PRIMARY && picks[i - 1] !== NONE) picks[i] = picks[i - 1] as number;
    // a right-to-left word's leading and trailing punctuation ("גיבוי\" in a path, "البيانات.") is shaped
    // on its own, left to right, so it stays where the left-to-right text around it expects it
    let lead = 0;
    let trail = chars.length;
    if (RTL.test(text)) {
      this.rightToLeft = true;
      while (lead < chars.length && NEUTRAL.test(chars[lead] as string)) lead++;
      while (trail > lead && NEUTRAL.test(chars[trail - 1] as string)) trail--;
    }
    if (lead === 0 && trail === chars.length && picks.every((p) => p === PRIMARY)) { cache.set(text, null); return super.get(kind, text); }
    const parts: GlyphPart[] = [];
    let missing = '';
    let from = 0;
    for (let i = 1; i <= chars.length; i++) {
      if (i < chars.length && picks[i] === picks[from] && i !== lead && i !== trail) continue;
      const piece = chars.slice(from, i).join('');
      const p = picks[from] as number;
      if (p === NONE) missing += piece; // drawn in the primary face: its empty box, and a warning
      parts.push(shapePart(p >= 0 ? this.pdfFont(p, kind) : this.primary[kind], piece));
      from = i;
    }
    const run: MixedRun = { width: parts.reduce((a, q) => a + q.width, 0), tj: null, parts };
    if (missing) run.missing = missing;
    cache.set(text, run);
    return run;
  }

  /** Which face draws `ch` in `kind`: the primary, DejaVu Sans for mono (Hebrew), the first candidate that has it, or none. */
  private pick(kind: FontKind, ch: string): number {
    const cp = ch.codePointAt(0) as number;
    const memo = this.choice.get(kind) as Map<number, number>;
    const known = memo.get(cp);
    if (known !== undefined) return known;
    let c = NONE;
    const has = (f: PdfkitFont & { font?: FontkitFont }) => f.font?.hasGlyphForCodePoint(cp) ?? true;
    if (cp < 0x20 || has(this.primary[kind])) c = PRIMARY;
    else if (kind === 'mono' && has(this.primary.regular)) c = this.sansForMono();
    else {
      for (const cand of this.candidates.for(ch)) {
        if (openFile(cand.regular)?.font.hasGlyphForCodePoint(cp)) { c = this.face(cand); break; }
      }
    }
    memo.set(cp, c);
    return c;
  }

  /** DejaVu Sans as a face of its own, for a mono character Sans Mono lacks. */
  private sansForMono(): number {
    const key = '\0dejavu-sans';
    let i = this.faceIndex.get(key);
    if (i === undefined) {
      i = this.faces.length;
      this.faces.push({ cand: { name: key, regular: '', bold: null }, regular: this.primary.regular, bold: this.primary.bold });
      this.faceIndex.set(key, i);
    }
    return i;
  }

  private face(cand: Candidate): number {
    let i = this.faceIndex.get(cand.regular);
    if (i === undefined) {
      i = this.faces.length;
      this.faces.push({ cand, regular: null, bold: null });
      this.faceIndex.set(cand.regular, i);
    }
    return i;
  }

  /** The face's pdfkit font (its bold file for bold text when there is one), registered with the document when first drawn. */
  private pdfFont(index: number, kind: FontKind): PdfkitFont {
    const face = this.faces[index] as (typeof this.faces)[number];
    const bold = kind === 'bold' || kind === 'boldItalic';
    if (bold && face.bold) return face.bold;
    if (!bold && face.regular) return face.regular;
    const file = bold && face.cand.bold ? face.cand.bold : face.cand.regular;
    const f = openFile(file) as Opened;
    const font = this.open(f);
    if (bold && face.cand.bold) face.bold = font;
    else { face.regular = font; if (!face.cand.bold) face.bold = font; }
    return font;
  }

  /**
   * Registers a font file with the pdfkit document and returns its font,
   * leaving the document's current font as it was (the painter tracks it).
   * A collection (.ttc) is handed over as its first face, opened anew.
   */
  private open(f: Opened): PdfkitFont {
    const doc = this.doc as unknown as { _font: unknown; _fontSource: unknown; _fontFamily: unknown };
    const saved = { _font: doc._font, _fontSource: doc._fontSource, _fontFamily: doc._fontFamily };
    const name = `fallback-${++this.registered}`;
    const src = f.psName === null ? openFontkit().create(f.buf) : openFontkit().create(f.buf, f.psName);
    this.doc.registerFont(name, src as unknown as Buffer);
    this.doc.font(name);
    const font = doc._font as PdfkitFont;
    Object.assign(doc, saved);
    return font;
  }

  /** The files of the fallback faces used so far, in order (for the docs and tests). */
  usedFiles(): string[] {
    return this.faces.filter((f) => f.cand.regular).map((f) => f.cand.regular);
  }
}

/**
 * Does some face (DejaVu or a fallback the search finds) have `cp`? For the
 * layout check, which must not call a glyph missing when the binder would
 * have drawn it from a fallback.
 */
const found = new Map<number, boolean>();
export function fallbackHas(cp: number): boolean {
  let has = found.get(cp);
  if (has === undefined) {
    has = false;
    for (const cand of new Candidates({}).for(String.fromCodePoint(cp))) if (openFile(cand.regular)?.font.hasGlyphForCodePoint(cp)) { has = true; break; }
    found.set(cp, has);
  }
  return has;
}

const LTR_LETTER = /[A-Za-z\u00c0-\u024f\u0370-\u052f]/;

/**
 * Direction, kept simple: fontkit shapes a Hebrew or Arabic word right to
 * left (joined letters, glyphs reversed), and here the words of a
 * right-to-left run of one line are drawn in reverse order, so "مركز
 * البيانات" reads right to left. Not the full Unicode bidi algorithm: digits
 * and Latin inside such a run, and a paragraph that starts right to left,
 * stay left to right; the binder's text is left-to-right with right-to-left
 * names in it. Returns the pieces unchanged (the same array) when none is RTL.
 */
export function visualOrder<P extends { text: string; space: boolean }>(pieces: P[]): P[] {
  let any = false;
  for (const p of pieces) if (RTL.test(p.text)) { any = true; break; }
  if (!any) return pieces;
  const rtl = (p: P) => { const m = RTL.exec(p.text); const l = LTR_LETTER.exec(p.text); return m !== null && (l === null || m.index < l.index); };
  const out: P[] = [];
  let i = 0;
  while (i < pieces.length) {
    if (!rtl(pieces[i] as P)) { out.push(pieces[i] as P); i++; continue; }
    // the run: RTL pieces and the spaces between them (not a trailing space)
    let j = i + 1;
    let end = i + 1;
    while (j < pieces.length && ((pieces[j] as P).space || rtl(pieces[j] as P))) { j++; if (!(pieces[j - 1] as P).space) end = j; }
    for (let k = end - 1; k >= i; k--) out.push(pieces[k] as P);
    i = end;
  }
  return out;
}

/**
 * Layout check of a printed binder, read from the real PDF the way poppler
 * sees it (`pdftohtml -xml`: every text run with its position, size, weight
 * and font), not from our own layout data. Fails on:
 *
 * - a stranded heading: a heading with nothing but other headings (or a table
 *   header row) below it on its page, or only a line or two (a DN) whose table
 *   starts the next page; a lead-in line ending in ':' at the foot of a page;
 * - a short table split over two pages (up to KEEP.shortTableRows rows, found
 *   by its header row repeated at the top of the next page);
 * - a nearly empty page followed by content: a page holding only a few lines
 *   that does not start a chapter;
 * - a character that no embedded font has a glyph for (it prints as a box).
 *
 *   npx tsx scripts/layout-check.ts binder.pdf [...]     # exit 1 and one line per problem
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { fallbackHas, fontBuffers } from '../src/render/pdf/fonts.js';
import { KEEP } from '../src/render/pdf/paginate.js';

export type Problem = { page: number; kind: 'stranded-heading' | 'split-short-table' | 'nearly-empty-page' | 'missing-glyph'; detail: string };

type Run = { top: number; left: number; height: number; size: number; bold: boolean; mono: boolean; grey: boolean; text: string };
type Page = { number: number; height: number; runs: Run[] };
/** A line: the runs sharing a top. */
type TextLine = { top: number; size: number; bold: boolean; heading: boolean; text: string; runs: Run[] };

/** pdftohtml draws at 1.5x: sizes in its output are points × 1.5, rounded. */
const ZOOM = 1.5;
const TABLE = Math.round(8 * ZOOM);
/** the smallest heading (level 4, 10 pt); body text is 9.5 pt */
const HEADING = Math.round(10 * ZOOM);
const CHAPTER = Math.round(17 * ZOOM);
/** a page with at most this many lines of text (running header and footer aside) counts as nearly empty */
const NEARLY_EMPTY_LINES = 4;

const unescape = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#34;/g, '"').replace(/&amp;/g, '&');

export function readPages(file: string): Page[] {
  const xml = execFileSync('pdftohtml', ['-xml', '-stdout', '-i', '-q', '-nodrm', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const fonts = new Map<string, { size: number; family: string; color: string }>();
  const pages: Page[] = [];
  let page: Page | null = null;
  for (const m of xml.matchAll(/<page number="(\d+)"[^>]*height="(\d+)"|<fontspec id="(\d+)" size="(-?\d+)" family="([^"]*)" color="([^"]*)"\/>|<text top="(-?\d+)" left="(-?\d+)" width="(-?\d+)" height="(-?\d+)" font="(\d+)">(.*?)<\/text>/g)) {
    if (m[1]) { page = { number: Number(m[1]), height: Number(m[2]), runs: [] }; pages.push(page); continue; }
    if (m[3]) { fonts.set(m[3], { size: Number(m[4]), family: m[5] as string, color: m[6] as string }); continue; }
    const f = fonts.get(m[11] as string);
    if (!page || !f) continue;
    const raw = m[12] as string;
    page.runs.push({
      top: Number(m[7]), left: Number(m[8]), height: Number(m[10]), size: f.size, bold: /<b>/.test(raw) || /Bold/.test(f.family),
      mono: /Mono/.test(f.family), grey: f.color.toLowerCase() === '#555555', text: unescape(raw),
    });
  }
  return pages;
}

function lines(page: Page): TextLine[] {
  const byTop = new Map<number, Run[]>();
  for (const r of page.runs) {
    if (r.grey || !r.text.trim()) continue; // running header and footer
    const key = [...byTop.keys()].find((t) => Math.abs(t - r.top) <= 2) ?? r.top;
    byTop.set(key, [...(byTop.get(key) ?? []), r]);
  }
  return [...byTop.entries()].sort((a, b) => a[0] - b[0]).map(([top, runs]) => {
    const size = Math.max(...runs.map((r) => r.size));
    const bold = runs.every((r) => r.bold || !r.text.trim());
    return { top, size, bold, heading: bold && size >= HEADING, text: runs.sort((a, b) => a.left - b.left).map((r) => r.text).join(''), runs };
  });
}

/** Rows of a table part: table-size lines, a new row where the gap is larger than a line's. */
function tableRows(ls: TextLine[]): number {
  let rows = 0;
  let prev: number | null = null;
  for (const l of ls) {
    if (prev === null || l.top - prev > TABLE * 1.3 + 4) rows++;
    prev = l.top;
  }
  return rows;
}

/** The table at the foot of a page: its lines after the last non-table line; header = its leading bold lines. */
function footTable(ls: TextLine[]): { header: string; body: TextLine[] } | null {
  let k = ls.length;
  while (k > 0 && (ls[k - 1] as TextLine).size === TABLE) k--;
  const part = ls.slice(k);
  if (!part.length || !(part[0] as TextLine).bold) return null;
  let h = 0;
  while (h < part.length && (part[h] as TextLine).bold) h++;
  return { header: part.slice(0, h).map((l) => l.text).join(' '), body: part.slice(h) };
}

function headTable(ls: TextLine[]): { header: string; body: TextLine[] } | null {
  let k = 0;
  while (k < ls.length && (ls[k] as TextLine).size === TABLE) k++;
  const part = ls.slice(0, k);
  if (!part.length || !(part[0] as TextLine).bold) return null;
  let h = 0;
  while (h < part.length && (part[h] as TextLine).bold) h++;
  return { header: part.slice(0, h).map((l) => l.text).join(' '), body: part.slice(h) };
}

type GlyphFont = { hasGlyphForCodePoint(cp: number): boolean };
let glyphFonts: { sans: GlyphFont[]; mono: GlyphFont[] } | null = null;

/** The fonts the binder embeds (DejaVu), opened with pdfkit's own font loader. */
function embeddedFonts(): { sans: GlyphFont[]; mono: GlyphFont[] } {
  if (glyphFonts) return glyphFonts;
  const doc = new PDFDocument({ autoFirstPage: false });
  const open = (name: string, buf: Buffer): GlyphFont => {
    doc.registerFont(name, buf);
    doc.font(name);
    return (doc as unknown as { _font: { font: GlyphFont } })._font.font;
  };
  const bufs = fontBuffers();
  glyphFonts = {
    sans: (['regular', 'bold', 'italic', 'boldItalic'] as const).map((k) => open(k, bufs[k])),
    mono: [open('mono', bufs.mono)],
  };
  return glyphFonts;
}

/**
 * Text drawn with glyph 0 (.notdef, an empty box): a character the embedded
 * font lacks. Its ToUnicode entry is empty, so text extraction cannot see it;
 * the page content streams can. Embedded fonts are Identity-H, two bytes a
 * glyph, written in TJ arrays as hex or literal strings. Returns the content streams
 * (in file order) that draw one, as the number of glyphs per stream.
 */
export function notdefGlyphs(file: string): number[] {
  const pdf = readFileSync(file);
  const text = pdf.toString('latin1');
  const counts: number[] = [];
  for (const m of text.matchAll(/<<([^]*?)>>\s*stream\r?\n/g)) {
    const dict = m[1] as string;
    if (/\/Subtype|\/Type\s*\/XObject/.test(dict)) continue;
    const len = /\/Length (\d+)(?!\s+\d+\s+R)/.exec(dict);
    if (!len) continue;
    const start = (m.index as number) + m[0].length;
    let data = pdf.subarray(start, start + Number(len[1]));
    if (/\/FlateDecode/.test(dict)) {
      try { data = inflateSync(data); } catch { continue; }
    }
    const content = data.toString('latin1');
    if (!/\bTJ\b/.test(content)) continue;
    let n = 0;
    for (const codes of glyphStrings(content)) {
      for (let i = 0; i + 1 < codes.length; i += 2) if (codes.charCodeAt(i) === 0 && codes.charCodeAt(i + 1) === 0) n++;
    }
    counts.push(n);
  }
  return counts;
}

/** The strings of every TJ array in a content stream, as bytes (one character each): hex `<..>` and literal `(..)` strings. */
function glyphStrings(content: string): string[] {
  const out: string[] = [];
  for (const tj of content.matchAll(/\[((?:\((?:[^\\)]|\\[^])*\)|<[0-9a-fA-F\s]*>|[^\]()<])*)\]\s*TJ/g)) {
    for (const m of (tj[1] as string).matchAll(/<([0-9a-fA-F\s]*)>|\(((?:[^\\)]|\\[^])*)\)/g)) {
      if (m[1] !== undefined) out.push(Buffer.from(m[1].replace(/\s/g, ''), 'hex').toString('latin1'));
      else out.push(unescapeLiteral(m[2] as string));
    }
  }
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/** A PDF literal string's bytes: backslash escapes (octal, named, the character itself) undone. */
function unescapeLiteral(s: string): string {
  return s.replace(/\\([0-7]{1,3}|[^])/g, (_, e: string) => (/^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8) & 0xff) : ESCAPES[e] ?? (e === '\n' ? '' : e)));
}

export function checkLayout(file: string): Problem[] {
  const pages = readPages(file);
  const problems: Problem[] = [];
  const all = pages.map(lines);
  const fonts = embeddedFonts();
  pages.forEach((page, i) => {
    const ls = all[i] as TextLine[];
    const next = all[i + 1];
    // stranded heading: nothing but headings or a table's header row below the last heading
    const lastHeading = ls.map((l) => l.heading).lastIndexOf(true);
    if (lastHeading >= 0 && next?.length) {
      const below = ls.slice(lastHeading + 1);
      const content = below.filter((l) => !(l.size === TABLE && l.bold));
      // nothing below it, or only a short lead-in or a DN (monospaced lines, however many) whose table starts the next page
      const tableNext = next[0]?.size === TABLE && next[0].bold;
      const dn = content.length > 0 && content.every((l) => l.runs.every((r) => r.mono || !r.text.trim()));
      if (content.length === 0 || (tableNext && (content.length <= 2 || dn) && content.every((l) => l.size !== TABLE))) {
        problems.push({ page: page.number, kind: 'stranded-heading', detail: (ls[lastHeading] as TextLine).text.slice(0, 80) });
      }
    }
    // a lead-in ("13. Version-specific fixes:") as the last line of a page, what it introduces on the next
    const last = ls[ls.length - 1];
    if (last && next?.length && /:\s*$/.test(last.text) && !last.heading && last.size !== TABLE) {
      problems.push({ page: page.number, kind: 'stranded-heading', detail: `lead-in "${last.text.slice(0, 80)}"` });
    }
    // short table split: the table at the foot of this page continues (header repeated) at the head of the next
    const foot = footTable(ls);
    const head = next ? headTable(next) : null;
    if (foot && head && foot.header === head.header && foot.body.length && head.body.length) {
      const rows = tableRows(foot.body) + tableRows(head.body);
      if (rows <= KEEP.shortTableRows) {
        problems.push({ page: page.number, kind: 'split-short-table', detail: `${rows} rows, header "${foot.header.slice(0, 60)}"` });
      }
    }
    // nearly empty page followed by content (a chapter may be short; a page that starts one is fine)
    if (ls.length > 0 && ls.length <= NEARLY_EMPTY_LINES && next?.length && !ls.some((l) => l.heading && l.size >= CHAPTER)) {
      problems.push({ page: page.number, kind: 'nearly-empty-page', detail: `${ls.length} line(s): "${(ls[0] as TextLine).text.slice(0, 60)}"` });
    }
    // glyphs no embedded font has
    const missing = new Set<string>();
    for (const r of page.runs) {
      for (const ch of r.text) {
        const cp = ch.codePointAt(0) as number;
        if (cp <= 0x20 || cp === 0xa0) continue;
        // DejaVu, or a fallback face the render would have found (src/render/pdf/fonts.ts)
        if (!(r.mono ? fonts.mono : fonts.sans).some((f) => f.hasGlyphForCodePoint(cp)) && !fallbackHas(cp)) missing.add(ch);
      }
    }
    if (missing.size) problems.push({ page: page.number, kind: 'missing-glyph', detail: `no glyph for ${[...missing].map((c) => `${c} (U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')})`).join(', ')}` });
  });
  // pdfkit writes each page's content stream as the page is finished, so the n-th one is page n
  notdefGlyphs(file).forEach((n, k) => {
    if (n) problems.push({ page: k + 1, kind: 'missing-glyph', detail: `${n} glyph(s) drawn as .notdef (a character no embedded font has)` });
  });
  return problems.sort((a, b) => a.page - b.page);
}

if (resolve(process.argv[1] ?? '') === import.meta.filename) {
  let bad = 0;
  for (const file of process.argv.slice(2)) {
    const problems = checkLayout(file);
    for (const p of problems) console.log(`${file}: page ${p.page}: ${p.kind}: ${p.detail}`);
    if (!problems.length) console.log(`${file}: layout ok`);
    bad += problems.length;
  }
  process.exit(bad ? 1 : 0);
}

/**
 * Text outside DejaVu's coverage, from the supplement: Japanese, Thai and
 * Devanagari come from the fallback faces of Debian's font packages
 * (fonts-droid-fallback, fonts-noto-core; scripts/install-test-deps.sh),
 * Arabic and Hebrew from DejaVu itself, drawn right to left. Read back with
 * poppler: the faces embedded (pdffonts), the text extracted (pdftotext), no
 * glyph drawn as an empty box (the layout check). Without the fallback faces
 * the render still succeeds and says, in one line, which text and where.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayout } from '../../../scripts/layout-check.js';
import { renderMarkdown, renderPdf, buildView } from '../../../src/render/index.js';
import PDFDocument from 'pdfkit';
import { FallbackGlyphRuns, fontBuffers, type MixedRun } from '../../../src/render/pdf/fonts.js';
import { visualOrder } from '../../../src/render/pdf/fonts.js';
import type { PdfkitFont } from '../../../src/render/pdf/measure.js';
import { parseSupplement } from '../../../src/render/supplement.js';
import { sampleSnapshot } from './sample-snapshot.js';
import { TEMPLATES } from './helpers.js';
import { pagesText, squash, writeTemp } from './pdf-tools.js';

const JA = '東京データセンター';
const TH = 'กรุงเทพ สวัสดี';
const AR = 'مركز البيانات';
const HE = 'גיבוי';
const HI = 'मुंबई';

async function render(fonts: { dirs?: string[]; system?: boolean }) {
  const snap = sampleSnapshot();
  const server = snap.servers[0]!.name;
  const supplement = parseSupplement(JSON.stringify({
    antivirus: { fileLevel: `Tapes in ${JA}, ${HI}`, exchangeAware: AR },
    certificate: { exportLocation: `\\\\nas1\\${HE}\\mail.pfx` },
    servers: { [server]: { location: `Rack 3, ${TH}` } },
  }), 'scripts.json', snap);
  const view = buildView(snap, { supplement, drift: null });
  const markdown = renderMarkdown(view, { templatesDir: TEMPLATES });
  const warnings: string[] = [];
  const pdf = await renderPdf(markdown, {
    paper: 'a4', title: view.title, header: view.cover.organization, creationDate: new Date(snap.metadata.harvestedAt),
    snapshotLabel: `Snapshot ${view.cover.snapshotId}`, fonts, onWarning: (m) => warnings.push(m),
  });
  return { pdf, warnings, markdown };
}

const pdffonts = (file: string) => execFileSync('pdffonts', [file], { encoding: 'utf8' });

describe('scripts DejaVu lacks', () => {
  it('embeds the fallback faces, gives the text back, and draws no empty box', async () => {
    const { pdf, warnings, markdown } = await render({ system: true, dirs: [] });
    expect(markdown).toContain(JA);
    expect(warnings).toEqual([]);
    const file = writeTemp(pdf);
    const fonts = pdffonts(file);
    expect(fonts).toMatch(/\+DroidSansFallback\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/\+NotoSansThai-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/\+NotoSansDevanagari-Regular\s/);
    const text = squash(pagesText(file).join('\n'));
    for (const t of [JA, 'กรุงเทพ', 'สวัสดี', HI, HE]) expect(text, t).toContain(squash(t));
    // Arabic: each word joined and whole (its order on the line is the reader's business)
    for (const w of AR.split(' ')) expect(text).toContain(w);
    expect(checkLayout(file)).toEqual([]);
  }, 60_000);

  it('gives the same bytes for the same text and fonts', async () => {
    const a = await render({ dirs: [] });
    const b = await render({ dirs: [] });
    expect(a.pdf.equals(b.pdf)).toBe(true);
  }, 60_000);

  it('without any fallback face: renders, and one warning names the text and where it is', async () => {
    const { pdf, warnings } = await render({ system: false, dirs: [] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^no font has glyphs for "[^"]*(東京|กรุงเทพ|मुंबई)[^"]*" \(page \d+, under "[^"]+"\) and \d+ more place\(s\): it prints as empty boxes; install the Debian packages fonts-noto-core and fonts-droid-fallback/);
    const file = writeTemp(pdf);
    expect(pdffonts(file)).not.toMatch(/Droid|Noto/);
    // the layout check sees the boxes
    expect(checkLayout(file).some((p) => p.kind === 'missing-glyph')).toBe(true);
  }, 60_000);

  it('uses a face from a folder the caller names (EXBINDER_FONT_DIRS or PdfOptions.fonts.dirs) before the system ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exb-fonts-'));
    execFileSync('cp', ['/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf', join(dir, 'MyThai-Regular.ttf')]);
    writeFileSync(join(dir, 'not-a-font.ttf'), 'garbage'); // skipped, not fatal
    const { pdf, warnings } = await render({ system: false, dirs: [dir] });
    expect(warnings[0]).toMatch(/no font has glyphs for "[^"]*(東京|मुंबई)/); // Thai is covered now, the rest is not
    expect(warnings[0]).not.toMatch(/กรุงเทพ/);
    expect(pdffonts(writeTemp(pdf))).toMatch(/\+NotoSansThai-Regular\s/);
  }, 60_000);
});

describe('right-to-left words', () => {
  const p = (text: string) => ({ text, space: text === ' ' });
  it('draws the words of a right-to-left run in reverse order and leaves left-to-right text alone', () => {
    const line = ['Site:', ' ', 'מרכז', ' ', 'נתונים', ' ', 'ראשי', ' ', 'EX1'].map(p);
    expect(visualOrder(line).map((x) => x.text)).toEqual(['Site:', ' ', 'ראשי', ' ', 'נתונים', ' ', 'מרכז', ' ', 'EX1']);
    const ltr = ['a', ' ', 'b'].map(p);
    expect(visualOrder(ltr)).toBe(ltr);
  });

  it('shapes a right-to-left word apart from its trailing path separator, so the separator stays on its right', () => {
    const doc = new PDFDocument({ autoFirstPage: false });
    const fonts = {} as Record<string, PdfkitFont>;
    for (const [k, buf] of Object.entries(fontBuffers())) { doc.registerFont(k, buf); doc.font(k); fonts[k] = (doc as unknown as { _font: PdfkitFont })._font; }
    const runs = new FallbackGlyphRuns(fonts as never, doc, { system: false, dirs: [] });
    const run = runs.get('mono', `${HE}\\`) as MixedRun;
    expect(run.parts?.length).toBe(2);
    expect(run.parts?.[1]?.width).toBeCloseTo(runs.get('mono', '\\').width, 6);
    expect(run.missing).toBeUndefined(); // Hebrew is not in DejaVu Sans Mono: DejaVu Sans draws it
    expect(run.parts?.[0]?.font).toBe(fonts['regular']);
  });
});

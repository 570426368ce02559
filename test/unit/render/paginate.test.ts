/** The keep-together rules (paginate.ts KEEP) on plain numbers: items in, pages out. */
import { describe, expect, it } from 'vitest';
import { KEEP, paginate, type Item } from '../../../src/render/pdf/paginate.js';
import { Layout, type DrawItem } from '../../../src/render/pdf/layout.js';
import { parseBlocks } from '../../../src/render/pdf/blocks.js';
import { TYPE_AS_ONE_LINE } from '../../../src/render/reflow.js';

const frame = { top: 0, bottom: 100 };
const line = (h = 10, keep = false): Item => ({ h, keep });
const pagesOf = (items: Item[], y = 0) => paginate(items, { page: 0, y }, frame).places.map((p) => (p.skip ? null : p.page));

describe('pagination', () => {
  it('fills pages in order and breaks where a line no longer fits', () => {
    expect(pagesOf(Array.from({ length: 12 }, () => line()))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  });

  it('moves a keep chain (a heading and its first lines) to the next page as a whole', () => {
    const items = [line(), line(), line(), line(), line(), line(), line(), line(), line(10, true), line(10, true), line()];
    expect(pagesOf(items)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });

  it('drops a space at the top of a page and a space that does not fit', () => {
    const items: Item[] = [line(95), { h: 10, space: true }, line()];
    const { places } = paginate(items, { page: 0, y: 0 }, frame);
    expect(places.map((p) => p.skip ?? false)).toEqual([false, true, false]);
    expect(places[2]).toMatchObject({ page: 1, y: 0 });
  });

  it('repeats the table header above a row that continues the table on a new page', () => {
    const items: Item[] = [line(10), line(40), { h: 40, repeat: 8 }, { h: 40, repeat: 8 }];
    const { places } = paginate(items, { page: 0, y: 0 }, frame);
    expect(places[3]).toMatchObject({ page: 1, y: 8, repeatY: 0 });
  });

  it('honours page breaks, but not on an empty page', () => {
    expect(pagesOf([{ h: 0, pageBreak: true }, line(), { h: 0, pageBreak: true }, line()])).toEqual([null, 0, null, 1]);
  });

  it('pulls blocks over to a chapter\'s last page instead of leaving a few lines alone on it', () => {
    // body lines on an A4 text area: 59 fit, so 62 leave 3 alone on the second page
    const body = 9.5 * 1.3;
    const a4 = { top: 58, bottom: 788 };
    const items: Item[] = [...Array.from({ length: 62 }, () => line(body)), { h: 0, pageBreak: true }];
    const pages = paginate(items, { page: 0, y: a4.top }, a4).places.filter((p) => !p.skip).map((p) => p.page);
    expect(pages.filter((p) => p === 1)).toHaveLength(KEEP.tailMinLines);
    expect(pages.filter((p) => p === 0)).toHaveLength(62 - KEEP.tailMinLines);
  });

  it('leaves a chapter that fits on its page whole when a short chapter follows it', () => {
    // a cover that fits on its page (50 lines of 59), a one-page contents chapter (a heading and 5 lines),
    // then the next chapter: the contents page is a short chapter of its own, not the cover's tail;
    // pulling the cover's last lines towards it only put them on a page of their own before it
    const body = 9.5 * 1.3;
    const a4 = { top: 58, bottom: 788 };
    const brk: Item = { h: 0, pageBreak: true };
    const items: Item[] = [
      ...Array.from({ length: 50 }, () => line(body)), brk,
      { h: 7.5, space: true }, line(20.6, true), ...Array.from({ length: 5 }, () => line(14.35)), brk,
      ...Array.from({ length: 10 }, () => line(body)),
    ];
    const { places } = paginate(items, { page: 0, y: a4.top }, a4, true);
    const pages = places.map((p) => (p.skip ? null : p.page));
    const drawn = (from: number, to: number) => pages.slice(from, to).filter((p) => p !== null);
    expect(drawn(0, 50)).toEqual(Array.from({ length: 50 }, () => 0));
    expect(drawn(51, 58)).toEqual(Array.from({ length: 6 }, () => 1));
    expect(drawn(59, 69)).toEqual(Array.from({ length: 10 }, () => 2));
  });

  it('does not pull when the page left behind would be less than half full', () => {
    const items = [line(30), line(80, false), line(10), { h: 0, pageBreak: true } as Item];
    expect(pagesOf(items)).toEqual([0, 1, 1, null]);
  });
});

describe('lead-ins (layout.ts)', () => {
  const layout = () => new Layout({ measure: (_f, t) => [...t].length * 0.5, tocEntries: 0, cover: false });
  const drawn = (items: DrawItem[]) => items.filter((i) => !i.space);

  it('keeps a long paragraph that ends with a colon with the first item of the list after it', () => {
    const lead = 'Install Exchange with the same version, using the latest available Cumulative Update (media: ______):';
    const blocks = parseBlocks(`${lead} ${lead} ${lead}\n\n- first step\n- second step\n`);
    const items = drawn(layout().blocks(blocks, 0, 100).items);
    const leadLines = items.length - 2;
    expect(leadLines).toBeGreaterThan(2);
    expect(items[leadLines - 1]?.keep).toBe(true);
  });

  it('keeps a runbook step that ends with a colon with the paragraph under it', () => {
    // "13. Version-specific fixes:" over "None known for this version.": a page break between them strands the lead-in
    const items = layout().blocks(parseBlocks('- [ ] **13. Version-specific fixes:**\n\n  None known for this version.\n- [ ] **14. Restore**\n'), 0, 400).items;
    const lines = drawn(items);
    expect(lines.length).toBe(3);
    const lead = items.indexOf(lines[0] as DrawItem);
    expect(items.slice(lead, items.indexOf(lines[1] as DrawItem)).every((i) => i.keep)).toBe(true);
  });

  it('keeps a code block with the type-as-one-line note under it, and no other paragraph', () => {
    const long = `Setup.exe /Mode:RecoverServer /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /TargetDir:"D:\\Program Files\\Microsoft\\Exchange Server\\V15"`;
    const code = '```powershell\n' + long + '\n```\n\n';
    const kept = layout().blocks(parseBlocks(`${code}${TYPE_AS_ONE_LINE}\n`), 0, 400).items;
    const lines = drawn(kept);
    const note = kept.indexOf(lines[lines.length - 1] as DrawItem);
    // every item from the code block's last line to the note keeps with the next: no page break between them
    const lastCode = kept.indexOf(lines[lines.length - 2] as DrawItem);
    expect(kept.slice(lastCode, note).every((i) => i.keep)).toBe(true);
    const other = layout().blocks(parseBlocks(`${code}Some other paragraph.\n`), 0, 400).items;
    const otherLines = drawn(other);
    expect(otherLines[otherLines.length - 2]?.keep ?? false).toBe(false);
  });

  it('does not tie a short paragraph without a colon to the paragraph after it', () => {
    const items = drawn(layout().blocks(parseBlocks('A short note.\n\nAnother paragraph.\n'), 0, 100).items);
    expect(items[0]?.keep ?? false).toBe(false);
  });

  it('does not tie a long paragraph without a colon to the list after it', () => {
    const text = 'A paragraph that explains something at length and is not a lead-in to anything in particular at all.';
    const items = drawn(layout().blocks(parseBlocks(`${text} ${text} ${text}\n\n- first step\n- second step\n`), 0, 100).items);
    expect(items[items.length - 3]?.keep ?? false).toBe(false);
  });
});

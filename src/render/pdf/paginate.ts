/**
 * Page breaking, on numbers only: the layout (layout.ts) turns blocks into a
 * list of items (a line of text, a table row, a space) with heights and
 * keep-together flags; this decides which page and height each item goes to.
 * Nothing is drawn here, so the measuring pass and the drawing pass break the
 * pages identically by construction, and the rules can be tested as data.
 */

/** The keep-together rules, as data (the layout and the pagination read them; tests check them). */
export const KEEP = {
  /** a heading keeps at least this many lines of the paragraph that follows it */
  headingParagraphLines: 3,
  /** a heading (or lead-in) keeps a table's header row and this many body rows */
  tableRows: 2,
  /** tables of up to this many body rows are never split (when they fit on a page) */
  shortTableRows: 12,
  /** a paragraph's first and last lines not left alone at a page foot or head */
  orphanLines: 2,
  widowLines: 2,
  /** code lines kept with a heading or lead-in, and at a block's start and end */
  codeLines: 2,
  /**
   * A page that ends a chapter (a page break follows) holding less than this many
   * body lines pulls the blocks before it over, as long as the page they leave
   * stays at least `tailMinFill` full.
   */
  tailMinLines: 8,
  tailMinFill: 0.5,
} as const;

export type Item = {
  /** height in points */
  h: number;
  /** no page break between this item and the next */
  keep?: boolean;
  /** vertical space: dropped at the top of a page, and where it does not fit at the foot */
  space?: boolean;
  /** start a new page before this item unless the page is still empty (`<!-- pagebreak -->`) */
  pageBreak?: boolean;
  /** a header repeated when a page break falls before this item (table header row): its height */
  repeat?: number;
};

export type Frame = { top: number; bottom: number };
/** `continues`: the item before the first one is on an earlier page (a table row there continues its table) */
export type Cursor = { page: number; y: number; continues?: boolean };
/** Where an item goes; `repeatY` is set when the table header is drawn first, at that height. */
export type Place = { page: number; y: number; repeatY?: number; skip?: boolean };

/** Items k..end of a keep chain starting at i: i, and every item after one that keeps with its next. */
function chainEnd(items: Item[], i: number): number {
  let j = i;
  while (j < items.length - 1 && (items[j] as Item).keep && !(items[j + 1] as Item).pageBreak) j++;
  return j;
}

function greedy(items: Item[], start: Cursor, frame: Frame, forced: Set<number>): { places: Place[]; end: Cursor } {
  const places: Place[] = new Array(items.length);
  let { page, y } = start;
  const full = frame.bottom - frame.top;
  const atTop = () => y <= frame.top + 0.5;
  const newPage = () => { page++; y = frame.top; };
  let i = 0;
  while (i < items.length) {
    const it = items[i] as Item;
    if (it.pageBreak || forced.has(i)) {
      if (!atTop()) newPage();
      if (it.pageBreak) { places[i] = { page, y, skip: true }; i++; continue; }
    }
    if (it.space) {
      if (atTop() || y + it.h > frame.bottom) places[i] = { page, y, skip: true };
      else { places[i] = { page, y }; y += it.h; }
      i++;
      continue;
    }
    const j = chainEnd(items, i);
    let h = 0;
    for (let k = i; k <= j; k++) h += (items[k] as Item).h;
    if (y + h > frame.bottom + 0.01 && !atTop() && h + (it.repeat ?? 0) <= full) newPage();
    // place the chain (or, when it is longer than a page, item by item)
    for (let k = i; k <= j; k++) {
      const c = items[k] as Item;
      if (forced.has(k) && k > i && !atTop()) newPage();
      if (c.space) {
        if (atTop() || y + c.h > frame.bottom) places[k] = { page, y, skip: true };
        else { places[k] = { page, y }; y += c.h; }
        continue;
      }
      if (y + c.h > frame.bottom + 0.01 && !atTop()) newPage();
      if (c.repeat && atTop() && (k > 0 ? !(items[k - 1] as Item).pageBreak && placedBefore(places, k, page) : start.continues === true)) {
        places[k] = { page, y: y + c.repeat, repeatY: y };
        y += c.repeat + c.h;
      } else {
        places[k] = { page, y };
        y += c.h;
      }
    }
    i = j + 1;
  }
  return { places, end: { page, y } };
}

/** The previous non-skipped item is on an earlier page: this one continues a table there. */
function placedBefore(places: Place[], k: number, page: number): boolean {
  for (let p = k - 1; p >= 0; p--) {
    const pl = places[p] as Place;
    if (!pl.skip) return pl.page < page;
  }
  return false;
}

/**
 * Breaks one run of items (a section of the document) into pages, from the
 * cursor on. Greedy by keep chains; then each chapter ending (an item with
 * `pageBreak`, or the end when `closes` is set) is checked for a last page
 * holding only a few trailing lines, and blocks are pulled over to it.
 */
export function paginate(items: Item[], start: Cursor, frame: Frame, closes = false): { places: Place[]; end: Cursor } {
  const forced = new Set<number>();
  let result = greedy(items, start, frame, forced);
  const lineH = 9.5 * 1.3;
  const minTail = KEEP.tailMinLines * lineH;
  const full = frame.bottom - frame.top;
  for (let round = 0; round < 20; round++) {
    let changed = false;
    const ends: number[] = [];
    items.forEach((it, k) => { if (it.pageBreak && k > 0) ends.push(k); });
    if (closes) ends.push(items.length);
    for (const end of ends) {
      // the chapter: from the page break before it (or the run's start) to `end`
      let from = end - 1;
      while (from >= 0 && !(items[from] as Item).pageBreak) from--;
      // the last drawn item before the break
      let last = end - 1;
      while (last > from && (result.places[last] as Place).skip) last--;
      if (last <= from) continue;
      const lp = result.places[last] as Place;
      const tailPage = lp.page;
      if (tailPage === start.page) continue; // only pages this run overflowed onto
      // first item of the chapter on the tail page; the chapter's page break (placed on the page it
      // starts) is not one of them: a chapter that starts on the tail page has nothing to pull there
      let first = last;
      while (first - 1 > from && (result.places[first - 1] as Place).page === tailPage) first--;
      if (first === from + 1 || forced.has(first)) continue;
      const used = lp.y + (items[last] as Item).h - frame.top;
      if (used >= minTail) continue;
      // pull: the latest break point k on the page before that gives the tail enough lines,
      // leaves that page at least tailMinFill full, and fits on one page with the tail
      const bottomPrev = bottomOfPage(result.places, items, tailPage - 1);
      let best = -1;
      for (let k = first - 1; k > from + 1; k--) {
        const pk = result.places[k] as Place;
        if (pk.page !== tailPage - 1) break;
        if (pk.skip || (items[k - 1] as Item).keep) continue;
        if (pk.y - frame.top < KEEP.tailMinFill * full) break;
        const moved = bottomPrev - pk.y + used;
        if (moved > full) break;
        best = k;
        if (moved >= minTail) break;
      }
      if (best > 0) { forced.add(best); changed = true; }
    }
    if (!changed) break;
    result = greedy(items, start, frame, forced);
  }
  return result;
}

/** The lowest point drawn on a page. */
function bottomOfPage(places: Place[], items: Item[], page: number): number {
  let b = 0;
  places.forEach((p, k) => { if (p.page === page && !p.skip) b = Math.max(b, p.y + (items[k] as Item).h); });
  return b;
}

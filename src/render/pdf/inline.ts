/**
 * Line layout for runs of mixed fonts. pdfkit's own wrapper breaks only at
 * spaces and hyphens; a recovery binder is full of long Windows paths and URLs
 * that must wrap without losing a character, so lines are laid out here:
 * words split after `\` `/` `,` in code, and anything still too wide is cut
 * between characters. Widths are measured once per (font, string) and cached.
 */
import type { FontKind, Run } from './blocks.js';

export type Piece = {
  text: string; font: FontKind; width: number; space: boolean; newline?: boolean; href?: string;
  /** no break allowed before this piece (it touches the previous run: "`path`," must not leave the comma alone) */
  glued?: boolean;
};
export type Line = { pieces: Piece[]; width: number };
export type Measure = (font: FontKind, text: string) => number; // width at size 1

/** Split one run into break units: spaces, and words (code also breaks after \ / , ;). */
function units(run: Run): string[] {
  const parts = run.text.split(/(\s+)/).filter((p) => p !== '');
  if (run.font !== 'mono') return parts.flatMap((p) => (/\s/.test(p) ? [p] : p.split(/(?<=[/])(?=.)/)));
  return parts.flatMap((p) => (/\s/.test(p) ? [p] : p.split(/(?<=[\\/,;])(?=.)/)));
}

export function toPieces(runs: Run[], size: number, measure: Measure): Piece[] {
  const out: Piece[] = [];
  for (const run of runs) {
    if (run.text === '\n') { out.push({ text: '', font: run.font, width: 0, space: false, newline: true }); continue; }
    units(run).forEach((u, i) => {
      const space = /^\s+$/.test(u);
      const text = space ? ' ' : u;
      const prev = out[out.length - 1];
      const glued = i === 0 && !space && !!prev && !prev.space && !prev.newline;
      out.push({ text, font: run.font, width: measure(run.font, text) * size, space, ...(run.href ? { href: run.href } : {}), ...(glued ? { glued } : {}) });
    });
  }
  return out;
}

/** Cut a piece that is wider than a whole line into chunks that fit (binary search per chunk). */
function cut(p: Piece, max: number, size: number, measure: Measure): Piece[] {
  const chars = [...p.text];
  const out: Piece[] = [];
  let start = 0;
  while (start < chars.length) {
    let lo = start + 1;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (measure(p.font, chars.slice(start, mid).join('')) * size <= max) lo = mid;
      else hi = mid - 1;
    }
    const text = chars.slice(start, lo).join('');
    out.push({ ...p, text, width: measure(p.font, text) * size });
    start = lo;
  }
  return out;
}

export function wrap(pieces: Piece[], max: number, size: number, measure: Measure): Line[] {
  const lines: Line[] = [];
  let cur: Piece[] = [];
  let width = 0;
  const flush = () => {
    while (cur.length && (cur[cur.length - 1] as Piece).space) width -= (cur.pop() as Piece).width;
    lines.push({ pieces: cur, width });
    cur = [];
    width = 0;
  };
  for (const p of pieces) {
    if (p.newline) { flush(); continue; }
    if (p.space && cur.length === 0) continue;
    if (width + p.width <= max + 0.01) { cur.push(p); width += p.width; continue; }
    if (p.space) { flush(); continue; }
    // carry the glued tail of the line along, unless it is the whole line
    const carry: Piece[] = [];
    if (p.glued) {
      let k = cur.length;
      while (k > 0 && (cur[k] ?? p).glued && !(cur[k - 1] as Piece).space) k--;
      const tail = cur.slice(k).reduce((a, c) => a + c.width, 0);
      if (k > 0 && tail + p.width <= max) { carry.push(...cur.splice(k)); width -= tail; }
    }
    if (cur.length) flush();
    for (const c of carry) { cur.push(c); width += c.width; }
    if (p.width > max) {
      const chunks = cut(p, max, size, measure);
      for (const c of chunks.slice(0, -1)) { cur.push(c); width += c.width; flush(); }
      const last = chunks[chunks.length - 1] as Piece;
      cur.push(last); width += last.width;
    } else { cur.push(p); width += p.width; }
  }
  if (cur.length || lines.length === 0) flush();
  return lines;
}

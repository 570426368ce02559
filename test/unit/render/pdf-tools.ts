/** Reading a rendered PDF back through poppler, as a reader's tools would. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function writeTemp(pdf: Buffer, name = 'binder.pdf'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'exb-pdf-')), name);
  writeFileSync(file, pdf);
  return file;
}

export function pdfinfo(file: string): Record<string, string> {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Object.fromEntries(out.split('\n').filter((l) => l.includes(':')).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
  }));
}

/** Text per page in content-stream order (-raw keeps a wrapped table cell's lines together). */
export function pagesText(file: string): string[] {
  const out = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.split('\f').slice(0, -1);
}

export function layoutText(file: string, page: number): string {
  return execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
}

/** Whitespace-free form: a path wrapped over two lines still matches. */
export const squash = (s: string) => s.replace(/\s+/g, '');

/** Outline (bookmarks) as [title, page, depth] via pdftohtml -xml. */
export function outline(file: string): { title: string; page: number; depth: number }[] {
  const xml = execFileSync('pdftohtml', ['-xml', '-stdout', '-i', '-q', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const start = xml.indexOf('<outline>');
  const items: { title: string; page: number; depth: number }[] = [];
  let depth = 0;
  for (const m of xml.slice(start).matchAll(/<outline>|<\/outline>|<item page="(\d+)">([^<]*)<\/item>/g)) {
    if (m[0] === '<outline>') depth++;
    else if (m[0] === '</outline>') depth--;
    else items.push({ title: (m[2] as string).replace(/&amp;/g, '&'), page: Number(m[1]), depth });
  }
  return items;
}

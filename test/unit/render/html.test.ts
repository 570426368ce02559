/**
 * The HTML binder, opened in a real headless Chromium (Debian's chromium):
 * one self-contained page (nothing fetched), its text checked against the
 * PDF's text for the same binder, and a screenshot taken.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harvest } from '../../../src/harvest/index.js';
import { renderBinder, renderHtml } from '../../../src/render/index.js';
import { openLdif } from '../../../src/source/index.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { pagesText, squash, writeTemp } from './pdf-tools.js';

const CHROMIUM = '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'exb-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Chromium headless with the team's flags and a fresh profile. */
function chromium(args: string[]): string {
  const profile = mkdtempSync(join(dir, 'profile-'));
  return execFileSync(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, ...args,
  ], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000 });
}

/** Text of the DOM Chromium built (scripts would have run; there are none), tags dropped, entities decoded. */
function domText(html: string): string {
  return html.replace(/<style[^]*?<\/style>/g, ' ').replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&');
}

async function harvestExport(file: string): Promise<Snapshot> {
  const d = await openLdif([file]);
  try {
    return await harvest(d, { toolVersion: '0.1.0-test', now: () => new Date('2026-11-24T06:00:00Z') });
  } finally {
    await d.close();
  }
}

describe('HTML binder in headless Chromium', () => {
  let html: string;
  let pdfPages: string[];
  let file: string;
  beforeAll(async () => {
    const snap = await harvestExport('fixtures/exports/contoso.ldif');
    const binder = await renderBinder(snap, { pdf: true, html: true });
    html = binder.html as string;
    file = join(dir, 'binder.html');
    writeFileSync(file, html);
    pdfPages = pagesText(writeTemp(binder.pdf as Buffer));
  }, 120_000);

  it('is one self-contained page: inline style, no script, nothing fetched', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=/i);
    // every link stays inside the page or is one a value in the binder names
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1], m[1]).toMatch(/^#|^https?:\/\/[^"]*\.(test|example|com|local)\b/);
  });

  it('carries every value the PDF prints', () => {
    const dom = chromium(['--dump-dom', `file://${file}`]);
    expect(dom).toContain('Exchange recovery binder: Contoso');
    const text = squash(domText(dom));
    // the PDF's words, without its running header and footer (last two lines of a page) and the contents' page numbers
    const words = new Set<string>();
    for (const page of pdfPages) {
      const lines = page.trimEnd().split('\n').slice(0, -2);
      for (const line of lines) {
        if (/^[^\d].* \d+$/.test(line) && page.includes('Contents')) continue;
        // (", page N" after a link is print-only: the page links instead)
        for (const w of line.replace(/, page \d+/g, ',').split(/\s+/)) if (w && w !== '•') words.add(w); // the PDF draws list bullets as text
      }
    }
    expect(words.size).toBeGreaterThan(500);
    const missing = [...words].filter((w) => !text.includes(w));
    expect(missing).toEqual([]);
  }, 120_000);

  it('renders: a screenshot of the first screen', () => {
    const shot = join(dir, 'binder.png');
    chromium(['--window-size=1100,1500', `--screenshot=${shot}`, `file://${file}`]);
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(shot).size).toBeGreaterThan(20_000);
  }, 120_000);

  it('shows markup in values as text and turns directives into page breaks and a contents list', () => {
    const page = renderHtml('<!-- toc -->\n\n# A <b>x</b>\n\n<div onclick="x()">raw</div>\n\n<!-- pagebreak -->\n\n# B\n\n- [x] done\n- [ ] open\n', { title: 'T' });
    expect(page).toContain('<nav class="toc"><h2>Contents</h2><ol>');
    expect(page).toContain('<a href="#a-x">A x</a>');
    expect(page).toContain('<h1 id="a-x">A &lt;b&gt;x&lt;/b&gt;</h1>');
    expect(page).toContain('<pre class="raw">&lt;div onclick=&quot;x()&quot;&gt;raw&lt;/div&gt;');
    expect(page).toContain('<div class="pagebreak"></div>');
    expect(page).toMatch(/<li class="task"><span class="box done"[^>]*><\/span>done<\/li>/);
  });
});

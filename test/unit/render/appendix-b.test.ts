/**
 * Appendix B (raw attributes) as printed: the Markdown within 100 characters a
 * line, every DN broken only between RDNs (Markdown, the PDF as poppler reads
 * it, and the HTML as headless Chromium prints it), multi-valued attributes
 * one value per line, and every value recoverable exactly from its lines.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBinder } from '../../../src/render/index.js';
import { dnLines, dnParts, valueLines } from '../../../src/render/reflow.js';
import { attributeSpelling } from '../../../src/harvest/registry.js';
import { collectionObjects } from '../../../src/snapshot/collections.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { fixtureBinder, harvestExport } from './helpers.js';
import { pagesText, writeTemp } from './pdf-tools.js';

const dir = mkdtempSync(join(tmpdir(), 'exb-appb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RDN_START = /^[A-Za-z][A-Za-z0-9-]*=/;

/** Appendix B of a binder's Markdown, as written (not unwrapped). */
function appendixB(markdown: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf('# Appendix B: Raw attribute values');
  expect(start).toBeGreaterThan(0);
  return lines.slice(start);
}

/** Every object's DN and raw values, as the snapshot holds them. */
function rawObjects(snap: Snapshot): { dn: string; raw: Record<string, string[]> }[] {
  const all = { ...collectionObjects(snap), organization: [snap.organization] } as Record<string, { dn?: string; raw?: Record<string, string[]> }[]>;
  return Object.values(all).flat().filter((o): o is { dn: string; raw: Record<string, string[]> } => !!o.dn && !!o.raw);
}

describe('line helpers', () => {
  it('a DN breaks only between RDNs, and its lines joined are the DN (escaped commas are not boundaries)', () => {
    const dn = 'CN=Smith\\, John,OU=Sales,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,DC=contoso,DC=test';
    const lines = dnLines(dn, 40);
    expect(lines.join('')).toBe(dn);
    expect(lines[0]).toBe('CN=Smith\\, John,OU=Sales,');
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/,$/);
    for (const l of lines) expect(l).toMatch(RDN_START);
    expect(dnParts('not a dn')).toBeNull();
    expect(dnParts('CN=one')).toBeNull();
  });

  it('other long values break after \\ / , ; or a space, else at the width; joined they are the value', () => {
    const path = 'D:\\Program Files\\Microsoft\\Exchange Server\\V15\\TransportRoles\\Logs\\MessageTracking';
    const lines = valueLines(path, 40);
    expect(lines.join('')).toBe(path);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
    expect(valueLines('x'.repeat(95), 40)).toEqual(['x'.repeat(40), 'x'.repeat(40), 'x'.repeat(15)]);
  });
});

for (const org of ['contoso', 'fabrikam'] as const) {
  describe(`Appendix B of the ${org} binder`, () => {
    let snap: Snapshot;
    let md: string;
    let pdfFile: string;
    beforeAll(async () => {
      const b = await fixtureBinder(org);
      snap = b.snap;
      md = b.markdown;
      pdfFile = writeTemp(b.pdf);
    }, 60_000);

    it('Markdown: no line over 100 characters; the DN under each heading in lines between RDNs', () => {
      const lines = appendixB(md);
      const long = lines.filter((l) => l.length > 100);
      expect(long).toEqual([]);
      // the heading's DN: code spans joined by hard breaks, each but the last ending with its comma
      const objects = rawObjects(snap);
      let checked = 0;
      for (let i = 0; i < lines.length; i++) {
        if (!/^## /.test(lines[i] as string)) continue;
        const dnLinesMd: string[] = [];
        for (let k = i + 2; /^`/.test(lines[k] ?? ''); k++) dnLinesMd.push(lines[k] as string);
        const parts = dnLinesMd.map((l) => /^`([^`]*)`\\?$/.exec(l)?.[1] ?? '');
        for (const p of parts.slice(0, -1)) expect(p).toMatch(/,$/);
        for (const p of parts) expect(p).toMatch(RDN_START);
        expect(objects.some((o) => o.dn === parts.join(''))).toBe(true);
        checked++;
      }
      expect(checked).toBeGreaterThan(20);
    });

    it('Markdown: each attribute one value per row (no "; " lists), a long value over rows that join back to it', () => {
      const lines = appendixB(md);
      const objects = new Map(rawObjects(snap).map((o) => [o.dn, o]));
      let object: { dn: string; raw: Record<string, string[]> } | undefined;
      let multi = 0;
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i] as string;
        if (/^## /.test(l)) {
          const parts: string[] = [];
          for (let k = i + 2; /^`/.test(lines[k] ?? ''); k++) parts.push(/^`([^`]*)`/.exec(lines[k] as string)?.[1] ?? '');
          object = objects.get(parts.join(''));
          continue;
        }
        const row = /^\| ([^|]+) \| `([^`]*)` \|$/.exec(l);
        if (!row || !object || row[1] === '↪') continue;
        // this attribute's rows: the named one, then '↪' rows continuing a value and '' rows starting the next one
        const got = [row[2] as string];
        for (let k = i + 1; /^\| (↪ | )\| `/.test(lines[k] ?? ''); k++) {
          const m = /^\| (↪ | )\| `([^`]*)` \|$/.exec(lines[k] as string)!;
          if (m[1] === "↪ ") got[got.length - 1] += m[2] as string;
          else got.push(m[2] as string);
        }
        const key = Object.keys(object.raw).find((a) => attributeSpelling(a) === row[1]);
        expect(key, row[1]).toBeDefined();
        const values = object.raw[key as string] as string[];
        expect(got).toEqual(values);
        if (values.length > 1) multi++;
      }
      expect(multi).toBeGreaterThan(5);
      expect(lines.filter((l) => /^\|.*`[^`]*; [^`]*`/.test(l))).toEqual([]);
    });

    it('PDF (poppler): no line of Appendix B starts inside an RDN; every object DN is there as whole lines', () => {
      const pages = pagesText(pdfFile);
      const first = pages.findIndex((p) => p.includes('Appendix B: Raw attribute values') && p.includes('The attributes as read'));
      expect(first).toBeGreaterThan(0);
      const text = pages.slice(first).join('\n');
      // (a row continuing a value starts with the ↪ of its first cell)
      const lines = text.split('\n').map((l) => l.replace(/^↪ /, ''));
      // a line holding part of a DN starts with an RDN ("CN=..."), never with the rest of one ("(FYDIBOHF23SPDLT),CN=..." or "Exchange,CN=...")
      const broken = lines.filter((l) => /^[^=]*[,)]?,(CN|DC|OU)=/.test(l) && !RDN_START.test(l));
      expect(broken).toEqual([]);
      // DN lines end with their comma, and consecutive DN lines join to the object DNs
      const joined: string[] = [];
      let cur = '';
      for (const l of lines) {
        if (cur && RDN_START.test(l)) cur += l;
        else if (RDN_START.test(l) && /=/.test(l)) cur = l;
        else cur = '';
        if (cur && !cur.endsWith(',')) { joined.push(cur); cur = ''; }
      }
      const dns = new Set(joined);
      // every object Appendix B prints (the DN under each heading of the Markdown)
      const printed = [...md.matchAll(/^## .*\n\n((?:`[^`]*`\\?\n)+)/gm)].map((m) => [...(m[1] as string).matchAll(/`([^`]*)`/g)].map((c) => c[1]).join(''));
      expect(printed.length).toBeGreaterThan(20);
      const missing = printed.filter((dn) => dnParts(dn) && !dns.has(dn));
      expect(missing).toEqual([]);
    });
  });
}

describe('Appendix B in the HTML, printed by headless Chromium', () => {
  it('a DN is one code element that copies as the DN and wraps only after a comma', async () => {
    const snap = await harvestExport('fixtures/exports/contoso.ldif');
    const b = await renderBinder(snap, { pdf: false, html: true, attributeSpelling });
    const html = b.html as string;
    // one element per DN, the RDNs in order: copied (text content) it is the DN as AD wrote it
    const server = snap.servers.find((s) => s.name === 'EX2010A')!;
    const textOf = (el: string) => el.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&');
    const dnCodes = [...html.matchAll(/<code class="dn">(.*?)<\/code>/g)].map((m) => textOf(m[1] as string));
    expect(dnCodes).toContain(server.dn);
    // a value continued over rows (↪) is one code element again; multi-valued attributes: one row, one value per line
    expect(html).not.toMatch(/<td>↪<\/td>/);
    expect(html).toMatch(/<td>objectClass<\/td>\n<td><code>msExchMDB<\/code><br>\n<code>msExchPrivateMDB<\/code><br>\n<code>top<\/code><\/td>/);
    // printed narrow by Chromium, the lines of a DN end at a comma
    const file = join(dir, 'b.html');
    writeFileSync(file, html.replace('@page { size: A4;', '@page { size: 110mm 297mm;'));
    const pdf = join(dir, 'b.pdf');
    const profile = mkdtempSync(join(dir, 'profile-'));
    execFileSync('/usr/bin/chromium', [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', `--user-data-dir=${profile}`, '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${file}`,
    ], { stdio: 'ignore', timeout: 60_000 });
    const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const appendix = text.slice(text.indexOf('Appendix B: Raw attribute values'));
    const dnish = appendix.split('\n').filter((l) => /(CN|DC)=/.test(l));
    expect(dnish.length).toBeGreaterThan(50);
    // no line starts inside an RDN: the browser broke only after the commas
    const broken = dnish.map((l) => l.replace(/^\f/, '')).filter((l) => !l.includes('<I>') && (!/^(\S+ )*?[A-Za-z][A-Za-z0-9-]*=/.test(l) || /^\(FYDIBOHF23SPDLT\)|^Exchange,|^Groups,/.test(l)));
    expect(broken.map((l) => JSON.stringify(l))).toEqual([]);
  }, 60_000);
});

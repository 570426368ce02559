/**
 * The PDF, read back with poppler (pdfinfo, pdftotext, pdftohtml) as a reader's
 * tools would see it: values per chapter, outline, table of contents, footer,
 * paper sizes, Unicode, determinism.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

// Each render lays out a whole binder (about a second alone; several times
// that on 2 cores shared with the other test files), and some tests render
// three times: vitest's 5 s default is not a budget for them.
const RENDERS = { timeout: 60_000 };
import { buildView, renderBinder, renderMarkdown, renderPdf } from '../../../src/render/index.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { makeDatabase, makeServer, sampleSnapshot, serverDn } from './sample-snapshot.js';
import { TEMPLATES } from './helpers.js';
import { layoutText, outline, pagesText, pdfinfo, squash, writeTemp } from './pdf-tools.js';

async function render(snap: Snapshot, paper: 'a4' | 'letter' = 'a4') {
  const view = buildView(snap, { supplement: null, drift: null });
  const markdown = renderMarkdown(view, { templatesDir: TEMPLATES });
  const pdf = await renderPdf(markdown, {
    paper, title: view.title, header: view.cover.organization,
    creationDate: new Date(snap.metadata.harvestedAt), snapshotLabel: `Snapshot ${view.cover.snapshotId} (${snap.metadata.harvestedAt})`,
    organization: view.cover.organization, snapshotId: view.cover.snapshotId, harvestedAt: snap.metadata.harvestedAt,
  });
  return { view, markdown, pdf };
}

/** The running header is drawn last on each page: "<organization> <chapter>", then the footer line. */
function headerOf(page: string): string {
  const lines = page.trimEnd().split('\n');
  return lines[lines.length - 2] ?? '';
}

/** Squashed text of the pages whose running header names `chapter`. */
function chapter(pages: string[], chapterTitle: string): string {
  const hits = pages.filter((p) => headerOf(p).endsWith(` ${chapterTitle}`));
  expect(hits.length, chapterTitle).toBeGreaterThan(0);
  // the running header and footer (last two lines of a page) are not content: a code block that
  // continues on the next page must read as one
  return squash(hits.map((p) => p.trimEnd().split('\n').slice(0, -2).join('\n')).join('\n'));
}

const STEP_WORDS = ['Order', 'Install', 'Same', 'Reset', 'Join', 'Reinstall', 'Stop', 'Install', 'Run', 'Reinstall', 'Reinstall', 'Reinstall', 'Version', 'Restore', 'Re-enable', 'Test'];

describe('PDF binder of the sample organization', () => {
  const snap = sampleSnapshot();
  let file: string;
  let pages: string[];
  let pdf: Buffer;
  let view: ReturnType<typeof buildView>;

  beforeAll(async () => {
    ({ pdf, view } = await render(snap));
    file = writeTemp(pdf);
    pages = pagesText(file);
  }, RENDERS.timeout);

  it('has the document info from the snapshot, A4 pages, no form fields', () => {
    const info = pdfinfo(file);
    expect(info['Title']).toBe('Exchange recovery binder: Contoso Zürich Ärzte');
    expect(info['CreationDate']).toMatch(/Nov 20 08:30:00 2026/);
    // one snapshot id, said once (it read "snapshot Snapshot <id>" before)
    expect(info['Subject']).toBe(`Exchange disaster-recovery binder of the organization Contoso Zürich Ärzte, snapshot ${view.cover.snapshotId} harvested 2026-11-20T08:30:00Z`);
    expect(info['Author']).toBe('Contoso Zürich Ärzte');
    expect(info['Keywords']).toBe(`Exchange, disaster recovery, recovery binder, Contoso Zürich Ärzte, snapshot ${view.cover.snapshotId}`);
    expect(info['Subject']!.match(/snapshot/gi)).toHaveLength(1);
    expect(info['Page size']).toMatch(/^595\.28 x 841\.89 pts \(A4\)/);
    expect(info['Form']).toBe('none');
    expect(Number(info['Pages'])).toBe(pages.length);
    expect(pages.length).toBeGreaterThan(20);
  });

  it('numbers every page "Page X of Y" and prints the snapshot id in the footer', () => {
    pages.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(p).toContain(`Snapshot ${view.cover.snapshotId}`);
    });
  });

  it('prints every server, database, path, URL and IP in its own chapter', () => {
    for (const s of view.servers) {
      const text = chapter(pages, `Server ${s.name}`);
      const expected = [
        s.name, s.fqdn, ...s.ipAddresses, s.installPath, s.computerDn, s.serialNumber,
        ...s.databases.flatMap((d) => [d.name, d.edbPath, d.logPath]),
        ...s.virtualDirectories.flatMap((v) => [v.internalUrl, v.externalUrl]),
        ...s.receiveConnectors.flatMap((r) => r.remoteIpRanges), ...s.sslNames,
        ...s.disks.flatMap((d) => [d.drive, ...d.uses.map((u) => u.path)]),
      ].filter((x): x is string => !!x);
      for (const value of expected) expect(text, `${s.name}: ${value}`).toContain(squash(value));
    }
  });

  it('prints each runbook with that server\'s values in place', () => {
    for (const s of view.servers) {
      const text = chapter(pages, `Recovery runbook: ${s.name}`);
      const expected = [
        s.runbook.recoverCommand, s.computerDn, s.fqdn, ...s.ipAddresses, ...s.runbook.prerequisites,
        ...s.runbook.restoreDatabases.flatMap((d) => [d.name, d.edbPath]), ...s.runbook.relayRanges.map((r) => r.range),
        ...s.runbook.autodiscoverUrls, ...s.runbook.owaUrls, ...s.runbook.activeSyncUrls,
      ].filter((x): x is string => !!x);
      for (const value of expected) expect(text, `${s.name}: ${value}`).toContain(squash(value));
      // a DAG member's step 14 re-adds its database copies instead of restoring them
      const words = s.runbook.dag ? STEP_WORDS.map((w, i) => (i === 13 ? 'Re-add' : w)) : STEP_WORDS;
      words.forEach((word, i) => expect(text, `${s.name} step ${i + 1}`).toContain(`${i + 1}.${word}`));
    }
    expect(chapter(pages, 'Recovery runbook: EX2007')).toContain(squash('setup.com /m:RecoverServer /TargetDir:"D:\\Exchange Server"'));
  });

  it('draws check boxes instead of printing the task-list markers', () => {
    const all = pages.join('\n');
    expect(all).not.toContain('[ ]');
    expect(all).not.toContain('[x]');
    expect(all).not.toContain('<!--');
  });

  it('prints Latin, Greek and Cyrillic names', () => {
    const all = pages.join('\n');
    for (const name of ['Zürich Ärzte', 'Αθήνα', 'Москва']) expect(all).toContain(name);
  });

  it('has an outline entry per chapter and per server, pointing at the right page', () => {
    const items = outline(file);
    const top = items.filter((i) => i.depth === 1).map((i) => i.title);
    for (const s of view.servers) {
      expect(top).toContain(`Server ${s.name}`);
      expect(top).toContain(`Recovery runbook: ${s.name}`);
      const item = items.find((i) => i.title === `Server ${s.name}`)!;
      expect(pages[item.page - 1]).toContain(`Server ${s.name}`);
    }
    for (const t of ['Organization and forest', 'Virtual-guest recovery', 'Pre-disaster documentation checklist', 'Appendix B: Raw attribute values']) expect(top).toContain(t);
    expect(items.some((i) => i.depth === 2 && i.title === 'Disk layout to reproduce')).toBe(true);
  });

  it('has a table of contents whose page numbers are where the chapters start', RENDERS, () => {
    const toc = layoutText(file, 2);
    const entries = [...toc.matchAll(/^(\S.*?)\s+(\d+)\s*$/gm)].filter((m) => !(m[1] as string).startsWith('Snapshot')).map((m) => ({ title: (m[1] as string).replace(/[ .]+$/, ''), page: Number(m[2]) }));
    const titles = entries.map((e) => e.title);
    expect(titles).toContain('Server EX2007');
    expect(titles).toContain('Recovery runbook: EX2016');
    // one poppler run for the outline, not one per entry (each is a process on a loaded machine)
    const items = outline(file);
    for (const e of entries) {
      const item = items.find((i) => i.title === e.title && i.depth === 1);
      expect(item?.page, e.title).toBe(e.page);
    }
  });

  it('is byte-identical across renders (A4 and Letter)', RENDERS, async () => {
    expect((await render(sampleSnapshot())).pdf.equals(pdf)).toBe(true);
    const a = (await render(sampleSnapshot(), 'letter')).pdf;
    const b = (await render(sampleSnapshot(), 'letter')).pdf;
    expect(a.equals(b)).toBe(true);
    expect(a.equals(pdf)).toBe(false);
    expect(pdfinfo(writeTemp(a))['Page size']).toMatch(/^612 x 792 pts \(letter\)/);
  });
});

describe('PDF layout under stress', () => {
  it('wraps very long paths without losing a character and repeats table headers across pages', RENDERS, async () => {
    const snap = sampleSnapshot();
    const long = `G:\\${Array.from({ length: 12 }, (_, i) => `VeryLongFolderName${i}WithoutAnySpacesAtAll`).join('\\')}\\big.edb`;
    snap.servers.push(makeServer({
      name: 'EXBIG', serial: 'Version 15.2 (Build 31748.10)', version: { major: 15, minor: 2, build: 1748, revision: 10, product: 'Exchange Server 2019', release: 'CU15', label: 'Exchange Server 2019 CU15 (15.2.1748.10)' },
      roles: ['Mailbox'], bitmask: 2, installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', dataPath: null, site: null,
      os: 'Windows Server 2019 Standard', osVersion: '10.0 (17763)', sp: null, ips: ['10.7.7.7'],
    }));
    snap.databases.push(makeDatabase({ name: 'LONGDB', server: serverDn('EXBIG'), edb: long, log: 'H:\\L', sys: 'H:\\L' }));
    for (let i = 0; i < 90; i++) {
      snap.databases.push(makeDatabase({ name: `BIG${i}`, server: serverDn('EXBIG'), edb: `E:\\Big\\BIG${i}\\BIG${i}.edb`, log: `F:\\Big\\BIG${i}`, sys: `F:\\Big\\BIG${i}` }));
    }
    const { pdf } = await render(snap);
    const file = writeTemp(pdf);
    const pages = pagesText(file);
    const big = pages.filter((p) => headerOf(p).endsWith(' Server EXBIG'));
    expect(squash(big.join(''))).toContain(squash(long));
    for (let i = 0; i < 90; i++) expect(squash(big.join('')), `BIG${i}`).toContain(`E:\\Big\\BIG${i}\\BIG${i}.edb`);
    // The disk-layout and database tables span several pages: every page that
    // continues one starts with its header row.
    const continued = big.filter((p) => /E:\\Big\\BIG\d+/.test(p));
    expect(continued.length).toBeGreaterThan(3);
    for (const p of continued) expect(/Whatlivesthere|EDBfile/.test(squash(p)), p.slice(0, 300)).toBe(true);
  });
});

describe('long unbroken tokens', () => {
  it('prints a 100,000-character value in seconds, every character kept', async () => {
    const token = 'Z'.repeat(100_000);
    const markdown = `# Long\n\nValue \`${token}\` end.\n\n| a | b |\n| --- | --- |\n| ${token.slice(0, 20_000)} | x |\n`;
    const t = performance.now();
    const pdf = await renderPdf(markdown, { paper: 'a4', title: 'Long', creationDate: new Date(0), snapshotLabel: 'Snapshot x' });
    expect(performance.now() - t).toBeLessThan(15_000);
    const text = squash(pagesText(writeTemp(pdf)).join(''));
    expect(text.split('Z').length - 1).toBe(120_000);
  }, 60_000);
});

describe('glyph codes in the content stream', () => {
  // Text is written as literal strings of two-byte glyph codes (render/pdf/measure.ts): with a few hundred
  // distinct glyphs in a font's subset, codes whose bytes are ( ) \\ CR or LF occur and must be escaped.
  it('prints every one of several hundred distinct characters, in text and in code', RENDERS, async () => {
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)).join('');
    const letters = range(0x41, 0x5a) + range(0x61, 0x7a) + range(0xc0, 0xff) + range(0x100, 0x17f) + range(0x391, 0x3a1) + range(0x3a3, 0x3a9) + range(0x410, 0x44f);
    const code = range(0x21, 0x7e) + letters;
    const words = (s: string) => s.match(/.{1,12}/gu)!.join(' ');
    const markdown = `# Glyphs\n\n${words(letters)}\n\n\`\`\`\n${words(code)}\n\`\`\`\n`;
    const pdf = await renderPdf(markdown, { paper: 'a4', title: 'Glyphs', creationDate: new Date(0), snapshotLabel: 'Snapshot x' });
    // (a code line wider than the page continues after the ↪ mark, which is not part of the text)
    const text = squash(pagesText(writeTemp(pdf)).join('')).replace(/↪/g, '');
    expect(text).toContain(squash(letters));
    expect(text).toContain(squash(code));
    // poppler forgives unbalanced parentheses and a raw CR; the PDF syntax does not
    const escapes = new Set<string>();
    for (const content of contentStreams(pdf).filter((c) => c.includes('] TJ'))) {
      for (const m of content.matchAll(/\((?:[^()\\\r]|\\[\s\S])*\)|[()]/g)) {
        expect(m[0].length, `unescaped parenthesis in ${JSON.stringify(content.slice(m.index - 20, m.index + 20))}`).toBeGreaterThan(1);
        for (const e of m[0].matchAll(/\\([\s\S])/g)) escapes.add(e[1] as string);
      }
    }
    expect([...escapes].sort()).toEqual(['(', ')', '\\', 'n', 'r']);
  });
});

/** The decompressed streams of a PDF (pages, fonts, forms), as Latin-1 text. */
function contentStreams(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  return [...raw.matchAll(/stream\n/g)].map((m) => {
    const start = m.index + m[0].length;
    try { return inflateSync(pdf.subarray(start, raw.indexOf('\nendstream', start))).toString('latin1'); } catch { return ''; }
  });
}

describe('degenerate organizations', () => {
  it('renders an organization without servers, DCs or domains', RENDERS, async () => {
    const snap = sampleSnapshot();
    snap.servers = []; snap.databases = []; snap.storageGroups = []; snap.dags = []; snap.virtualDirectories = [];
    snap.autodiscoverScps = []; snap.receiveConnectors = []; snap.sendConnectors = []; snap.acceptedDomains = [];
    snap.routingGroups = []; snap.forest.domainControllers = []; snap.forest.domains = []; snap.metadata.warnings = [];
    snap.organization.raw = { cn: ['Contoso'], description: [] };
    const { markdown, pdf } = await render(snap);
    expect(markdown).toContain('None: every container was read.');
    expect(markdown).not.toContain('``');
    const pages = pagesText(writeTemp(pdf));
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.join('')).toContain('Pre-disaster documentation checklist');
  });
});

describe('renderBinder', () => {
  it('gives the same bytes as the four steps, for both formats, with the supplement applied', RENDERS, async () => {
    const snap = sampleSnapshot();
    const { markdown, pdf } = await render(snap);
    expect((await renderBinder(snap, { pdf: false })).markdown).toBe(markdown);
    const both = await renderBinder(snap, { pdf: true });
    expect(both.markdown).toBe(markdown);
    expect(both.pdf!.equals(pdf)).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'exb-rb-')), 's.yaml');
    writeFileSync(file, 'inboundMail:\n  stopAt: gateway 9\n');
    expect((await renderBinder(snap, { pdf: false, supplementPath: file })).markdown).toContain('Stop inbound mail** at: gateway 9');
    writeFileSync(file, 'inboundMail:\n  stopAtt: gateway 9\n');
    await expect(renderBinder(snap, { pdf: false, supplementPath: file })).rejects.toThrow(/s\.yaml:2: unknown key "stopAtt"/);
  });
});

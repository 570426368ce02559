/**
 * Printable scope through the CLI, on the bundled Contoso export (8 servers):
 * --server (a binder of some servers), --appendix inline|separate|none, the
 * cover's page reference to Appendix A (checked against the page poppler
 * finds the heading on), Appendix A's labels and server names (--baseline).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { setAtomicFault } from '../../../src/snapshot/atomic.js';
import { serialize } from '../../../src/snapshot/canonical.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { harvestExport, section } from '../render/helpers.js';

// each test renders one to three binders: seconds each on a busy 2-core machine
vi.setConfig({ testTimeout: 60_000 });

const cli = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'exbinder', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, stderrTTY: false });
  return { code, out, err };
};

/** Page texts of a PDF, one string per page, as poppler reads them. */
const pdfPages = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\f').slice(0, -1);
const pdfPage = (file: string, n: number) => execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
const serverHeadings = (md: string) => [...md.matchAll(/^# Server (\S+)$/gm)].map((m) => m[1]);

let snap: Snapshot;
let shared: string;
let snapFile: string;
let baselineFile: string;
beforeAll(async () => {
  snap = await harvestExport('fixtures/exports/contoso.ldif');
  shared = await mkdtemp(join(tmpdir(), 'exb-scope-'));
  snapFile = join(shared, 'contoso.json');
  await writeFile(snapFile, serialize(snap));
  // the known good: this snapshot before three changes (a server's install path, a
  // virtual directory's URL on EX2016, a database path), so the current one differs from it in them
  const old = JSON.parse(serialize(snap)) as Snapshot;
  const ex2007 = old.servers.find((s) => s.name === 'EX2007')!;
  ex2007.installPath = 'D:\\Exchange-old';
  const ex2016 = old.servers.find((s) => s.name === 'EX2016')!;
  const vdir = old.virtualDirectories.find((v) => v.server.toLowerCase() === ex2016.dn.toLowerCase() && v.internalUrl)!;
  vdir.internalUrl = 'https://old.contoso.test/owa';
  const db = old.databases.find((d) => d.edbFilePath)!;
  db.edbFilePath = 'Z:\\old\\path.edb';
  baselineFile = join(shared, 'baseline.json');
  await writeFile(baselineFile, serialize(old));
}, 60_000);
afterAll(async () => rm(shared, { recursive: true, force: true }));

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'exb-scope-out-')); });
afterEach(async () => { setAtomicFault(null); await rm(dir, { recursive: true, force: true }); });

describe('--server', () => {
  it('prints only the chosen servers (case-insensitive, repeated or comma-separated) with the org-wide parts', async () => {
    const out = join(dir, 'b.md');
    const r = await cli(['render', snapFile, '--format', 'md', '--out', out, '--server', 'ex2007', '--server', 'EX2010a,EX2019']);
    expect(r.code).toBe(0);
    expect(r.err.join('\n')).toContain('servers EX2007, EX2010A, EX2019');
    const md = await readFile(out, 'utf8');
    expect(serverHeadings(md)).toEqual(['EX2007', 'EX2010A', 'EX2019']);
    expect([...md.matchAll(/^# Recovery runbook: (\S+)/gm)].map((m) => m[1])).toEqual(['EX2007', 'EX2010A', 'EX2019']);
    for (const other of ['EX2003', 'EX2010B', 'EX2016', 'EDGE01', 'EXCMS01']) expect(md).not.toMatch(new RegExp(`^# [^\\n]*\\b${other}\\b`, 'm'));
    expect(md).toContain('# Organization and forest');
    expect(md).toContain('# Pre-disaster documentation checklist');
    expect(md).toContain('| Servers in this binder | EX2007, EX2010A, EX2019 (3 of 8; the others are not in this binder) |');
    // Appendix B: the org-wide objects and those of the chosen servers, no other server's
    const b = section(md, 'Appendix B: Raw attribute values');
    expect(b).toMatch(/^## Organization /m);
    expect(b).toMatch(/^## Accepted domain /m);
    expect(b).toMatch(/^## Server EX2007$/m);
    // every per-server object shown belongs to a chosen server (a send connector may have others too)
    const owners = [...b.matchAll(/^## .* on (.+)$/gm)].map((m) => (m[1] as string).split(', '));
    expect(owners.length).toBeGreaterThan(20);
    expect(owners.filter((list) => !list.some((n) => ['EX2007', 'EX2010A', 'EX2019'].includes(n)))).toEqual([]);
    expect(b).not.toMatch(/^## Server (EX2003|EX2016|EDGE01|EXCMS01)$/m);
    expect(b).not.toMatch(/ on (EX2003|EX2016|EDGE01)$/m);
  });

  it('the full binder has every server; an unknown name is one line listing the servers, exit 2, nothing written', async () => {
    const full = join(dir, 'full.md');
    expect((await cli(['render', snapFile, '--format', 'md', '--out', full])).code).toBe(0);
    expect(serverHeadings(await readFile(full, 'utf8'))).toHaveLength(8);
    const out = join(dir, 'x.pdf');
    const r = await cli(['render', snapFile, '--out', out, '--server', 'EX2007', '--server', 'EX9999', '--appendix', 'separate']);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toBe("exbinder: unknown server 'EX9999' (--server): Contoso has EDGE01, EX2003, EX2007, EX2010A, EX2010B, EX2016, EX2019, EXCMS01");
    expect((await readdir(dir)).sort()).toEqual(['full.md']);
  });
});

describe('--appendix', () => {
  it('inline (the default) ends the binder with both appendices, linked from the cover', async () => {
    const out = join(dir, 'b.md');
    expect((await cli(['render', snapFile, '--format', 'md', '--out', out, '--server', 'EX2019'])).code).toBe(0);
    const md = await readFile(out, 'utf8');
    expect(md).toContain('# Appendix A: Changes since the last known good snapshot');
    expect(md).toContain('# Appendix B: Raw attribute values');
    expect(md).toContain('| Changes since the known good | [Appendix A](#appendix-a-changes-since-the-last-known-good-snapshot) |');
    expect(await readdir(dir)).toEqual(['b.md']);
  });

  it.each(['md', 'html'] as const)('separate writes NAME-appendix.%s next to the binder, the appendices only there', async (format) => {
    const out = join(dir, `binder.${format}`);
    const r = await cli(['render', snapFile, '--format', format, '--out', out, '--server', 'EX2019', '--appendix', 'separate']);
    expect(r.code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual([`binder-appendix.${format}`, `binder.${format}`]);
    const binder = await readFile(out, 'utf8');
    const appendix = await readFile(join(dir, `binder-appendix.${format}`), 'utf8');
    expect(binder).not.toContain('Appendix B: Raw attribute values');
    expect(binder).toContain('Server EX2019');
    expect(binder).toContain(`in the separate file binder-appendix.${format}`);
    expect(appendix).toContain('Appendix A: Changes since the last known good snapshot');
    expect(appendix).toContain('Appendix B: Raw attribute values');
    expect(appendix).toContain('Appendices: Exchange recovery binder: Contoso');
    expect(appendix).not.toContain('Recovery runbook');
  });

  it('separate PDF: two PDFs, the appendix headings only in the second', async () => {
    const out = join(dir, 'binder.pdf');
    expect((await cli(['render', snapFile, '--out', out, '--server', 'EX2019', '--appendix', 'separate'])).code).toBe(0);
    const binder = pdfPages(out).join('\n');
    const appendix = pdfPages(join(dir, 'binder-appendix.pdf')).join('\n');
    expect(binder).toContain('Recovery runbook: EX2019');
    expect(binder).not.toContain('Appendix B: Raw attribute values');
    expect(appendix).toContain('Appendix B: Raw attribute values');
    expect(appendix).toContain('Server EX2019');
    // the appendix file's first page refers to its appendices by page, as the binder's cover does
    const pages = pdfPages(join(dir, 'binder-appendix.pdf'));
    const ref = /Appendix B, page (\d+)/.exec(pages[0] as string);
    expect(ref).not.toBeNull();
    expect(pages[Number(ref![1]) - 1]).toContain('Appendix B: Raw attribute values');
    expect(pages[Number(ref![1]) - 2]).not.toContain('Appendix B: Raw attribute values');
  }, 60_000);

  it('separate PDF: the binder\'s cover gives the page of each appendix in the second file, where poppler finds it', async () => {
    // the full binder with a known good: Appendix A has rows, Appendix B runs to dozens of pages
    const out = join(dir, 'binder.pdf');
    expect((await cli(['render', snapFile, '--out', out, '--appendix', 'separate', '--baseline', baselineFile])).code).toBe(0);
    const cover = pdfPage(out, 1);
    const a = /Appendix A, separate file binder-appendix\.pdf, page (\d+)/.exec(cover);
    const b = /Appendix B, separate file binder-appendix\.pdf, page (\d+)/.exec(cover);
    expect(a, cover).not.toBeNull();
    expect(b, cover).not.toBeNull();
    const pages = pdfPages(join(dir, 'binder-appendix.pdf'));
    expect(pages.length).toBeGreaterThan(20);
    // the heading's page: where the chapter's first line follows its heading (not the appendix file's own cover table)
    const headingPage = (title: string, next: string) => pages.findIndex((p) => p.includes(title) && p.includes(next)) + 1;
    // (the Appendix A heading wraps before "snapshot")
    expect(Number(a![1])).toBe(headingPage('Appendix A: Changes since the last known good', 'Baseline'));
    expect(Number(b![1])).toBe(headingPage('Appendix B: Raw attribute values', 'The attributes as read'));
    expect(Number(b![1])).toBeGreaterThan(1);
    // the Markdown binder, which has no pages, names the file
    const md = join(dir, 'b.md');
    expect((await cli(['render', snapFile, '--format', 'md', '--out', md, '--appendix', 'separate'])).code).toBe(0);
    expect(await readFile(md, 'utf8')).toContain('| Changes since the known good, raw attribute values | Appendices A and B, in the separate file b-appendix.md |');
  }, 60_000);

  it('none writes the binder without appendices and no second file', async () => {
    const out = join(dir, 'b.md');
    expect((await cli(['render', snapFile, '--format', 'md', '--out', out, '--appendix', 'none'])).code).toBe(0);
    const md = await readFile(out, 'utf8');
    expect(md).not.toContain('# Appendix');
    expect(md).toContain('| Changes since the known good, raw attribute values | not printed with this binder |');
    expect(await readdir(dir)).toEqual(['b.md']);
  });

  it('separate is written all or nothing: a failed second write leaves the earlier pair and no temp file', async () => {
    const out = join(dir, 'binder.md');
    await writeFile(out, 'old binder');
    await writeFile(join(dir, 'binder-appendix.md'), 'old appendix');
    setAtomicFault((step, file) => { if (step === 'rename' && file.endsWith('binder-appendix.md')) throw Object.assign(new Error('no space'), { code: 'ENOSPC' }); });
    const r = await cli(['render', snapFile, '--format', 'md', '--out', out, '--appendix', 'separate']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([expect.stringMatching(/^exbinder: cannot write .*binder-appendix\.md \(no space left on the device\)/)]);
    expect((await readdir(dir)).sort()).toEqual(['binder-appendix.md', 'binder.md']);
    expect(await readFile(out, 'utf8')).toBe('old binder');
    expect(await readFile(join(dir, 'binder-appendix.md'), 'utf8')).toBe('old appendix');
    // and a new pair where there was none: neither file appears
    await rm(out);
    await rm(join(dir, 'binder-appendix.md'));
    expect((await cli(['render', snapFile, '--format', 'md', '--out', out, '--appendix', 'separate'])).code).toBe(2);
    expect(await readdir(dir)).toEqual([]);
    setAtomicFault(null);
    expect((await cli(['render', snapFile, '--format', 'md', '--out', out, '--appendix', 'separate'])).code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['binder-appendix.md', 'binder.md']);
  });

  it('separate refuses standard output', async () => {
    const r = await cli(['render', snapFile, '--format', 'md', '--out', '-', '--appendix', 'separate']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([expect.stringContaining('--appendix separate writes a second file')]);
  });
});

describe('cover page reference', () => {
  it('the cover prints the page the Appendix A heading is on', async () => {
    const out = join(dir, 'b.pdf');
    expect((await cli(['render', snapFile, '--out', out, '--baseline', baselineFile])).code).toBe(0);
    const cover = pdfPage(out, 1);
    const a = /Appendix A, page (\d+)/.exec(cover);
    const b = /Appendix B, page (\d+)/.exec(cover);
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    const pages = pdfPages(out);
    // the heading's page: not the contents (page 2..3), the page the chapter starts on
    const headingPage = (title: string, next: string) => pages.findIndex((p) => p.includes(title) && p.includes(next)) + 1;
    expect(Number(a![1])).toBe(headingPage('Appendix A: Changes since the last known good snapshot', 'Baseline'));
    expect(Number(b![1])).toBe(headingPage('Appendix B: Raw attribute values', 'The attributes as read'));
    expect(Number(a![1])).toBeGreaterThan(10);
    expect(pdfPage(out, Number(a![1]))).toContain('Appendix A: Changes since the last known good snapshot');
    expect(pdfPage(out, Number(a![1]) - 1)).not.toContain('Baseline');
    // the chapters' change marks reach the PDF too
    expect(pages.join('\n')).toContain('(changed since 2026-11-24)');
  }, 60_000);
});

describe('Appendix A', () => {
  it('labels objects as an admin does and names the server of per-server objects', async () => {
    const out = join(dir, 'b.md');
    expect((await cli(['render', snapFile, '--format', 'md', '--out', out, '--baseline', baselineFile])).code).toBe(0);
    const a = section(await readFile(out, 'utf8'), 'Appendix A: Changes since the last known good snapshot');
    expect(a).toContain('| Severity | Change | Object type | Object | Field | Old | New |');
    expect(a).toMatch(/\| critical \| changed \| Server \| EX2007 \| Install path \| `D:\\Exchange-old` \|/);
    expect(a).toMatch(/\| Virtual directory \| [^|]+ on EX2016 \| Internal URL \| `https:\/\/old\.contoso\.test\/owa` \|/);
    expect(a).toMatch(/\| Database \| [^|]+ on [A-Z0-9, ]+ \| EDB file path \| `Z:\\old\\path\.edb` \|/);
    for (const internal of ['| virtualDirectories |', '| databases |', '| servers |']) expect(a).not.toContain(internal);
  });

  it('names fields as an admin reads them: a copy by its server, raw attributes as AD spells them', async () => {
    // the known good differs in a DAG copy's activation preference and in a raw attribute the model does not read
    const old = JSON.parse(serialize(snap)) as Snapshot;
    const db = old.databases.find((d) => d.name === 'DB2010-01')!;
    db.copies.find((c) => c.serverName === 'EX2010B')!.activationPreference = 3;
    const rc = old.receiveConnectors.find((r) => r.server.toLowerCase().includes('cn=ex2016,'))!;
    rc.raw['msexchsmtpreceiveinboundsecurityflag'] = ['999'];
    const file = join(dir, 'known-good.json');
    await writeFile(file, serialize(old));
    const out = join(dir, 'b.md');
    expect((await cli(['render', snapFile, '--format', 'md', '--out', out, '--baseline', file])).code).toBe(0);
    const a = section(await readFile(out, 'utf8'), 'Appendix A: Changes since the last known good snapshot');
    expect(a).toMatch(/\| Database \| DB2010-01 on EX2010A, EX2010B \| Activation preference of the copy on EX2010B \| `3` \| `2` \|/);
    expect(a).toMatch(new RegExp(`\\| Receive connector \\| ${rc.name.replace(/[()]/g, '\\$&')} on EX2016 \\| Attribute msExchSMTPReceiveInboundSecurityFlag \\|`));
    // no model path anywhere: no 'copies[', no 'raw.', no lower-cased attribute
    expect(a).not.toMatch(/copies\[|raw\.|msexch/);
    // the drift report for people says the same
    const text = await cli(['diff', file, snapFile]);
    expect(text.out.join('\n')).toContain('Database DB2010-01: Activation preference of the copy on EX2010B: 3 → 2');
    expect(text.out.join('\n')).toMatch(/on EX2016: Attribute msExchSMTPReceiveInboundSecurityFlag: /);
    const md = await cli(['diff', file, snapFile, '--format', 'md']);
    expect(md.out.join('\n')).toContain('- Activation preference of the copy on EX2010B: `3` → `2`');
    expect(md.out.join('\n')).not.toMatch(/copies\[|raw\.|msexch/);
  }, 60_000);

  it('a binder of some servers lists their changes and the org-wide ones, and counts the rest', async () => {
    const out = join(dir, 'b.md');
    expect((await cli(['render', snapFile, '--format', 'md', '--out', out, '--baseline', baselineFile, '--server', 'EX2007'])).code).toBe(0);
    const md = await readFile(out, 'utf8');
    const a = section(md, 'Appendix A: Changes since the last known good snapshot');
    expect(a).toContain('| Server | EX2007 |');
    expect(a).not.toContain('on EX2016');
    expect(a).toMatch(/\d+ more changes? concerns? servers not in this binder/);
    expect(md).toMatch(/\| Drift status \| 1 critical change and 0 other changes since [0-9a-f]+ \([^)]*\); \d+ more on servers not in this binder \|/);
  });

  it('--baseline of another organization is refused', async () => {
    const other = JSON.parse(serialize(snap)) as Snapshot;
    other.organization.guid = '00000000-0000-0000-0000-000000000001';
    const file = join(dir, 'other.json');
    await writeFile(file, serialize(other));
    const r = await cli(['render', snapFile, '--format', 'md', '--out', join(dir, 'b.md'), '--baseline', file]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/--baseline .* is a snapshot of another organization \(Contoso 00000000-0000-0000-0000-000000000001, not Contoso [0-9a-f-]+\): give a known good snapshot of the same organization/);
    expect(existsSync(join(dir, 'b.md'))).toBe(false);
  });
});

describe('the scheduled job', () => {
  it('snapshot --server --appendix separate writes binder/latest.pdf and latest-appendix.pdf; a later run without it removes the old appendix', async () => {
    const store = join(dir, 'store');
    const ldif = 'fixtures/exports/contoso.ldif';
    const r = await cli(['snapshot', '--ldif', ldif, '--store', store, '--server', 'EX2019', '--appendix', 'separate']);
    expect(r.code).toBe(0);
    expect((await readdir(join(store, 'binder'))).sort()).toEqual(['latest-appendix.md', 'latest-appendix.pdf', 'latest.md', 'latest.pdf']);
    const md = await readFile(join(store, 'binder', 'latest.md'), 'utf8');
    expect(serverHeadings(md)).toEqual(['EX2019']);
    // (the Markdown the PDF is drawn from: the cover gives the appendices' pages in latest-appendix.pdf)
    expect(md).toMatch(/\| Raw attribute values \| Appendix B, separate file latest-appendix\.pdf, page \d+ \|/);
    expect(await readFile(join(store, 'binder', 'latest-appendix.md'), 'utf8')).toContain('# Appendix B: Raw attribute values');
    const again = await cli(['snapshot', '--ldif', ldif, '--store', store, '--server', 'EX2019', '--appendix', 'none']);
    expect(again.code).toBe(0);
    expect((await readdir(join(store, 'binder'))).sort()).toEqual(['latest.md', 'latest.pdf']);
    const bad = await cli(['snapshot', '--ldif', ldif, '--store', store, '--server', 'EX9']);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toContain("unknown server 'EX9' (--server): Contoso has EDGE01, EX2003");
  }, 60_000);
});

describe('values changed since the known good', () => {
  it('are marked in the chapters with a legend, only where they changed, and only with a known good', async () => {
    const out = join(dir, 'b.md');
    expect((await cli(['render', snapFile, '--format', 'md', '--out', out, '--baseline', baselineFile])).code).toBe(0);
    const md = await readFile(out, 'utf8');
    const mark = '_(changed since 2026-11-24)_';
    const ex2007 = section(md, 'Server EX2007');
    expect(ex2007).toMatch(/^\| Install path \| `[^`]+` _\(changed since 2026-11-24\)_ \|$/m);
    expect(ex2007).toMatch(/^\| [^|]* \| [^|]* \| Exchange install \| `[^`]+` _\(changed since 2026-11-24\)_ \|$/m);
    expect(ex2007).toMatch(/^2 values are marked _\(changed since 2026-11-24\)_: they differ from the known good snapshot `[0-9a-f]+`\. Appendix A has the old values\.$/m);
    expect(ex2007).not.toMatch(/\| Data path \|[^\n]*changed since/);
    const ex2016 = section(md, 'Server EX2016');
    const urlRows = ex2016.split('\n').filter((l) => l.includes(mark));
    expect(urlRows.length).toBeGreaterThanOrEqual(1);
    expect(urlRows.every((l) => /^\| [^|]+ \| `https:[^`]+` _\(changed since 2026-11-24\)_ \| /.test(l) || /^\d+ values? (is|are) marked/.test(l))).toBe(true);
    // the database's file table (in every chapter that prints it) marks its EDB path
    expect(md).toMatch(/^\| [^|]+ \| EDB file \| `[^`]+` _\(changed since 2026-11-24\)_ \|$/m);
    // servers with nothing changed have no mark and no legend; the organization chapter neither
    expect(section(md, 'Server EX2019')).not.toContain('changed since');
    expect(section(md, 'Organization and forest')).not.toContain('changed since');
    // deterministic, and absent without a known good
    const again = join(dir, 'again.md');
    await cli(['render', snapFile, '--format', 'md', '--out', again, '--baseline', baselineFile]);
    expect(await readFile(again, 'utf8')).toBe(md);
    const plain = join(dir, 'plain.md');
    await cli(['render', snapFile, '--format', 'md', '--out', plain]);
    expect(await readFile(plain, 'utf8')).not.toContain('changed since');
  });

  it('an organization-wide value is marked in the organization chapter', async () => {
    const old = JSON.parse(serialize(snap)) as Snapshot;
    old.acceptedDomains[0]!.isDefault = !old.acceptedDomains[0]!.isDefault;
    const file = join(dir, 'old.json');
    await writeFile(file, serialize(old));
    const out = join(dir, 'b.md');
    expect((await cli(['render', snapFile, '--format', 'md', '--out', out, '--baseline', file, '--server', 'EX2019'])).code).toBe(0);
    const org = section(await readFile(out, 'utf8'), 'Organization and forest');
    expect(org).toContain(`| ${snap.acceptedDomains[0]!.domainName} | ${snap.acceptedDomains[0]!.type} | ${snap.acceptedDomains[0]!.isDefault ? 'yes' : 'no'} _(changed since 2026-11-24)_ |`);
    expect(org).toMatch(/^1 value is marked _\(changed since 2026-11-24\)_: it differs from the known good snapshot/m);
  });
});

describe('exbinder demo', () => {
  it('takes --server and --appendix separate: the chosen server, its appendix files next to the binder', async () => {
    const out = join(dir, 'demo');
    const r = await cli(['demo', '--out', out, '--server', 'ex2019', '--appendix', 'separate']);
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['contoso-binder-appendix.md', 'contoso-binder-appendix.pdf', 'contoso-binder.md', 'contoso-binder.pdf', 'contoso.snapshot.json']);
    const md = await readFile(join(out, 'contoso-binder.md'), 'utf8');
    expect(serverHeadings(md)).toEqual(['EX2019']);
    expect(md).not.toContain('# Appendix B');
    expect(await readFile(join(out, 'contoso-binder-appendix.md'), 'utf8')).toContain('# Appendix B: Raw attribute values');
    const bad = await cli(['demo', '--out', join(dir, 'demo2'), '--server', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([expect.stringMatching(/^exbinder: unknown server 'nope' \(--server\): Contoso has EDGE01, /)]);
  }, 60_000);
});

describe('Appendix B attribute names', () => {
  it('are spelled as Active Directory spells them (the harvest passes its spelling in; the snapshot keys are lower case)', async () => {
    const out = join(dir, 'b.md');
    expect((await cli(['render', snapFile, '--format', 'md', '--out', out])).code).toBe(0);
    const md = await readFile(out, 'utf8');
    expect(Object.keys(snap.servers[0]!.raw)).toContain('msexchinstallpath');
    expect(md).toMatch(/^\| msExchInstallPath \| `/m);
    expect(md).not.toMatch(/^\| msexch/m);
  });
});


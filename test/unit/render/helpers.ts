/** Shared helpers for the render tests. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { harvest } from '../../../src/harvest/index.js';
import { attributeSpelling } from '../../../src/harvest/registry.js';
import { renderBinder } from '../../../src/render/index.js';
import { openLdif } from '../../../src/source/index.js';
import { parseSupplement, type Supplement } from '../../../src/render/supplement.js';
import type { Snapshot } from '../../../src/snapshot/model.js';

export const TEMPLATES = new URL('../../../templates', import.meta.url).pathname;

/** A supplement that answers every "ask" item for the sample organization. */
export function fullSupplement(snap: Snapshot): Supplement {
  const servers = Object.fromEntries(snap.servers.map((s, i) => [s.name, {
    hardware: { make: 'Dell', model: `PowerEdge R7${i}0`, cpu: '2 x Xeon', memory: `${16 * (i + 1)} GB`, disks: ['RAID 1'], nics: ['2 x 10 GbE'] },
    ipAddresses: [`10.9.9.${i + 1}`],
    diskSizes: { 'E:': '500 GB' },
    location: `Rack ${i + 1}`,
  }]));
  const yaml = JSON.stringify({
    antivirus: { fileLevel: 'AV-Files 1.0', exchangeAware: 'AV-Mail 2.0' },
    backup: { software: 'BackupPro 9', agentConfiguration: 'job EXCH-DAILY', mediaLocation: 'fire safe B1', keyLocation: 'vault entry 42' },
    certificate: { exportLocation: '\\\\nas\\certs\\mail.pfx' },
    inboundMail: { stopAt: 'firewall rule 7' },
    media: { operatingSystem: '\\\\nas\\iso\\windows', exchange: '\\\\nas\\iso\\exchange' },
    domainControllers: Object.fromEntries(snap.forest.domainControllers.map((d) => [d.name, { location: `Room ${d.name}` }])),
    servers: { ...servers, EX2010A: { ...servers['EX2010A'], virtual: { host: 'esx01', vmName: 'VM-EX2010A', imageBackupLocation: 'VM backup repo 3' } } },
  }, null, 2);
  return parseSupplement(yaml, 'full.json', snap);
}

export const md = new MarkdownIt({ html: true });

/**
 * The Markdown with its wrapped prose lines joined again (src/render/reflow.ts
 * wraps paragraphs and list items at 100 characters): tests look for a
 * sentence, not for where the wrapper broke it. A line that continues a
 * paragraph or list item (indented or not, starting no block) is joined to the
 * line before with one space; fenced code, tables, headings and comments stay.
 */
export function unwrap(markdown: string): string {
  const out: string[] = [];
  let fence = false;
  let prose = false; // the previous output line is paragraph or list-item text
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) { fence = !fence; out.push(line); prose = false; continue; }
    const body = line.trimStart();
    // (four spaces after text continue it: indented code cannot interrupt a paragraph)
    const block = fence || body === '' || /^(?:[#>|<]|[-+*] |\d+[.)] |`{3})/.test(body) || (!prose && /^ {4}/.test(line));
    if (prose && !block) out[out.length - 1] += ` ${body}`;
    else out.push(line);
    prose = !fence && body !== '' && !/^[#|<]/.test(body) && (prose || !/^ {4}/.test(line) || /^ *[-+*] /.test(line));
  }
  return out.join('\n');
}

/** Markdown lines of the section that starts with `# title` and ends at the next level-1 heading (wrapped prose joined, see unwrap). */
export function section(markdown: string, title: string): string {
  const lines = unwrap(markdown).split('\n');
  const start = lines.findIndex((l) => l === `# ${title}`);
  if (start < 0) throw new Error(`no section # ${title}`);
  const end = lines.findIndex((l, i) => i > start && /^# /.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** An export in fixtures/exports read through the LDIF source and the real harvest, at a fixed time. */
export async function harvestExport(file: string): Promise<Snapshot> {
  const dir = await openLdif([file]);
  try {
    return await harvest(dir, { toolVersion: '0.1.0-test', now: () => new Date('2026-11-24T06:00:00Z') });
  } finally {
    await dir.close();
  }
}

/** A fixture organization's export harvested, and its binder rendered as `exbinder render` does (Markdown and PDF). */
export async function fixtureBinder(org: 'contoso' | 'fabrikam'): Promise<{ snap: Snapshot; markdown: string; pdf: Buffer }> {
  const snap = await harvestExport(`fixtures/exports/${org}.ldif`);
  const b = await renderBinder(snap, { pdf: true, attributeSpelling });
  return { snap, markdown: b.markdown, pdf: b.pdf as Buffer };
}

/**
 * The example supplement names domain controller DC1; an export's DC is named after the
 * test-DC slot it was made from (dc1, dc2…), so point the example at it.
 */
export function exampleFor(snapshot: Snapshot): string {
  const dc = snapshot.forest.domainControllers[0]?.name ?? 'DC1';
  const file = join(mkdtempSync(join(tmpdir(), 'exb-sup-')), 'supplement.yaml');
  writeFileSync(file, readFileSync('fixtures/supplement.example.yaml', 'utf8').replace(/^  DC1:$/m, `  ${dc}:`));
  return file;
}

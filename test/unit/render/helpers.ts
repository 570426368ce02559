/** Shared helpers for the render tests. */
import MarkdownIt from 'markdown-it';
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

/** Markdown lines of the section that starts with `# title` and ends at the next level-1 heading. */
export function section(markdown: string, title: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l === `# ${title}`);
  if (start < 0) throw new Error(`no section # ${title}`);
  const end = lines.findIndex((l, i) => i > start && /^# /.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/**
 * Generates fixtures/hostile/hostile.ldif and fixtures/hostile/hostile-after.ldif:
 * the Contoso test export (fixtures/exports/contoso.ldif) with names, paths,
 * URLs and values that try to break every output: C0 and C1 control characters
 * (ESC sequences, BEL, BS, OSC 8 links), lone CR, CRLF and LF, Markdown
 * (headings, `|` rows, backticks, `*`, `[x](y)`), HTML (`<script>`, `<iframe>`,
 * `&amp;`), right-to-left marks and overrides, zero-width characters and
 * unbroken tokens of 10,000+ characters. "after" is the same organization a
 * day later with hostile values changed, for the drift reports.
 *
 *   npx tsx scripts/gen-hostile.ts            (output is committed; deterministic)
 *
 * Objects are renamed the way AD renames them: the RDN of the DN, `cn` and
 * `name` together, and every DN that points at them (links, back links,
 * children). Values that are not an LDIF SAFE-STRING are written base64, as
 * ldapsearch writes them. `plainTwin` gives the same organization with every
 * hostile character replaced by `x`: the tests render both and compare the
 * document structure, which must not differ.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { escapeDnValue } from '../src/dn.js';

const REPO = resolve(import.meta.dirname, '..');
export const HOSTILE_DIR = join(REPO, 'fixtures', 'hostile');
const SOURCE = join(REPO, 'fixtures', 'exports', 'contoso.ldif');

const AG = 'CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=test';
const ORG = 'CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=test';
const EX2019 = `CN=EX2019,CN=Servers,${AG}`;

/** 10,000+ characters without a break opportunity. */
export const LONG = {
  path: `D:\\${'A'.repeat(12_000)}`,
  url: `https://mail.contoso.com/${'u'.repeat(10_500)}`,
  pathAfter: `D:\\${'B'.repeat(12_000)}`,
};

/**
 * The renamed objects (old DN → new name) and the hostile values (DN of the
 * object → attribute → values). Every string here must come out of every
 * output inert: as text, never as markup, a terminal command or a line break.
 */
export const RENAMES: Record<string, string> = {
  // organization: inline Markdown and HTML, a terminal escape and a right-to-left override in a name printed in titles,
  // running headers, PDF metadata and headings
  [ORG]: 'Contoso <b>bold</b> | *star* _u_ [x](https://evil.example/) &amp; `tick` \u001b[7m\u202Eputs',
  // database: lone CR followed by block syntax (case 17 of issue 10, in a name)
  [`CN=DB2019-01,CN=Databases,${AG}`]: 'DB2019-01\r# Injected heading\r<script>alert(1)</script>',
  // DAG: terminal colours, BEL and backspaces
  [`CN=DAG1,CN=Database Availability Groups,${AG}`]: 'DAG1\u001b[31m RED\u001b[0m\u0007\u0008\u0008',
  // server: right-to-left override, right-to-left mark, zero-width space
  [`CN=EX2010A,CN=Servers,${AG}`]: 'EX2010A\u202Egnp.exe\u200F\u200B',
  // receive connector: CRLF and LF carrying a table row
  [`CN=Relay EX2019,CN=SMTP Receive Connectors,CN=Protocols,${EX2019}`]: 'Relay EX2019\r\n| injected | row |\n|---|---|',
  // accepted domain: C1 NEL (a line break for some readers) and an iframe
  [`CN=partner.contoso.test,CN=Accepted Domains,CN=Transport Settings,${ORG}`]: 'partner.contoso.test\u0085<iframe src="https://evil.example/">',
};

export const VALUES: Record<string, Record<string, string[]>> = {
  [`CN=DB2019-01,CN=Databases,${AG}`]: {
    msExchEDBFile: ['D:\\ExchangeDatabases\\DB2019-01\r<script>alert(1)</script>\r# Injected path heading\r```\rDB.edb'],
    msExchESEParamLogFilePath: ['D:\\Logs\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007\u009b31m\u0090dcs\u009c'],
    msExchESEParamSystemPath: [LONG.path],
  },
  [`CN=DAG1,CN=Database Availability Groups,${AG}`]: {
    msExchMDBAvailabilityGroupName: ['DAG1\u001b[31m RED\u001b[0m\u0007\u0008\u0008'],
    msExchFileShareWitness: ['\\\\fs01.contoso.test\\DAG1 | x | y |'],
    msExchFileShareWitnessDirectory: ['C:\\DAGFileShareWitnesses\\DAG1\r\n> quoted\r\n- item'],
  },
  [EX2019]: {
    msExchInstallPath: ['C:\\Program Files\\Microsoft\\Exchange Server\\V15\r\n## Injected install\r\n<iframe src=x></iframe>'],
    msExchDataPath: ['C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Mailbox\u2028line\u2029para\u000bvt\u000cff'],
    msExchTransportConnectivityLogPath: [LONG.path],
  },
  [`CN=owa (Default Web Site),CN=HTTP,CN=Protocols,${EX2019}`]: {
    msExchInternalHostName: ['https://mail.contoso.test/owa/<script>alert(1)</script>?a=1&amp;b=2&lt;i&gt;'],
    msExchExternalHostName: ['https://mail.contoso.com/owa/[click](javascript:alert(1))\u202Eexe.txt'],
  },
  [`CN=ecp (Default Web Site),CN=HTTP,CN=Protocols,${EX2019}`]: {
    msExchExternalHostName: [LONG.url],
  },
  [`CN=Internet,CN=Connections,CN=Exchange Routing Group (DWBGZMFD01QNBJR),CN=Routing Groups,${AG}`]: {
    msExchSmtpSmartHost: ['smtp\u200B.relay\u200D.contoso.example\u2028<img src=x onerror=alert(1)>'],
    msExchSMTPSendConnectorFQDN: ['mail.contoso.com\b\b\b\bevil.com'],
  },
  [`CN=Relay EX2019,CN=SMTP Receive Connectors,CN=Protocols,${EX2019}`]: {
    msExchSmtpReceiveRemoteIPRanges: ['10.0.20.15\r\n# Injected range', '10.0.20.16\u001b[2K'],
    msExchSMTPReceiveConnectorFQDN: ['relay.contoso.test\u0007\u007f'],
  },
  [`CN=partner.contoso.test,CN=Accepted Domains,CN=Transport Settings,${ORG}`]: {
    msExchAcceptedDomainName: ['partner.contoso.test\u0085<iframe src="https://evil.example/">'],
  },
};

/** The day after: hostile values changed (old and new both print in the drift reports). */
export const AFTER: Record<string, Record<string, string[]>> = {
  [`CN=DB2019-01,CN=Databases,${AG}`]: {
    msExchEDBFile: ['E:\\Moved\r# Injected after heading\r<iframe src="https://evil.example/">\rDB.edb'],
    msExchESEParamSystemPath: [LONG.pathAfter],
  },
  [EX2019]: {
    msExchInstallPath: ['D:\\V15\u001b[2J\u001b[H\rCRITICAL fake\nline'],
  },
  [`CN=owa (Default Web Site),CN=HTTP,CN=Protocols,${EX2019}`]: {
    msExchInternalHostName: ['https://mail.contoso.test/owa/\u202Egnp.exe\u200B|pipe|`tick`'],
  },
  [`CN=Relay EX2019,CN=SMTP Receive Connectors,CN=Protocols,${EX2019}`]: {
    msExchSmtpReceiveRemoteIPRanges: ['10.0.20.15\r\n# Injected range', '10.0.20.16\u001b[2K', '10.0.99.0/24\u0085<script>x</script>'],
  },
};

const AFTER_WHEN = '20261208060000.0Z';

/**
 * Every hostile character (anything but letters, digits and plain path/URL
 * punctuation) as `x`, as many as the outputs print for it (a control
 * character prints as U+hhhh), so the twin has the same shape and about the
 * same line lengths.
 */
export function plainText(s: string): string {
  let out = '';
  for (const c of s) out += /[A-Za-z0-9 .:\\/-]/.test(c) ? c : 'x'.repeat(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e]/.test(c) ? 6 : 1);
  return out;
}

// ---------------------------------------------------------------- a minimal LDIF reader and writer (export style)
type Value = string | Buffer;
interface Rec { comments: string[]; dn: Value; attrs: [string, Value][] }

function isText(b: Buffer): string | null {
  try {
    const s = new TextDecoder('utf-8', { fatal: true }).decode(b);
    return /[\u0000-\u0008\u000e-\u001f]/.test(s) ? null : s;
  } catch {
    return null;
  }
}

function read(text: string): { header: string[]; records: Rec[] } {
  const header: string[] = [];
  const records: Rec[] = [];
  let comments: string[] = [];
  let cur: Rec | null = null;
  for (const raw of text.split('\n')) {
    if (raw === '') { cur = null; continue; }
    if (raw.startsWith('#') || (!cur && !raw.startsWith('dn:'))) {
      // before the first entry: the file header (version:, comments); later: the comment leading the next block
      (records.length === 0 && !raw.startsWith('# ----') ? header : comments).push(raw);
      continue;
    }
    if (raw.startsWith(' ')) throw new Error('folded lines are not expected in the export (ldif-wrap=no)');
    const m = /^([^:]+)(::?) ?(.*)$/.exec(raw);
    if (!m) throw new Error(`unexpected LDIF line ${raw.slice(0, 60)}`);
    const [, name, sep, v] = m as unknown as [string, string, string, string];
    const value: Value = sep === '::' ? (isText(Buffer.from(v, 'base64')) ?? Buffer.from(v, 'base64')) : v;
    if (name === 'dn') {
      cur = { comments, dn: value, attrs: [] };
      comments = [];
      records.push(cur);
    } else {
      cur!.attrs.push([name, value]);
    }
  }
  return { header, records };
}

/** RFC 2849 SAFE-STRING, else base64 (as ldapsearch decides). */
function line(name: string, v: Value): string {
  if (Buffer.isBuffer(v)) return `${name}:: ${v.toString('base64')}`;
  const safe = v === '' || (/^[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*$/.test(v) && !v.endsWith(' '));
  if (v === '') return `${name}:`;
  return safe ? `${name}: ${v}` : `${name}:: ${Buffer.from(v, 'utf8').toString('base64')}`;
}

function write(header: string[], records: Rec[]): string {
  return header.join('\n') + '\n\n' + records.map((r) => [...r.comments, ...(r.comments.length ? [''] : []), line('dn', r.dn), ...r.attrs.map(([k, v]) => line(k, v))].join('\n') + '\n').join('\n');
}

// ---------------------------------------------------------------- the transform
export type Variant = 'before' | 'after';

export function generateHostile(variant: Variant, opts: { plain?: boolean } = {}): string {
  const fix = (s: string) => (opts.plain ? plainText(s) : s);
  const { header, records } = read(readFileSync(SOURCE, 'utf8'));
  // old DN → new DN, deepest first: a child is renamed on the original DN, then its parent's rename moves the suffix
  const renames = Object.entries(RENAMES)
    .map(([dn, name]) => ({ dn, name: fix(name), to: `CN=${escapeDnValue(fix(name))},${dn.slice(dn.indexOf(',') + 1)}` }))
    .sort((a, b) => b.dn.length - a.dn.length);
  const moveDn = (s: string): string => {
    for (const r of renames) {
      if (s === r.dn) s = r.to;
      else if (s.endsWith(`,${r.dn}`)) s = s.slice(0, s.length - r.dn.length) + r.to;
    }
    return s;
  };
  const found = new Set<string>();
  for (const rec of records) {
    const oldDn = String(rec.dn);
    const rename = renames.find((r) => r.dn === oldDn);
    const values = { ...(VALUES[oldDn] ?? {}), ...(variant === 'after' ? (AFTER[oldDn] ?? {}) : {}) };
    if (rename || VALUES[oldDn]) found.add(oldDn);
    rec.dn = moveDn(oldDn);
    const out: [string, Value][] = [];
    const done = new Set<string>();
    for (const [k, v] of rec.attrs) {
      const key = Object.keys(values).find((a) => a.toLowerCase() === k.toLowerCase());
      if (key) {
        if (!done.has(key)) out.push(...values[key]!.map((x): [string, Value] => [k, fix(x)]));
        done.add(key);
      } else if (rename && (k === 'cn' || k === 'name')) {
        out.push([k, rename.name]);
      } else if (variant === 'after' && AFTER[oldDn] && k === 'whenChanged') {
        out.push([k, AFTER_WHEN]);
      } else {
        out.push([k, typeof v === 'string' ? moveDn(v) : v]);
      }
    }
    for (const k of Object.keys(values)) if (!done.has(k)) throw new Error(`${oldDn}: no ${k} in the source export to replace`);
    rec.attrs = out;
  }
  for (const dn of [...Object.keys(RENAMES), ...Object.keys(VALUES)]) if (!found.has(dn)) throw new Error(`not in the source export: ${dn}`);
  const head = [
    `# Generated by scripts/gen-hostile.ts from fixtures/exports/contoso.ldif (${variant}${opts.plain ? ', plain twin' : ''}) — do not edit.`,
    '# Hostile names and values (control characters, line breaks, Markdown, HTML, bidi, zero-width, 10,000+ character tokens) for the issue 10 output tests.',
    ...header.filter((l) => !l.startsWith('#')),
  ];
  return write(head, records);
}

if (resolve(process.argv[1] ?? '') === import.meta.filename) {
  mkdirSync(HOSTILE_DIR, { recursive: true });
  for (const [variant, file] of [['before', 'hostile.ldif'], ['after', 'hostile-after.ldif']] as const) {
    const text = generateHostile(variant);
    writeFileSync(join(HOSTILE_DIR, file), text);
    console.log(`wrote fixtures/hostile/${file} (${(text.length / 1024).toFixed(0)} KiB)`);
  }
}

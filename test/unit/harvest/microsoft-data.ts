/**
 * Readers for the Microsoft data quoted in fixtures/microsoft/: the decoder
 * tests take their expected values from these quotes (Microsoft's pages,
 * CSS-Exchange, real setup logs), never from the tables in src/.
 */
import { readFileSync } from 'node:fs';

export const quoted = (file: string): string => readFileSync(new URL(`../../../fixtures/microsoft/${file}`, import.meta.url), 'utf8');

const PRODUCT: Record<string, string> = {
  '2007': 'Exchange Server 2007', '2010': 'Exchange Server 2010', '2013': 'Exchange Server 2013',
  '2016': 'Exchange Server 2016', '2019': 'Exchange Server 2019', SE: 'Exchange Server SE',
  Exchange2013: 'Exchange Server 2013', Exchange2016: 'Exchange Server 2016', Exchange2019: 'Exchange Server 2019', ExchangeSE: 'Exchange Server SE',
};

export interface QuotedBuild { product: string; release: string; build: string; source: string }

/** Release media builds: the build-numbers page rows and CSS-Exchange's dictionary lines. */
export function quotedBuilds(): QuotedBuild[] {
  const text = quoted('build-numbers.md');
  const out: QuotedBuild[] = [];
  for (const m of text.matchAll(/^\|\[?Exchange Server (20(?:07|10|13|16|19)) (RTM|SP\d|CU\d+)(?:\]\([^)]*\))?\|[^|]*\|([\d.]+)\|/gm)) {
    out.push({ product: PRODUCT[m[1]!]!, release: m[2]!, build: m[3]!, source: 'build-numbers page' });
  }
  for (const m of text.matchAll(/^(Exchange\w+) (L\d+): "(CU\d+|RTM)" = \(NewCUAndSUObject "([\d.]+)"/gm)) {
    // CSS-Exchange calls 2013 SP1 "CU4"
    const release = m[1] === 'Exchange2013' && m[3] === 'CU4' ? 'SP1' : m[3]!;
    out.push({ product: PRODUCT[m[1]!]!, release, build: m[4]!, source: `CSS-Exchange ${m[2]}` });
  }
  return out;
}

export interface QuotedLevel { product: string; release: string; rangeUpper: number; meso: number; org: number; source: string }

/** Rows of the "Active Directory versions" tables (and the rows the CSS-Exchange lines give). */
export function quotedLevels(): QuotedLevel[] {
  const out: QuotedLevel[] = [];
  for (const m of quoted('prepare-ad-versions.md').matchAll(/^\|Exchange (20\d\d|SE) (RTM|SP1|CU\d+(?:-CU\d+)?(?: with KB\d+)?)\|(\d+)\|(\d+)\|(\d+)\|$/gm)) {
    const [, ver, rel, ru, meso, org] = m;
    const range = /^CU(\d+)-CU(\d+)$/.exec(rel!);
    const releases = range ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => `CU${Number(range[1]) + i}`) : [rel!];
    for (const release of releases) out.push({ product: PRODUCT[ver!]!, release, rangeUpper: Number(ru), meso: Number(meso), org: Number(org), source: m[0] });
  }
  return out;
}

export interface SetupLog { file: string; setupBuild: string; serials: string[]; roles: number[]; orgVersion: number | null }

/** One entry per quoted CSS-Exchange setup log. */
export function setupLogs(): SetupLog[] {
  const logs = new Map<string, SetupLog>();
  for (const m of quoted('css-setup-logs.md').matchAll(/^(Setup\/Tests\/\S+?\.log):\d+:(.*)$/gm)) {
    const file = m[1]!;
    const line = m[2]!;
    const log = logs.get(file) ?? { file, setupBuild: '', serials: [], roles: [], orgVersion: null };
    const v = /Setup version: ([\d.]+?)\.$/.exec(line);
    if (v) log.setupBuild = v[1]!;
    const s = /Setting:ExchangeSerialNumber\].*?\[Value:"([^"]+)"\]/.exec(line);
    if (s) log.serials.push(s[1]!);
    const r = /Setting:ExchangeCurrentServerRoles\].*?\[Value:"(\d+)"\]/.exec(line);
    if (r) log.roles.push(Number(r[1]));
    const o = /\$RoleOrgConfigVersion = '(\d+)'/.exec(line);
    if (o) log.orgVersion = Number(o[1]);
    logs.set(file, log);
  }
  return [...logs.values()];
}

/**
 * Forest and domain preparation levels → the releases that write them. They
 * decide which setup media (and /PrepareSchema, /PrepareAD, /PrepareDomain) a
 * recovery needs. One row per release, as Microsoft publishes them:
 * - 2000–2010: TechNet wiki 2772 "Exchange Schema Versions – Common Questions & Answers".
 * - 2013: "Prepare Active Directory and domains" for Exchange 2013
 *   (learn.microsoft.com/exchange/prepare-active-directory-and-domains-exchange-2013-help), table
 *   "Exchange 2013 Active Directory versions", including its "CU23 with KB5004778" row.
 * - 2016 RTM–CU22, 2019 RTM–CU11: "Prepare Active Directory and domains"
 *   (learn.microsoft.com/exchange/plan-and-deploy/prepare-ad-and-domains), "Exchange 2016/2019 Active
 *   Directory versions".
 * - 2016 CU23, 2019 CU12–CU15, SE RTM, and the values security updates write: microsoft/CSS-Exchange
 *   Shared/Get-ExchangeBuildVersionInformation.ps1 (commit f88378b1), whose switch falls through, so a CU
 *   keeps the value of the nearest later CU that sets one (2019 CU13: org 16761, schema 17003 and
 *   MESO 13243 from the branches above it).
 * Several releases share a value (2007 SP2 and 2010 RTM both write rangeUpper 14622), so a value maps to
 * the text naming all of them.
 */
export interface PreparationLevel {
  readonly product: string;
  readonly release: string;
  /** rangeUpper of CN=ms-Exch-Schema-Version-Pt */
  readonly rangeUpper: number | null;
  /** objectVersion of the organization object (config NC) */
  readonly org: number | null;
  /** objectVersion of CN=Microsoft Exchange System Objects (each domain) */
  readonly meso: number | null;
  /** true for a level an update (not setup of a CU) writes: named on its own, never merged into a CU range */
  readonly update?: boolean;
}

const E2000 = 'Exchange 2000 Server';
const E2003 = 'Exchange Server 2003';
const E2007 = 'Exchange Server 2007';
const E2010 = 'Exchange Server 2010';
const E2013 = 'Exchange Server 2013';
const E2016 = 'Exchange Server 2016';
const E2019 = 'Exchange Server 2019';
const ESE = 'Exchange Server SE';

const lv = (product: string, release: string, rangeUpper: number | null, org: number | null, meso: number | null, update = false): PreparationLevel =>
  ({ product, release, rangeUpper, org, meso, ...(update ? { update } : {}) });

/** Releases in the order they shipped within each product (the order CU ranges are read in). */
export const PREPARATION_LEVELS: readonly PreparationLevel[] = [
  lv(E2000, 'RTM', 4397, null, null),
  lv(E2000, 'SP3', 4406, null, 4406),
  lv(E2003, 'RTM', 6870, 6903, 6936), lv(E2003, 'SP1', 6870, 6903, 6936), lv(E2003, 'SP2', 6870, 6903, 6936),
  lv(E2007, 'RTM', 10637, 10666, 10628), lv(E2007, 'SP1', 11116, 11221, 11221),
  lv(E2007, 'SP2', 14622, 11222, 11221), lv(E2007, 'SP3', 14625, 11222, 11221),
  lv(E2010, 'RTM', 14622, 12640, 12639), lv(E2010, 'SP1', 14726, 13214, 13040),
  lv(E2010, 'SP2', 14732, 14247, 13040), lv(E2010, 'SP3', 14734, 14322, 13040),
  lv(E2013, 'RTM', 15137, 15449, 13236), lv(E2013, 'CU1', 15254, 15614, 13236), lv(E2013, 'CU2', 15281, 15688, 13236),
  lv(E2013, 'CU3', 15283, 15763, 13236), lv(E2013, 'SP1', 15292, 15844, 13236), lv(E2013, 'CU5', 15300, 15870, 13236),
  lv(E2013, 'CU6', 15303, 15965, 13236),
  ...['CU7', 'CU8', 'CU9'].map((cu) => lv(E2013, cu, 15312, 15965, 13236)),
  ...Array.from({ length: 12 }, (_, i) => lv(E2013, `CU${10 + i}`, 15312, 16130, 13236)),
  lv(E2013, 'CU22', 15312, 16131, 13236), lv(E2013, 'CU23', 15312, 16133, 13237),
  lv(E2013, 'CU23 with KB5004778', 15313, null, null, true),
  lv(E2013, 'CU23 with the May 2022 SU', null, null, 13238, true),
  lv(E2016, 'RTM', 15317, 16210, 13236), lv(E2016, 'CU1', 15323, 16211, 13236), lv(E2016, 'CU2', 15325, 16212, 13236),
  lv(E2016, 'CU3', 15326, 16212, 13236), lv(E2016, 'CU4', 15326, 16213, 13236), lv(E2016, 'CU5', 15326, 16213, 13236),
  lv(E2016, 'CU6', 15330, 16213, 13236),
  ...['CU7', 'CU8', 'CU9', 'CU10'].map((cu) => lv(E2016, cu, 15332, 16213, 13236)),
  lv(E2016, 'CU11', 15332, 16214, 13236), lv(E2016, 'CU12', 15332, 16215, 13236),
  ...['CU13', 'CU14', 'CU15', 'CU16', 'CU17'].map((cu) => lv(E2016, cu, 15332, 16217, 13237)),
  lv(E2016, 'CU18', 15332, 16218, 13238), lv(E2016, 'CU19', 15333, 16219, 13239), lv(E2016, 'CU20', 15333, 16220, 13240),
  lv(E2016, 'CU21', 15334, 16221, 13241), lv(E2016, 'CU22', 15334, 16222, 13242), lv(E2016, 'CU23', 15334, 16223, 13243),
  lv(E2016, 'CU22 with the May 2022 SU', null, null, 13243, true),
  lv(E2019, 'RTM', 17000, 16751, 13236), lv(E2019, 'CU1', 17000, 16752, 13236),
  ...['CU2', 'CU3', 'CU4', 'CU5', 'CU6'].map((cu) => lv(E2019, cu, 17001, 16754, 13237)),
  lv(E2019, 'CU7', 17001, 16755, 13238), lv(E2019, 'CU8', 17002, 16756, 13239), lv(E2019, 'CU9', 17002, 16757, 13240),
  lv(E2019, 'CU10', 17003, 16758, 13241), lv(E2019, 'CU11', 17003, 16759, 13242), lv(E2019, 'CU12', 17003, 16760, 13243),
  lv(E2019, 'CU13', 17003, 16761, 13243), lv(E2019, 'CU14', 17003, 16762, 13243), lv(E2019, 'CU15', 17003, 16763, 13243),
  lv(E2019, 'CU11 with the May 2022 SU', null, null, 13243, true),
  lv(ESE, 'RTM', 17003, 16763, 13243),
];

export type PreparationKind = 'rangeUpper' | 'org' | 'meso';

/** Every release that writes this value, in shipping order. */
export function releasesWriting(kind: PreparationKind, value: number | null): Array<{ product: string; release: string }> {
  if (value === null) return [];
  return PREPARATION_LEVELS.filter((l) => l[kind] === value).map((l) => ({ product: l.product, release: l.release }));
}

/** "Exchange Server 2016 CU7–CU18 or Exchange Server 2019 …": consecutive releases of a product as one range. */
function describeLevel(kind: PreparationKind, value: number): string | null {
  const parts: string[] = [];
  const products = [...new Set(PREPARATION_LEVELS.map((l) => l.product))];
  for (const product of products) {
    const rels = PREPARATION_LEVELS.filter((l) => l.product === product && !l.update);
    let i = 0;
    while (i < rels.length) {
      if (rels[i]![kind] !== value) { i++; continue; }
      let j = i;
      while (j + 1 < rels.length && rels[j + 1]![kind] === value) j++;
      parts.push(`${product} ${rels[i]!.release}${j > i ? `–${rels[j]!.release}` : ''}`);
      i = j + 1;
    }
    for (const u of PREPARATION_LEVELS.filter((l) => l.product === product && l.update && l[kind] === value)) parts.push(`${product} ${u.release}`);
  }
  return parts.length ? parts.join(' or ') : null;
}

function labels(kind: PreparationKind): ReadonlyMap<number, string> {
  const values = [...new Set(PREPARATION_LEVELS.map((l) => l[kind]).filter((v): v is number => v !== null))].sort((a, b) => a - b);
  return new Map(values.map((v) => [v, describeLevel(kind, v)!]));
}

/** rangeUpper of CN=ms-Exch-Schema-Version-Pt → releases */
export const SCHEMA_RANGE_UPPER: ReadonlyMap<number, string> = labels('rangeUpper');
/** objectVersion of the organization object (config NC) → releases */
export const ORG_OBJECT_VERSION: ReadonlyMap<number, string> = labels('org');
/** objectVersion of CN=Microsoft Exchange System Objects (per domain) → releases */
export const MESO_OBJECT_VERSION: ReadonlyMap<number, string> = labels('meso');

export function schemaRelease(rangeUpper: number | null): string | null {
  return rangeUpper === null ? null : SCHEMA_RANGE_UPPER.get(rangeUpper) ?? null;
}

export function orgRelease(objectVersion: number | null): string | null {
  return objectVersion === null ? null : ORG_OBJECT_VERSION.get(objectVersion) ?? null;
}

export function mesoRelease(objectVersion: number | null): string | null {
  return objectVersion === null ? null : MESO_OBJECT_VERSION.get(objectVersion) ?? null;
}

/**
 * msDS-Behavior-Version → functional level name ([MS-ADTS] 6.1.4.4). 8 and 9
 * were never assigned; 10 is Windows Server 2025.
 */
const FUNCTIONAL_LEVELS: ReadonlyMap<number, string> = new Map([
  [0, 'Windows 2000'],
  [1, 'Windows Server 2003 interim'],
  [2, 'Windows Server 2003'],
  [3, 'Windows Server 2008'],
  [4, 'Windows Server 2008 R2'],
  [5, 'Windows Server 2012'],
  [6, 'Windows Server 2012 R2'],
  [7, 'Windows Server 2016'],
  [10, 'Windows Server 2025'],
]);

export function functionalLevelName(level: number | null): string | null {
  return level === null ? null : FUNCTIONAL_LEVELS.get(level) ?? null;
}

/** The MESO container of a domain: CN=Microsoft Exchange System Objects directly under its NC head. */
export function mesoDn(domainDn: string): string {
  return `CN=Microsoft Exchange System Objects,${domainDn}`;
}

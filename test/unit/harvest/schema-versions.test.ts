import { describe, expect, it } from 'vitest';
import {
  functionalLevelName, mesoRelease, orgRelease, releasesWriting, schemaRelease,
} from '../../../src/exchange/schema-versions.js';
import { quotedLevels, setupLogs } from './microsoft-data.js';

const has = (list: Array<{ product: string; release: string }>, product: string, release: string) =>
  list.some((r) => r.product === product && r.release === release);

describe('every level in Microsoft\'s "Active Directory versions" tables names its release', () => {
  const rows = quotedLevels();
  it('the quotes hold 2013 RTM–CU23, 2016 RTM–CU23, 2019 RTM–CU15 and SE RTM', () => {
    const names = new Set(rows.map((r) => `${r.product} ${r.release}`));
    // 24 (2013 RTM, CU1–CU3, SP1, CU5–CU23) + its KB5004778 row + 24 (2016) + 16 (2019) + 1 (SE)
    expect(names.size).toBe(66);
  });
  it.each(rows.map((r) => [`${r.product} ${r.release}: ${r.rangeUpper} / ${r.meso} / ${r.org}`, r] as const))('%s', (_n, r) => {
    expect(has(releasesWriting('rangeUpper', r.rangeUpper), r.product, r.release)).toBe(true);
    expect(schemaRelease(r.rangeUpper)).not.toBeNull();
    if (!r.release.includes(' with ')) {
      expect(has(releasesWriting('org', r.org), r.product, r.release)).toBe(true);
      expect(has(releasesWriting('meso', r.meso), r.product, r.release)).toBe(true);
    }
    expect(orgRelease(r.org)).not.toBeNull();
    expect(mesoRelease(r.meso)).not.toBeNull();
  });
  it('no value names a release the tables give another value', () => {
    for (const kind of ['rangeUpper', 'org', 'meso'] as const) {
      for (const r of rows.filter((x) => !x.release.includes(' with '))) {
        for (const other of new Set(rows.map((x) => x[kind]))) {
          if (other !== r[kind]) expect(has(releasesWriting(kind, other), r.product, r.release), `${kind} ${other} vs ${r.product} ${r.release}`).toBe(false);
        }
      }
    }
  });
});

describe('labels an admin reads (the values the issue found wrong or missing)', () => {
  it.each([
    [15332, 'Exchange Server 2016 CU7–CU18'],
    [15333, 'Exchange Server 2016 CU19–CU20'],
    [15334, 'Exchange Server 2016 CU21–CU23'],
    [14622, 'Exchange Server 2007 SP2 or Exchange Server 2010 RTM'],
    [17003, 'Exchange Server 2019 CU10–CU15 or Exchange Server SE RTM'],
    [15313, 'Exchange Server 2013 CU23 with KB5004778'],
  ])('rangeUpper %i → %s', (v, label) => expect(schemaRelease(v)).toBe(label));
  it.each([
    [16217, 'Exchange Server 2016 CU13–CU17'],
    [16761, 'Exchange Server 2019 CU13'],
    [16763, 'Exchange Server 2019 CU15 or Exchange Server SE RTM'],
  ])('org objectVersion %i → %s', (v, label) => expect(orgRelease(v)).toBe(label));
  it.each([
    [13237, 'Exchange Server 2013 CU23 or Exchange Server 2016 CU13–CU17 or Exchange Server 2019 CU2–CU6'],
    [13242, 'Exchange Server 2016 CU22 or Exchange Server 2019 CU11'],
  ])('MESO objectVersion %i → %s', (v, label) => expect(mesoRelease(v)).toBe(label));
  it('unknown and absent', () => {
    expect(schemaRelease(17999)).toBeNull();
    expect(schemaRelease(null)).toBeNull();
    expect(orgRelease(16764)).toBeNull();
    expect(mesoRelease(13244)).toBeNull();
  });
});

describe('organization objectVersion written by real setup runs (CSS-Exchange setup logs)', () => {
  const logs = setupLogs().filter((l) => l.orgVersion !== null);
  it('the quotes hold two setup builds with their $RoleOrgConfigVersion', () => expect(logs.map((l) => [l.setupBuild, l.orgVersion])).toEqual([
    ['15.1.2176.2', 16219], ['15.1.2044.4', 16217], ['15.1.2176.2', 16219],
  ]));
  // 15.1.2176.2 is 2016 CU19 and 15.1.2044.4 is 2016 CU17 on the build-numbers page (fixtures/microsoft/build-numbers.md)
  it.each([['15.1.2176.2', 'CU19'], ['15.1.2044.4', 'CU17']])('setup %s (2016 %s) writes a value naming that CU', (build, cu) => {
    const log = logs.find((l) => l.setupBuild === build)!;
    expect(has(releasesWriting('org', log.orgVersion), 'Exchange Server 2016', cu)).toBe(true);
  });
});

describe('functional levels', () => {
  it.each([
    [0, 'Windows 2000'],
    [1, 'Windows Server 2003 interim'],
    [2, 'Windows Server 2003'],
    [3, 'Windows Server 2008'],
    [4, 'Windows Server 2008 R2'],
    [5, 'Windows Server 2012'],
    [6, 'Windows Server 2012 R2'],
    [7, 'Windows Server 2016'],
    [10, 'Windows Server 2025'],
  ])('%i → %s', (level, name) => expect(functionalLevelName(level)).toBe(name));
  it('unassigned levels have no name', () => {
    expect(functionalLevelName(8)).toBeNull();
    expect(functionalLevelName(9)).toBeNull();
    expect(functionalLevelName(null)).toBeNull();
  });
});

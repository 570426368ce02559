import { describe, expect, it } from 'vitest';
import { BUILDS } from '../../../src/harvest/decode/build-table.js';
import { describeBuild, parseSerialNumber, parseVersionNumber, productOf } from '../../../src/harvest/decode/version.js';

/** serialNumber as Exchange setup writes it: +30000 on the build for 2007 and later. */
function serialOf(major: number, minor: number, build: number, revision: number): string {
  return `Version ${major}.${minor} (Build ${major >= 8 ? build + 30000 : build}.${revision})`;
}

describe('build table: one test per row', () => {
  it.each(BUILDS.map((r) => [`${productOf(r)} ${r.release} (${r.major}.${r.minor}.${r.build})`, r] as const))('%s', (_name, row) => {
    const parsed = parseSerialNumber(serialOf(row.major, row.minor, row.build, 7))!;
    expect(parsed).toEqual({ major: row.major, minor: row.minor, build: row.build, revision: 7 });
    const { version, known } = describeBuild(parsed);
    expect(known).toBe(true);
    expect(version.release).toBe(row.release);
    expect(version.label).toBe(`${productOf(row)} ${row.release} (${row.major}.${row.minor}.${row.build}.7)`);
  });
});

describe('serialNumber', () => {
  it.each([
    ['Version 6.5 (Build 6944.4)', 'Exchange Server 2003', 'RTM', '6.5.6944.4'],
    ['Version 6.5 (Build 7638.2: Service Pack 2)', 'Exchange Server 2003', 'SP2', '6.5.7638.2'],
    ['Version 6.0 (Build 6249.4: Service Pack 3)', 'Exchange 2000 Server', 'SP3', '6.0.6249.4'],
    ['Version 8.1 (Build 30240.6)', 'Exchange Server 2007', 'SP1', '8.1.240.6'],
    ['Version 8.3 (Build 30083.6)', 'Exchange Server 2007', 'SP3', '8.3.83.6'],
    ['Version 14.3 (Build 30123.4)', 'Exchange Server 2010', 'SP3', '14.3.123.4'],
    ['Version 15.0 (Build 31497.2)', 'Exchange Server 2013', 'CU23', '15.0.1497.2'],
    ['Version 15.1 (Build 31034.26)', 'Exchange Server 2016', 'CU6', '15.1.1034.26'],
    ['Version 15.1 (Build 32507.6)', 'Exchange Server 2016', 'CU23', '15.1.2507.6'],
    ['Version 15.2 (Build 31748.10)', 'Exchange Server 2019', 'CU15', '15.2.1748.10'],
    ['Version 15.2 (Build 32562.17)', 'Exchange Server SE', 'RTM', '15.2.2562.17'],
    // older tools wrote +10000
    ['Version 14.3 (Build 10123.4)', 'Exchange Server 2010', 'SP3', '14.3.123.4'],
    // case-insensitive, as Exchange's own parser
    ['version 15.1 (build 32507.6)', 'Exchange Server 2016', 'CU23', '15.1.2507.6'],
  ])('%s → %s %s', (serial, product, release, build) => {
    const { version, known } = describeBuild(parseSerialNumber(serial)!);
    expect(known).toBe(true);
    expect(version.product).toBe(product);
    expect(version.release).toBe(release);
    expect(version.label).toBe(`${product} ${release} (${build})`);
  });

  it('an unknown build keeps product from major/minor and has no release', () => {
    const { version, known } = describeBuild(parseSerialNumber('Version 15.2 (Build 39999.1)')!);
    expect(known).toBe(false);
    expect(version).toEqual({
      major: 15, minor: 2, build: 9999, revision: 1, product: 'Exchange Server SE', release: null,
      label: 'Exchange Server SE, unknown build (15.2.9999.1)',
    });
    const odd = describeBuild(parseSerialNumber('Version 16.0 (Build 30001.1)')!);
    expect(odd.version.product).toBe('unknown');
    expect(odd.version.label).toBe('Unknown Exchange version, unknown build (16.0.1.1)');
  });

  it('text without a version is not parsed', () => {
    expect(parseSerialNumber('garbage')).toBeNull();
    expect(parseSerialNumber('Version 15.1')).toBeNull();
  });

  it('build without revision', () => {
    expect(parseSerialNumber('Version 8.3 (Build 30083)')).toEqual({ major: 8, minor: 3, build: 83, revision: null });
  });
});

describe('versionNumber', () => {
  it.each([
    [1912832083, 8, 3, 83],
    [1937997947, 14, 3, 123],
    [1942063563, 15, 1, 2507],
    [1942128340, 15, 2, 1748],
    [1942129154, 15, 2, 2562],
    // 2000/2003 store the plain build
    [7638, 6, 5, 7638],
    [6944, 6, 5, 6944],
    [6249, 6, 0, 6249],
  ])('%i → %i.%i.%i', (value, major, minor, build) => {
    expect(parseVersionNumber(value)).toEqual({ major, minor, build, revision: null });
  });

  it('rejects non-positive values', () => {
    expect(parseVersionNumber(0)).toBeNull();
    expect(parseVersionNumber(-5)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';

import { BUILDS } from '../../../src/exchange/build-table.js';
import { describeBuild } from '../../../src/harvest/decode/version.js';
import { parseSerialNumber, parseVersionNumber, productOf, serialStamp } from '../../../src/exchange/version.js';
import { quoted, quotedBuilds, setupLogs } from './microsoft-data.js';

/** serialNumber as Exchange setup writes it: +30000 on the build for 2007 and later. */
function serialOf(build: string): string {
  const [major, minor, b, rev] = build.split('.').map(Number) as [number, number, number, number];
  return `Version ${major}.${minor} (Build ${major >= 8 ? b + 30000 : b}.${rev})`;
}

describe('every release Microsoft lists decodes to that release', () => {
  const rows = quotedBuilds();
  it('the quotes hold every 2007–SE release', () => {
    // 4 (2007) + 4 (2010) + 24 (2013) + 24 (2016) + 16 (2019) + 1 (SE); both sources overlap
    const names = new Set(rows.map((r) => `${r.product} ${r.release}`));
    expect(names.size).toBe(73);
  });
  it.each(rows.map((r) => [`${r.product} ${r.release} ${r.build} (${r.source})`, r] as const))('%s', (_n, row) => {
    const parsed = parseSerialNumber(serialOf(row.build))!;
    const { version, known } = describeBuild(parsed);
    expect(known).toBe(true);
    expect(version.product).toBe(row.product);
    expect(version.release).toBe(row.release);
    expect(version.label).toBe(`${row.product} ${row.release} (${row.build})`);
    // the media build itself is never "SU-stamped"
    expect(serialStamp(parsed)).toBeNull();
  });
});

describe('every row of the build table is a release Microsoft lists', () => {
  const text = quoted('build-numbers.md');
  const listed = new Set(quotedBuilds().map((r) => `${r.product} ${r.release} ${r.build}`));
  // update rollups: "|[Update Rollup 32 for Exchange Server 2010 SP3](…)|March 2, 2021|14.3.513.0|"
  for (const m of text.matchAll(/^\|\[?Update Rollup (\d+) for (Exchange Server 20\d\d) (SP\d)\]?(?:\([^)]*\))?\|[^|]*\|([\d.]+)\|/gm)) {
    listed.add(`${m[2]} ${m[3]} RU${m[1]} ${m[4]}`);
  }
  // 2000/2003 rows have no revision: "|Exchange Server 2003 SP1|May25, 2004|6.5.7226|", "|Exchange 2000 Server|…|6.0.4417|"
  for (const m of text.matchAll(/^\|(Exchange Server 2003|Exchange 2000 Server)( SP\d)?\|[^|]*\|([\d.]+)\|$/gm)) {
    // the page's "6.5.7683" for 2003 SP2 is a transposition of 7638 (Exchange's own constant, real serials)
    listed.add(`${m[1]} ${m[2]?.trim() ?? 'RTM'} ${m[3] === '6.5.7683' ? '6.5.7638' : m[3]}`);
  }
  it.each(BUILDS.map((r) => [`${productOf(r)} ${r.release} ${r.major}.${r.minor}.${r.build}${r.revision === null ? '' : `.${r.revision}`}`] as const))('%s', (row) => {
    expect(listed.has(row)).toBe(true);
  });
});

describe('real serialNumber and setup builds from CSS-Exchange setup logs', () => {
  const logs = setupLogs();
  const serials = [...new Set(logs.flatMap((l) => l.serials))].sort();
  it('the quotes hold the serials', () => expect(serials).toEqual([
    'Version 15.1 (Build 31531.3)', 'Version 15.1 (Build 32106.2)', 'Version 15.2 (Build 30464.5)', 'Version 15.2 (Build 30721.2)', 'Version 15.2 (Build 30922.7)',
  ]));
  // the release each build is, per the build-numbers page rows quoted in fixtures/microsoft/build-numbers.md
  const pageRelease = (build: string) => quotedBuilds().find((r) => r.build === build);
  it.each(serials)('%s', (serial) => {
    const parsed = parseSerialNumber(serial)!;
    const build = `${parsed.major}.${parsed.minor}.${parsed.build}.${parsed.revision}`;
    const page = pageRelease(build)!;
    expect(page).toBeDefined();
    expect(describeBuild(parsed).version.release).toBe(page.release);
    expect(serialStamp(parsed)).toBeNull();
  });
  it.each(logs.map((l) => [l.file, l.setupBuild] as const))('%s: setup %s is a known release', (_f, build) => {
    const [major, minor, b, revision] = build.split('.').map(Number) as [number, number, number, number];
    const { version, known } = describeBuild({ major, minor, build: b, revision });
    expect(known).toBe(true);
    expect(version.release).toBe(pageRelease(build)!.release);
  });
});

describe('SU-stamped serialNumber', () => {
  const article = quoted('recoverserver-version-error.md');
  // "| Exchange Server 2019 CU12 | Version 15.2 (Build 31118.007) |"
  const table = [...article.matchAll(/^\s*\| (Exchange Server 20\d\d) (CU\d+) \| (Version [^|]+?) \|$/gm)].map((m) => ({ product: m[1]!, release: m[2]!, serial: m[3]! }));
  // '"Feb23SU"   = "15.2.1118.25"' and friends
  const suBuilds = [...article.matchAll(/"(\w+SU\w*)"\s+= "([\d.]+)"/g)].map((m) => ({ name: m[1]!, build: m[2]! }));

  it('the quotes hold the article table and the SU builds', () => {
    expect(table).toHaveLength(4);
    expect(suBuilds.map((s) => s.name)).toEqual(['Jan23SU', 'Feb23SU', 'Jan23SU', 'Jan23SU', 'Aug23SUv2']);
  });

  it.each(table.map((t) => [`${t.product} ${t.release}`, t] as const))('%s: its article value is the CU media build, not stamped', (_n, t) => {
    const parsed = parseSerialNumber(t.serial)!;
    const { version } = describeBuild(parsed);
    expect(`${version.product} ${version.release}`).toBe(`${t.product} ${t.release}`);
    expect(serialStamp(parsed)).toBeNull();
  });

  it.each(suBuilds.map((s) => [s.name, s.build] as const))('%s %s in serialNumber: CU media, the update named, the reset value', (name, build) => {
    const stamped = parseSerialNumber(serialOf(build))!;
    const st = serialStamp(stamped)!;
    expect(st).not.toBeNull();
    expect(st.stampedBuild).toBe(build);
    expect(st.updateName).toBe(name);
    // the CU whose dictionary entry holds this SU, from the same quoted lines
    const cuLine = [...article.matchAll(/"(CU\d+)" = \(NewCUAndSUObject "([\d.]+)"/g)].find((m) => m[2]!.split('.').slice(0, 3).join('.') === build.split('.').slice(0, 3).join('.'))!;
    expect(st.release).toBe(cuLine[1]);
    expect(st.mediaBuild).toBe(cuLine[2]);
    const listed = table.find((t) => parseSerialNumber(t.serial)!.build === stamped.build && t.release === cuLine[1]);
    if (listed) {
      expect(st.resetValue).toBe(listed.serial);
      expect(st.resetValueListed).toBe(true);
    } else {
      expect(st.resetValueListed).toBe(false);
    }
    // the reset value names the media build again
    const reset = parseSerialNumber(st.resetValue)!;
    expect(`${reset.major}.${reset.minor}.${reset.build}.${reset.revision}`).toBe(st.mediaBuild);
  });

  it('2019 CU13 (not in the article): reset value in the article format', () => {
    expect(serialStamp(parseSerialNumber('Version 15.2 (Build 31258.25)')!)!.resetValue).toBe('Version 15.2 (Build 31258.012)');
  });

  it('2007/2010 rollups and revisionless serials are not SU-stamped', () => {
    expect(serialStamp(parseSerialNumber('Version 14.3 (Build 30123.9)')!)).toBeNull();
    expect(serialStamp(parseSerialNumber('Version 15.1 (Build 32507)')!)).toBeNull();
    expect(serialStamp(parseSerialNumber('Version 15.2 (Build 39999.1)')!)).toBeNull();
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

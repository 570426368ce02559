/**
 * Exchange server version: serialNumber / versionNumber → product + release.
 *
 * RecoverServer must run from media of the same build, so the binder prints
 * the exact build and the release an admin orders media by ("2016 CU23").
 * Ground floor (below every stage): the harvest decodes with it and the
 * view derives the runbook's media and serialNumber steps from it.
 */
import { BUILDS, SECURITY_UPDATES, SERIAL_RESET_VALUES } from './build-table.js';

export interface BuildNumber {
  major: number;
  minor: number;
  build: number;
  revision: number | null;
}

/**
 * Parses `Version 15.1 (Build 32507.6)` or `Version 6.5 (Build 7638.2: Service Pack 2)`.
 * Exchange 2007+ store the build with +30000 (older tools wrote +10000): we
 * subtract as Exchange's own ServerVersion parser does, only for major ≥ 8.
 */
export function parseSerialNumber(serial: string): BuildNumber | null {
  const v = /version\s+(\d+)\.(\d+)/i.exec(serial);
  const b = /build\s+(\d+)(?:\.(\d+))?/i.exec(serial);
  if (!v || !b) return null;
  const major = Number(v[1]);
  const minor = Number(v[2]);
  let build = Number(b[1]);
  if (major >= 8) {
    if (build >= 30000) build -= 30000;
    else if (build >= 10000) build -= 10000;
  }
  return { major, minor, build, revision: b[2] === undefined ? null : Number(b[2]) };
}

/**
 * Decodes msExch `versionNumber`. 2007+: packed int (major bits 22-27, minor
 * bits 16-21, build bits 0-14, flag 0x8000). 2000/2003 store the plain build
 * number, which we recognise by its size (< 65536).
 */
export function parseVersionNumber(value: number): BuildNumber | null {
  if (!Number.isInteger(value) || value <= 0) return null;
  if (value < 0x10000) {
    // plain build: 2000 builds end at 6249, 2003 starts at 6944
    return { major: 6, minor: value < 6500 ? 0 : 5, build: value, revision: null };
  }
  return { major: (value >> 22) & 63, minor: (value >> 16) & 63, build: value & 0x7fff, revision: null };
}

/** Product name from major/minor/build, in Microsoft's spelling. */
export function productOf(b: Pick<BuildNumber, 'major' | 'minor' | 'build'>): string {
  if (b.major === 6 && b.minor === 0) return 'Exchange 2000 Server';
  if (b.major === 6 && b.minor === 5) return 'Exchange Server 2003';
  if (b.major === 8) return 'Exchange Server 2007';
  if (b.major === 14) return 'Exchange Server 2010';
  if (b.major === 15 && b.minor === 0) return 'Exchange Server 2013';
  if (b.major === 15 && b.minor === 1) return 'Exchange Server 2016';
  // CSS-Exchange tells SE from 2019 by build ≥ 2562 on 15.2
  if (b.major === 15 && b.minor === 2) return b.build >= 2562 ? 'Exchange Server SE' : 'Exchange Server 2019';
  return 'unknown';
}

/**
 * A serialNumber that carries a security-update build instead of the CU build.
 *
 * Microsoft's support article "Version error when you install Exchange Server in RecoverServer mode": the
 * January 2023 SU wrote its own build into serialNumber; RecoverServer from the CU media then fails its
 * version check ("Exchange Server version ... or later must be used"). The fix: reset serialNumber to the
 * CU value with Set-ADObject, recover from the CU media, then install the SU. Setup itself writes the CU
 * media build, so on 2013 and later a revision other than the media's means an update stamped it.
 */
export interface SerialStamp {
  /** the CU release whose media RecoverServer needs, e.g. "CU12" */
  release: string;
  /** build of that media, e.g. "15.2.1118.7" */
  mediaBuild: string;
  /** build found in serialNumber, e.g. "15.2.1118.25" */
  stampedBuild: string;
  /** CSS-Exchange's name of the update with that build ("Feb23SU"); null when the revision is not a known update */
  updateName: string | null;
  /** serialNumber value to restore before RecoverServer, in the article's format */
  resetValue: string;
  /** true when the article lists resetValue itself; false when it is written in the article's format for a CU the article does not list */
  resetValueListed: boolean;
}

export function serialStamp(b: BuildNumber): SerialStamp | null {
  if (b.major !== 15 || b.revision === null) return null;
  const row = BUILDS.find((r) => r.major === b.major && r.minor === b.minor && r.build === b.build);
  if (!row || row.revision === null || row.revision === b.revision) return null;
  const key = `${b.major}.${b.minor}.${b.build}`;
  const listed = SERIAL_RESET_VALUES.get(key);
  return {
    release: row.release,
    mediaBuild: `${key}.${row.revision}`,
    stampedBuild: `${key}.${b.revision}`,
    updateName: SECURITY_UPDATES.get(key)?.get(b.revision) ?? null,
    resetValue: listed ?? `Version ${b.major}.${b.minor} (Build ${b.build + 30000}.${String(row.revision).padStart(3, '0')})`,
    resetValueListed: listed !== undefined,
  };
}

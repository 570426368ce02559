/** Windows Server release of the computer account, normalised for the prerequisite tables. */
export type WindowsRelease = '2003' | '2008' | '2008 R2' | '2012' | '2012 R2' | '2016' | '2019' | '2022' | '2025' | 'unknown';

/** operatingSystem first ("Windows Server 2008 R2 Standard"), else operatingSystemVersion ("6.1 (7601)"). */
export function windowsReleaseOf(os: string | null, osVersion: string | null): WindowsRelease {
  const m = /Windows Server\D*(2003|2008|2012|2016|2019|2022|2025)( R2)?/i.exec(os ?? '');
  if (m) {
    const year = m[1] as string;
    if (m[2] && (year === '2008' || year === '2012')) return `${year} R2` as WindowsRelease;
    if (year === '2003') return '2003';
    return year as WindowsRelease;
  }
  const v = /^(\d+)\.(\d+)(?:\s*\((\d+)\))?/.exec(osVersion ?? '');
  if (!v) return 'unknown';
  const key = `${v[1]}.${v[2]}`;
  const build = Number(v[3] ?? 0);
  const byVersion: Record<string, WindowsRelease> = { '5.2': '2003', '6.0': '2008', '6.1': '2008 R2', '6.2': '2012', '6.3': '2012 R2' };
  if (byVersion[key]) return byVersion[key];
  if (key === '10.0') {
    if (build >= 26100) return '2025';
    if (build >= 20348) return '2022';
    if (build >= 17763) return '2019';
    if (build > 0) return '2016';
  }
  return 'unknown';
}

export type InstallOption = 'desktop' | 'core' | 'unknown';

/**
 * Desktop Experience or Server Core, from the computer account's operatingSystem. AD stores the product name,
 * which names Core only in some editions ("… Azure Edition Core"); a plain "Windows Server 2019 Standard" can be
 * either, so that is 'unknown' and the runbook prints both feature lists.
 */
export function installOptionOf(operatingSystem: string | null): InstallOption {
  return operatingSystem && /\bcore\b/i.test(operatingSystem) ? 'core' : 'unknown';
}

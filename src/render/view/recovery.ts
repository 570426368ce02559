/**
 * What setup needs on the replacement server: the recover-server command line
 * and the version-specific fixes (runbook steps 9 and 13).
 */
import type { ExchangeVersion } from '../../snapshot/model.js';
import { DEFAULT_INSTALL_PATH, hasDiagnosticDataSwitch, type Generation } from './versions.js';
import type { WindowsRelease } from './os.js';

/** Paths compare case-insensitively and without a trailing backslash, as Windows does. */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => p.replace(/\\+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

/** True when setup must be told the install folder again (/TargetDir). */
export function needsTargetDir(gen: Generation, installPath: string | null): boolean {
  const def = DEFAULT_INSTALL_PATH[gen];
  return installPath !== null && def !== null && !samePath(installPath, def);
}

/**
 * The command line for runbook step 9. 2003 has no unattended recover mode:
 * its setup runs in /disasterrecovery mode and the install folder is chosen in
 * the wizard, so no /TargetDir is added there.
 */
export function recoverServerCommand(gen: Generation, v: ExchangeVersion | null, installPath: string | null): string | null {
  const target = needsTargetDir(gen, installPath) && gen !== '2003' ? ` /TargetDir:"${installPath}"` : '';
  switch (gen) {
    case '2003':
      return 'setup.exe /disasterrecovery';
    case '2007':
      return `setup.com /m:RecoverServer${target}`;
    case '2010':
      return `Setup /m:RecoverServer${target}`;
    case '2013':
    case '2016':
    case '2019':
    case 'SE': {
      const license = hasDiagnosticDataSwitch(gen, v) ? '/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF' : '/IAcceptExchangeServerLicenseTerms';
      return `Setup.exe /Mode:RecoverServer ${license}${target}`;
    }
    default:
      return null;
  }
}

/** Fixes a rebuilt server of this version needs before databases are restored (step 13). */
export function versionFixes(gen: Generation, os: WindowsRelease, roles: string[]): string[] {
  const fixes: string[] = [];
  if (gen === '2007' && os === '2003') {
    // Exchange 2007 VSS restores on Windows Server 2003 need the VSS update rollup (KB 940349).
    fixes.push('Windows Server 2003: install the Volume Shadow Copy Service update rollup (KB 940349) before any VSS database restore.');
  }
  if (gen === '2007' || gen === '2010') {
    fixes.push('Install the update rollup the server had (the build recorded in AD is the service pack level only).');
  }
  if (['2013', '2016', '2019', 'SE'].includes(gen)) {
    fixes.push('Install the latest Security Update for the recorded CU (AD records the CU, not the SU level).');
  }
  // an Edge is installed new (no RecoverServer) and has no Scripting Agent: its settings come from the cloned configuration
  if (['2013', '2016', '2019', 'SE'].includes(gen) && !roles.includes('Edge')) {
    // "Recover Exchange servers", step 8: "After Setup has completed, but before you put the recovered server into
    // production, reconfigure any custom settings that were previously present on the server, and then restart the server."
    fixes.push('Reconfigure the custom settings RecoverServer does not restore (web.config changes, Scripting Agent configuration, third-party certificates), then restart the server before putting it into production.');
  }
  if (roles.includes('UnifiedMessaging') && gen !== '2003') {
    fixes.push('Unified Messaging: reinstall the UM language packs that were installed.');
  }
  return fixes;
}

/**
 * Exchange 2003 (Disaster Recovery Operations Guide): setup from the 2003 media, then the recorded service pack, both
 * in disaster-recovery mode, before any restore. No update line when the server was at RTM.
 */
export function legacyRecoverCommands(v: ExchangeVersion | null): { servicePack: string | null; commands: string[] } {
  const sp = v?.release && /^SP\d+$/.test(v.release) ? v.release : null;
  return { servicePack: sp, commands: ['setup.exe /disasterrecovery', ...(sp ? ['update.exe /disasterrecovery'] : [])] };
}

/**
 * 2013 and later: "If you do not have the installation media for the Cumulative Update (CU) version that was installed
 * on the server to be recovered, you can recover a server using the latest available Cumulative Update"
 * ("Recover Exchange servers", learn.microsoft.com/exchange/high-availability/disaster-recovery/recover-exchange-servers).
 */
export function laterCuAllowed(gen: Generation): boolean {
  return gen === '2013' || gen === '2016' || gen === '2019' || gen === 'SE';
}

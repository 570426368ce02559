/**
 * Version knowledge the runbook needs, as data: one row per Exchange generation.
 * Kept apart from the builder so a new release means one new row (and a test).
 */
import type { ExchangeVersion } from '../../snapshot/model.js';
import { serialStamp } from '../../exchange/version.js';

export type Generation = '2003' | '2007' | '2010' | '2013' | '2016' | '2019' | 'SE' | 'unknown';

/**
 * The harvest decides the product once (src/exchange/version.ts productOf, the
 * decision rule of the AD layout reference §4.5); the runbook only maps it.
 */
const GENERATION_OF_PRODUCT: Readonly<Record<string, Generation>> = {
  'Exchange Server 2003': '2003',
  'Exchange Server 2007': '2007',
  'Exchange Server 2010': '2010',
  'Exchange Server 2013': '2013',
  'Exchange Server 2016': '2016',
  'Exchange Server 2019': '2019',
  'Exchange Server SE': 'SE',
};

export function generationOf(v: ExchangeVersion | null): Generation {
  return (v && GENERATION_OF_PRODUCT[v.product]) ?? 'unknown';
}

/** Setup's default install folder per generation; a different msExchInstallPath needs /TargetDir. */
export const DEFAULT_INSTALL_PATH: Record<Generation, string | null> = {
  '2003': 'C:\\Program Files\\Exchsrvr',
  '2007': 'C:\\Program Files\\Microsoft\\Exchange Server',
  '2010': 'C:\\Program Files\\Microsoft\\Exchange Server\\V14',
  '2013': 'C:\\Program Files\\Microsoft\\Exchange Server\\V15',
  '2016': 'C:\\Program Files\\Microsoft\\Exchange Server\\V15',
  '2019': 'C:\\Program Files\\Microsoft\\Exchange Server\\V15',
  SE: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15',
  unknown: null,
};

/**
 * Memory advice printed in runbook step 1. Figures are Microsoft's published
 * system requirements per version (Exchange 2019 "System requirements": 128 GB
 * recommended for Mailbox, 64 GB Edge; 2013/2016: 8 GB minimum Mailbox; 2010: 4 GB
 * minimum Mailbox; 2007: 2 GB minimum; 2003 is 32-bit and cannot use more than 4 GB).
 */
export const MEMORY_ADVICE: Record<Generation, string> = {
  '2003': 'Exchange 2003 is 32-bit: 4 GB is the useful maximum (use the /3GB /USERVA=3030 boot.ini switches with more than 1 GB).',
  '2007': 'Minimum 2 GB; Mailbox role: 2 GB plus 2 to 5 MB per mailbox. Exchange 2007 is 64-bit only.',
  '2010': 'Minimum 4 GB for the Mailbox role; plan 4 GB plus 3 to 30 MB per mailbox.',
  '2013': 'Minimum 8 GB for the Mailbox role (4 GB for a Client Access only server).',
  '2016': 'Minimum 8 GB for the Mailbox role.',
  '2019': '128 GB recommended for the Mailbox role (64 GB for Edge Transport).',
  SE: '128 GB recommended for the Mailbox role (64 GB for Edge Transport).',
  unknown: 'Version unknown: match the memory of the failed server.',
};

/** True when the build of a 2016/2019 server is the September 2021 CU or later (CU22 / CU11), or SE. */
export function hasDiagnosticDataSwitch(gen: Generation, v: ExchangeVersion | null): boolean {
  // The /IAcceptExchangeServerLicenseTerms_DiagnosticDataON|OFF switches came with
  // Exchange 2016 CU22 (15.1.2375) and 2019 CU11 (15.2.986); 2013 never got them.
  if (gen === 'SE') return true;
  if (!v) return false;
  if (gen === '2016') return v.build >= 2375;
  if (gen === '2019') return v.build >= 986;
  return false;
}

/** Inside a PowerShell double-quoted string: backtick-escape what PowerShell would expand or end the string on. */
export function psDoubleQuoted(text: string): string {
  return text.replace(/[`$"\u201C\u201D\u201E]/g, (c) => `\`${c}`);
}

export interface SerialStampView {
  stampedBuild: string;
  updateName: string | null;
  /** "Exchange Server 2019 CU12 (15.2.1118.7)": the media RecoverServer needs */
  mediaLabel: string;
  resetValue: string;
  resetValueListed: boolean;
  /** Microsoft's support article's command shape, with this server's DN and value */
  resetCommands: string[];
}

/**
 * What runbook step 9 prints for an SU-stamped serialNumber (Microsoft support article "Version error when you
 * install Exchange Server in RecoverServer mode"): reset serialNumber with Set-ADObject, recover from the CU
 * media, install the update again. Null when serialNumber holds the CU media build.
 */
export function serialStampView(v: ExchangeVersion | null, serverDn: string): SerialStampView | null {
  const st = v ? serialStamp(v) : null;
  if (!v || !st) return null;
  return {
    stampedBuild: st.stampedBuild,
    updateName: st.updateName,
    mediaLabel: `${v.product} ${st.release} (${st.mediaBuild})`,
    resetValue: st.resetValue,
    resetValueListed: st.resetValueListed,
    resetCommands: [
      `$dn = "${psDoubleQuoted(serverDn)}"`,
      `Set-ADObject -Identity "$dn" -Replace @{serialnumber="${psDoubleQuoted(st.resetValue)}"}`,
    ],
  };
}

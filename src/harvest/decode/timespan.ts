/**
 * Exchange stores EnhancedTimeSpan properties (ReplayLagTime, TruncationLagTime
 * of a database copy) in AD as whole seconds: ValueConvertor writes
 * Convert.ToInt32(TotalSeconds).ToString() (decompiled Exchange 2013,
 * Microsoft.Exchange.Data/ValueConvertor.cs). The cmdlets take and show the
 * .NET TimeSpan form "d.hh:mm:ss" (Add-MailboxDatabaseCopy -ReplayLagTime
 * 3.00:00:00 in "Recover a database availability group member server").
 */

/** "604800" → "7.00:00:00", "0" → "00:00:00"; a value already in TimeSpan form is kept; anything else → null. */
export function timeSpanFromSeconds(raw: string | null): string | null {
  if (raw === null) return null;
  const v = raw.trim();
  if (/^\d+(\.\d+)?:\d\d:\d\d$|^\d\d:\d\d:\d\d$/.test(v)) return v;
  if (!/^\d+$/.test(v)) return null;
  const total = Number(v);
  if (!Number.isSafeInteger(total)) return null;
  const days = Math.floor(total / 86400);
  const rest = total % 86400;
  const hh = String(Math.floor(rest / 3600)).padStart(2, '0');
  const mm = String(Math.floor((rest % 3600) / 60)).padStart(2, '0');
  const ss = String(rest % 60).padStart(2, '0');
  return `${days > 0 ? `${days}.` : ''}${hh}:${mm}:${ss}`;
}

/** True for a lag worth re-applying: anything but zero. */
export function isNonZeroTimeSpan(v: string | null): boolean {
  return v !== null && /[1-9]/.test(v);
}

/**
 * Host of a UNC path (\\fs01.contoso.com\DAG1 → fs01.contoso.com). The DAG's
 * WitnessServer property is a UncFileSharePath stored in msExchFileShareWitness
 * (decompiled Exchange 2013, DatabaseAvailabilityGroupSchema.cs); a bare host
 * name (older exports) is returned as it is.
 */
export function uncHost(v: string | null): string | null {
  if (v === null) return null;
  const t = v.trim();
  if (t === '') return null;
  const m = /^\\\\([^\\]+)(\\|$)/.exec(t);
  if (m) return m[1]!;
  return t.includes('\\') ? null : t;
}

/**
 * Disk layout to reproduce: every drive letter any path of the server uses,
 * and what lives there. RecoverServer and database restores expect the same
 * drive letters, so this is the shopping list for runbook step 1.
 */
export type PathUse = { what: string; path: string };
export type Drive = { drive: string; uses: PathUse[] };

/** "E:" for drive paths, "\\\\host\\share" for UNC paths, null for anything else. */
export function driveOf(path: string): string | null {
  const d = /^([A-Za-z]):/.exec(path);
  if (d) return `${(d[1] as string).toUpperCase()}:`;
  const unc = /^\\\\([^\\]+)\\([^\\]+)/.exec(path);
  if (unc) return `\\\\${unc[1]}\\${unc[2]}`;
  return null;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function diskLayout(uses: PathUse[]): Drive[] {
  const drives = new Map<string, Map<string, PathUse>>();
  for (const u of uses) {
    const d = driveOf(u.path);
    if (!d) continue;
    const list = drives.get(d) ?? new Map<string, PathUse>();
    list.set(`${u.what}\u0000${u.path}`, u);
    drives.set(d, list);
  }
  return [...drives.keys()].sort(byText).map((drive) => ({
    drive,
    uses: [...(drives.get(drive) as Map<string, PathUse>).values()].sort((a, b) => byText(a.path, b.path) || byText(a.what, b.what)),
  }));
}

/**
 * Printable scope: which servers a binder covers and where its appendices go.
 * An admin prints the chapter of the server that died, not a 2,000-page
 * binder; a binder limited to some servers keeps everything organization-wide
 * (organization chapter, checklist, the org-wide objects of the appendices)
 * and drops the other servers' chapters, runbooks and objects.
 */
import { dnKey } from '../dn.js';
import { ExbinderError } from '../errors.js';
import type { Snapshot } from '../snapshot/model.js';

/** inline: the appendices end the binder; separate: a second file next to it; none: not written. */
export const APPENDIX_MODES = ['inline', 'separate', 'none'] as const;
export type AppendixMode = (typeof APPENDIX_MODES)[number];

/** What a binder covers: null servers = every server. */
export type BinderScope = {
  /** DN keys (dn.ts dnKey) of the servers printed; null = all */
  servers: ReadonlySet<string> | null;
  appendix: AppendixMode;
  /** base name of the separate appendix file, printed on the cover (binder-appendix.pdf) */
  appendixFile: string | null;
};

export const FULL_SCOPE: BinderScope = { servers: null, appendix: 'inline', appendixFile: null };

/**
 * The servers named by `--server` (case-insensitive, comma lists allowed),
 * in the snapshot's spelling. An unknown name is one line listing the servers
 * the snapshot has, so the operator can correct it without another command.
 */
export function resolveServers(snap: Snapshot, names: readonly string[]): Snapshot['servers'] {
  const wanted = [...new Set(names.flatMap((n) => n.split(',')).map((n) => n.trim()).filter(Boolean))];
  if (wanted.length === 0) throw new ExbinderError('--server needs a server name', 'usage');
  const byName = new Map(snap.servers.map((s) => [s.name.toLowerCase(), s]));
  const unknown = wanted.filter((n) => !byName.has(n.toLowerCase()));
  if (unknown.length) {
    const known = snap.servers.map((s) => s.name).sort((a, b) => a.localeCompare(b, 'en'));
    throw new ExbinderError(
      `unknown server ${unknown.map((n) => `'${n}'`).join(', ')} (--server): ${snap.organization.name} has ${known.length ? known.join(', ') : 'no servers'}`,
      'unknown-server',
    );
  }
  return wanted.map((n) => byName.get(n.toLowerCase())!);
}

/** The scope for `--server` names (none: every server). */
export function scopeOf(snap: Snapshot, names: readonly string[] | undefined, appendix: AppendixMode = 'inline', appendixFile: string | null = null): BinderScope {
  const servers = names && names.length ? new Set(resolveServers(snap, names).map((s) => dnKey(s.dn))) : null;
  return { servers, appendix, appendixFile };
}

/** binder.pdf → binder-appendix.pdf (the separate appendix file, next to the binder). */
export function appendixPath(binderPath: string): string {
  const m = /^(.*?)(\.[^./\\]*)?$/.exec(binderPath)!;
  return `${m[1]}-appendix${m[2] ?? ''}`;
}

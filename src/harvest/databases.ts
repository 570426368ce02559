/**
 * Storage groups (2000–2007), databases (all versions) and database copies
 * (2010+). Paths are what a restore must recreate: 2003/2007 keep log and
 * system paths on the storage group, 2010+ on the database.
 */
import type { Entry } from '../source/directory.js';
import type { Database, StorageGroup } from '../snapshot/model.js';
import { bool, classesOf, first, guidOf, identity, int } from './entries.js';
import { DnIndex, parentOf, rdnValue } from '../dn.js';
import type { Warnings } from './warnings.js';
import { timeSpanFromSeconds } from './decode/timespan.js';

/** The server a storage group or 2003/2007 database belongs to: CN=<sg>,CN=InformationStore,CN=<server>. */
function serverAbove(dn: string, servers: DnIndex<Entry>): string | null {
  return servers.ancestor(dn)?.dn ?? null;
}

export function mapStorageGroup(e: Entry, servers: DnIndex<Entry>, w: Warnings): StorageGroup | null {
  const server = serverAbove(e.dn, servers);
  if (!server) {
    w.add('orphan-object', `storage group ${e.dn} is not under a server that could be read`, e.dn);
    return null;
  }
  return {
    ...identity(e),
    server,
    logFolderPath: first(e, 'msExchESEParamLogFilePath'),
    systemFolderPath: first(e, 'msExchESEParamSystemPath'),
    logFilePrefix: first(e, 'msExchESEParamBaseName'),
    circularLogging: circular(e),
    recovery: bool(e, 'msExchRestore') === true,
  };
}

function circular(e: Entry): boolean | null {
  const v = int(e, 'msExchESEParamCircularLog');
  return v === null ? null : v !== 0;
}

/**
 * Mailbox count = values of homeMDBBL (backlink of users' homeMDB) as the DC
 * answering sees it. The source merges ranged retrieval into one key; any
 * `homemdbbl;range=…` key left over is counted too rather than lost.
 */
export function mailboxCount(e: Entry): number {
  let n = 0;
  for (const [k, v] of e.text) if (k === 'homemdbbl' || k.startsWith('homemdbbl;range=')) n += v.length;
  return n;
}

export function mapDatabase(
  e: Entry,
  copies: readonly Entry[],
  storageGroups: DnIndex<Entry>,
  servers: DnIndex<Entry>,
): Database {
  const classes = classesOf(e);
  const parent = parentOf(e.dn);
  const sg = storageGroups.get(parent);
  // 2003/2007: msExchOwningServer, else the server above the storage group
  const server = first(e, 'msExchOwningServer') ?? (sg ? serverAbove(sg.dn, servers) : null);
  return {
    ...identity(e),
    kind: classes.has('msexchpublicmdb') ? 'public' : 'mailbox',
    server,
    storageGroup: sg ? sg.dn : null,
    masterServerOrDag: first(e, 'msExchMasterServerOrAvailabilityGroup'),
    edbFilePath: first(e, 'msExchEDBFile'),
    streamingFilePath: first(e, 'msExchSLVFile'),
    logFolderPath: first(e, 'msExchESEParamLogFilePath'),
    systemFolderPath: first(e, 'msExchESEParamSystemPath'),
    logFilePrefix: first(e, 'msExchESEParamBaseName'),
    circularLogging: circular(e),
    mountAtStartup: bool(e, 'msExchEDBOffline') !== true,
    allowFileRestore: bool(e, 'msExchPatchMDB') === true,
    recovery: bool(e, 'msExchRestore') === true,
    mailboxCount: mailboxCount(e),
    copies: copies.map((c) => ({
      guid: guidOf(c),
      dn: c.dn,
      server: first(c, 'msExchHostServerLink'),
      // Exchange names the copy after the (upper-cased) host server
      serverName: rdnValue(c.dn),
      activationPreference: int(c, 'msExchActivationPreference'),
      replayLagTime: timeSpanFromSeconds(first(c, 'msExchReplayLag')),
      truncationLagTime: timeSpanFromSeconds(first(c, 'msExchTruncationLag')),
    })),
  };
}

/** Copies grouped under their database (copy = child of the database object). */
export function copiesByDatabase(copies: readonly Entry[], databases: DnIndex<Entry>, w: Warnings): Map<string, Entry[]> {
  const out = new Map<string, Entry[]>();
  for (const c of copies) {
    const db = databases.get(parentOf(c.dn));
    if (!db) {
      w.add('orphan-object', `database copy ${c.dn} has no readable parent database`, c.dn);
      continue;
    }
    const list = out.get(db.dn) ?? [];
    list.push(c);
    out.set(db.dn, list);
  }
  return out;
}

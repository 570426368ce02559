/**
 * Self-relative SECURITY_DESCRIPTOR ([MS-DTYP] 2.4.6) → DACL entries, and
 * receive connector PermissionGroups derived from them.
 *
 * Exchange does not store PermissionGroups: Get-ReceiveConnector computes it
 * from the connector's ACL, checking which well-known principals hold the
 * SMTP extended rights (ms-Exch-SMTP-Submit, …) on the connector. We mirror
 * that by principal: a group is present when one of its principals is granted
 * extended rights (ADS_RIGHT_DS_CONTROL_ACCESS) by an explicit or inherited
 * allow ACE. Exchange additionally checks the exact set of rights per group
 * (and reports "Custom" for anything else); that needs the extended-right
 * GUIDs, which this harvest does not read, so Custom is not reported.
 */

export interface Ace {
  type: number;
  flags: number;
  mask: number;
  /** object type GUID for object ACEs (canonical string), else null */
  objectType: string | null;
  sid: string;
}

export class SecurityDescriptorError extends Error {}

const ACCESS_ALLOWED = 0x00;
const ACCESS_ALLOWED_OBJECT = 0x05;
const INHERIT_ONLY_ACE = 0x08;
/** ADS_RIGHT_DS_CONTROL_ACCESS: extended rights */
const CONTROL_ACCESS = 0x100;
const GENERIC_ALL = 0x10000000;

/** SID bytes → S-1-… text ([MS-DTYP] 2.4.2.2). */
export function sidToString(b: Buffer, offset = 0): { sid: string; length: number } {
  if (b.length < offset + 8) throw new SecurityDescriptorError('SID truncated');
  const revision = b[offset]!;
  const count = b[offset + 1]!;
  const length = 8 + count * 4;
  if (b.length < offset + length) throw new SecurityDescriptorError('SID sub-authorities truncated');
  const authority = b.readUIntBE(offset + 2, 6);
  const subs: number[] = [];
  for (let k = 0; k < count; k++) subs.push(b.readUInt32LE(offset + 8 + k * 4));
  return { sid: ['S', revision, authority, ...subs].join('-'), length };
}

function guidAt(b: Buffer, o: number): string {
  const hex = (from: number, to: number, rev: boolean): string => {
    const a = Array.from(b.subarray(o + from, o + to));
    if (rev) a.reverse();
    return a.map((x) => x.toString(16).padStart(2, '0')).join('');
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join('-');
}

/** DACL ACEs of a self-relative security descriptor ([] when it has no DACL). */
export function parseDacl(sd: Buffer): Ace[] {
  if (sd.length < 20) throw new SecurityDescriptorError(`security descriptor too short (${sd.length} bytes)`);
  const control = sd.readUInt16LE(2);
  const SE_DACL_PRESENT = 0x0004;
  const SE_SELF_RELATIVE = 0x8000;
  if (!(control & SE_SELF_RELATIVE)) throw new SecurityDescriptorError('not a self-relative security descriptor');
  const daclOffset = sd.readUInt32LE(16);
  if (!(control & SE_DACL_PRESENT) || daclOffset === 0) return [];
  if (sd.length < daclOffset + 8) throw new SecurityDescriptorError('DACL header truncated');
  const aceCount = sd.readUInt16LE(daclOffset + 4);
  const aces: Ace[] = [];
  let p = daclOffset + 8;
  for (let k = 0; k < aceCount; k++) {
    if (sd.length < p + 4) throw new SecurityDescriptorError('ACE header truncated');
    const type = sd[p]!;
    const flags = sd[p + 1]!;
    const size = sd.readUInt16LE(p + 2);
    if (size < 8 || sd.length < p + size) throw new SecurityDescriptorError('ACE overruns the descriptor');
    const mask = sd.readUInt32LE(p + 4);
    // every field of an ACE lies inside its AceSize bytes ([MS-DTYP] 2.4.4.1)
    const ace = sd.subarray(0, p + size);
    let sidOffset = p + 8;
    let objectType: string | null = null;
    if (type >= 0x05 && type <= 0x08) {
      // object ACE: Flags(4) then optional ObjectType and InheritedObjectType GUIDs
      if (size < 12) throw new SecurityDescriptorError(`object ACE of ${size} bytes has no room for its flags`);
      const objFlags = ace.readUInt32LE(p + 8);
      sidOffset = p + 12;
      if (objFlags & 1) {
        if (ace.length < sidOffset + 16) throw new SecurityDescriptorError('object ACE type GUID truncated');
        objectType = guidAt(ace, sidOffset);
        sidOffset += 16;
      }
      if (objFlags & 2) sidOffset += 16;
    }
    const { sid } = sidToString(ace, sidOffset);
    aces.push({ type, flags, mask: mask >>> 0, objectType, sid });
    p += size;
  }
  return aces;
}

/** Well-known principals of the receive connector permission groups (Exchange ReceiveConnector.cs). */
export const WELL_KNOWN_SIDS = {
  anonymousLogon: 'S-1-5-7',
  authenticatedUsers: 'S-1-5-11',
  partnerServers: 'S-1-9-1419165041-1139599005-3936102811-1022490595-10',
  hubTransportServers: 'S-1-9-1419165041-1139599005-3936102811-1022490595-21',
  edgeTransportServers: 'S-1-9-1419165041-1139599005-3936102811-1022490595-22',
  externallySecuredServers: 'S-1-9-1419165041-1139599005-3936102811-1022490595-23',
} as const;

export interface OrgSids {
  /** <domain>\Exchange Servers (well-known GUID 6C01D2A7-…) */
  exchangeServers: string | null;
  /** <domain>\ExchangeLegacyInterop (well-known GUID 3F965B9C-…) */
  exchangeLegacyInterop: string | null;
}

/** Principals per group, in Exchange's PermissionGroups order. */
export function permissionGroupPrincipals(org: OrgSids): ReadonlyArray<readonly [string, readonly string[]]> {
  const w = WELL_KNOWN_SIDS;
  return [
    ['AnonymousUsers', [w.anonymousLogon]],
    ['ExchangeUsers', [w.authenticatedUsers]],
    [
      'ExchangeServers',
      [w.hubTransportServers, w.edgeTransportServers, w.externallySecuredServers, ...(org.exchangeServers ? [org.exchangeServers] : [])],
    ],
    ['ExchangeLegacyServers', org.exchangeLegacyInterop ? [org.exchangeLegacyInterop] : []],
    ['Partners', [w.partnerServers]],
  ];
}

/** True when the ACE grants extended rights (all, via GENERIC_ALL, or one right). */
function grantsExtendedRights(ace: Ace): boolean {
  if (ace.type !== ACCESS_ALLOWED && ace.type !== ACCESS_ALLOWED_OBJECT) return false;
  if (ace.flags & INHERIT_ONLY_ACE) return false;
  return (ace.mask & (CONTROL_ACCESS | GENERIC_ALL)) !== 0;
}

/** PermissionGroups of a receive connector from its DACL (sorted by Exchange's enum order). */
export function permissionGroups(aces: readonly Ace[], org: OrgSids): string[] {
  const granted = new Set(aces.filter(grantsExtendedRights).map((a) => a.sid.toUpperCase()));
  return permissionGroupPrincipals(org)
    .filter(([, sids]) => sids.some((s) => granted.has(s.toUpperCase())))
    .map(([name]) => name);
}

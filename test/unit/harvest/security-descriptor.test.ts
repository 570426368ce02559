import { describe, expect, it } from 'vitest';
import { parseDacl, permissionGroups, sidToString, WELL_KNOWN_SIDS } from '../../../src/harvest/decode/security-descriptor.js';
import { guidToBytes } from '../../../src/harvest/decode/guid.js';

/** SID text → bytes ([MS-DTYP] 2.4.2.2). */
function sid(text: string): Buffer {
  const [, rev, auth, ...subs] = text.split('-');
  const b = Buffer.alloc(8 + subs.length * 4);
  b[0] = Number(rev);
  b[1] = subs.length;
  b.writeUIntBE(Number(auth), 2, 6);
  subs.forEach((s, k) => b.writeUInt32LE(Number(s), 8 + k * 4));
  return b;
}

interface AceSpec { type: number; flags?: number; mask: number; objectType?: string; sid: string }

function ace(a: AceSpec): Buffer {
  const s = sid(a.sid);
  const object = a.type === 5 || a.type === 6;
  const body = object
    ? Buffer.concat([Buffer.from([a.objectType ? 1 : 0, 0, 0, 0]), a.objectType ? guidToBytes(a.objectType) : Buffer.alloc(0), s])
    : s;
  const h = Buffer.alloc(8);
  h[0] = a.type;
  h[1] = a.flags ?? 0;
  h.writeUInt16LE(8 + body.length, 2);
  h.writeUInt32LE(a.mask >>> 0, 4);
  return Buffer.concat([h, body]);
}

/** Self-relative SD with owner, group and a DACL, laid out as AD returns it. */
function securityDescriptor(aces: AceSpec[]): Buffer {
  const owner = sid('S-1-5-32-544');
  const group = sid('S-1-5-18');
  const aceBytes = Buffer.concat(aces.map(ace));
  const acl = Buffer.alloc(8);
  acl[0] = 4; // ACL_REVISION_DS
  acl.writeUInt16LE(8 + aceBytes.length, 2);
  acl.writeUInt16LE(aces.length, 4);
  const header = Buffer.alloc(20);
  header[0] = 1;
  header.writeUInt16LE(0x8000 | 0x0004 | 0x0400, 2); // SELF_RELATIVE | DACL_PRESENT | DACL_AUTO_INHERITED
  const ownerOff = 20;
  const groupOff = ownerOff + owner.length;
  const daclOff = groupOff + group.length;
  header.writeUInt32LE(ownerOff, 4);
  header.writeUInt32LE(groupOff, 8);
  header.writeUInt32LE(0, 12); // no SACL (SD flags 7)
  header.writeUInt32LE(daclOff, 16);
  return Buffer.concat([header, owner, group, acl, aceBytes]);
}

const EXCHANGE_SERVERS = 'S-1-5-21-2442787647-553130362-1581137264-1110';
const SUBMIT = 'ab721a54-1e2f-11d0-9819-00aa0040529b'; // any extended-right GUID: the principal matters
const CR = 0x100;
const READ = 0x20094;

describe('security descriptor', () => {
  it('SIDs to text', () => {
    expect(sidToString(sid('S-1-5-7')).sid).toBe('S-1-5-7');
    expect(sidToString(sid(EXCHANGE_SERVERS)).sid).toBe(EXCHANGE_SERVERS);
    expect(sidToString(sid(WELL_KNOWN_SIDS.partnerServers)).sid).toBe(WELL_KNOWN_SIDS.partnerServers);
  });

  it('parses plain and object ACEs of the DACL', () => {
    const sd = securityDescriptor([
      { type: 0, mask: 0xf01ff, sid: 'S-1-5-21-1-2-3-512' },
      { type: 5, mask: CR, objectType: SUBMIT, sid: 'S-1-5-7' },
      { type: 0, flags: 0x10, mask: READ, sid: 'S-1-5-11' },
    ]);
    expect(parseDacl(sd)).toEqual([
      { type: 0, flags: 0, mask: 0xf01ff, objectType: null, sid: 'S-1-5-21-1-2-3-512' },
      { type: 5, flags: 0, mask: CR, objectType: SUBMIT, sid: 'S-1-5-7' },
      { type: 0, flags: 0x10, mask: READ, objectType: null, sid: 'S-1-5-11' },
    ]);
  });

  it('relay connector: anonymous and Exchange servers hold extended rights; read access to users does not count', () => {
    const sd = securityDescriptor([
      { type: 0, mask: 0xf01ff, sid: 'S-1-5-21-1-2-3-512' },
      { type: 0, mask: CR, sid: 'S-1-5-7' },
      { type: 5, mask: CR, objectType: SUBMIT, sid: EXCHANGE_SERVERS },
      { type: 0, mask: READ, sid: 'S-1-5-11' },
    ]);
    expect(permissionGroups(parseDacl(sd), { exchangeServers: EXCHANGE_SERVERS, exchangeLegacyInterop: null })).toEqual([
      'AnonymousUsers', 'ExchangeServers',
    ]);
  });

  it('the MS Exchange well-known SIDs count for ExchangeServers and Partners even without the group SID', () => {
    const sd = securityDescriptor([
      { type: 5, mask: CR, objectType: SUBMIT, sid: WELL_KNOWN_SIDS.hubTransportServers },
      { type: 5, mask: CR, objectType: SUBMIT, sid: WELL_KNOWN_SIDS.partnerServers },
      { type: 5, mask: CR, objectType: SUBMIT, sid: 'S-1-5-11' },
    ]);
    expect(permissionGroups(parseDacl(sd), { exchangeServers: null, exchangeLegacyInterop: null })).toEqual([
      'ExchangeUsers', 'ExchangeServers', 'Partners',
    ]);
  });

  it('legacy interop group; inherit-only and deny ACEs grant nothing', () => {
    const legacy = 'S-1-5-21-2442787647-553130362-1581137264-1111';
    const sd = securityDescriptor([
      { type: 0, mask: CR, sid: legacy },
      { type: 0, flags: 0x08, mask: CR, sid: 'S-1-5-7' }, // INHERIT_ONLY
      { type: 1, mask: CR, sid: 'S-1-5-11' }, // ACCESS_DENIED
    ]);
    expect(permissionGroups(parseDacl(sd), { exchangeServers: null, exchangeLegacyInterop: legacy })).toEqual(['ExchangeLegacyServers']);
  });

  it('rejects what is not a self-relative descriptor', () => {
    expect(() => parseDacl(Buffer.from('O:DAG:DAD:(A;;CR;;;AN)'))).toThrow(/self-relative/);
    expect(() => parseDacl(Buffer.alloc(8))).toThrow(/too short/);
  });
});

describe('real security descriptors read from the Samba test DC (SD flags OWNER|GROUP|DACL)', () => {
  // objectSid of CN=Exchange Servers and CN=ExchangeLegacyInterop in that forest
  const org = {
    exchangeServers: sidToString(Buffer.from('AQUAAAAAAAUVAAAApTuTRjK93taKcieGTwQAAA==', 'base64')).sid,
    exchangeLegacyInterop: sidToString(Buffer.from('AQUAAAAAAAUVAAAApTuTRjK93taKcieGUAQAAA==', 'base64')).sid,
  };
  it('group SIDs', () => {
    expect(org.exchangeServers).toBe('S-1-5-21-1184054181-3604921650-2250732170-1103');
    expect(org.exchangeLegacyInterop).toBe('S-1-5-21-1184054181-3604921650-2250732170-1104');
  });

  it('relay connector: anonymous + Exchange servers; inherited read ACEs do not count', () => {
    const sd = Buffer.from(
      'AQAEhBQAAAAwAAAAAAAAAEwAAAABBQAAAAAABRUAAAClO5NGMr3e1opyJ4YAAgAAAQUAAAAAAAUVAAAApTuTRjK93taKcieGAAIAAAQACAEIAAAAAAAkAP8BDwABBQAAAAAABRUAAAClO5NGMr3e1opyJ4YAAgAAAAAUAAABAAABAQAAAAAABQcAAAAAACQAAAEAAAEFAAAAAAAFFQAAAKU7k0Yyvd7WinInhk8EAAAAACQAAAEAAAEFAAAAAAAJcb2WVJ3m7EObKZzq4/fxPBUAAAABEiQAlAACAAEFAAAAAAAFFQAAAKU7k0Yyvd7WinInhnYEAAAAEhQAlAACAAEBAAAAAAAFCwAAAAASJAD/AQ8AAQUAAAAAAAUVAAAApTuTRjK93taKcieGBwIAAAASJAC9AQ8AAQUAAAAAAAUVAAAApTuTRjK93taKcieGAAIAAA==',
      'base64',
    );
    const aces = parseDacl(sd);
    expect(aces.filter((a) => a.mask & 0x100 && !(a.flags & 0x10)).map((a) => a.sid)).toEqual([
      'S-1-5-21-1184054181-3604921650-2250732170-512', 'S-1-5-7', org.exchangeServers, WELL_KNOWN_SIDS.hubTransportServers,
    ]);
    expect(permissionGroups(aces, org)).toEqual(['AnonymousUsers', 'ExchangeServers']);
  });

  it('client connector: authenticated users only', () => {
    const sd = Buffer.from(
      'AQAEhBQAAAAwAAAAAAAAAEwAAAABBQAAAAAABRUAAAClO5NGMr3e1opyJ4YAAgAAAQUAAAAAAAUVAAAApTuTRjK93taKcieGAAIAAAQAwAAGAAAAAAAkAP8BDwABBQAAAAAABRUAAAClO5NGMr3e1opyJ4YAAgAAAAAUAAABAAABAQAAAAAABQsAAAABEiQAlAACAAEFAAAAAAAFFQAAAKU7k0Yyvd7WinInhnYEAAAAEhQAlAACAAEBAAAAAAAFCwAAAAASJAD/AQ8AAQUAAAAAAAUVAAAApTuTRjK93taKcieGBwIAAAASJAC9AQ8AAQUAAAAAAAUVAAAApTuTRjK93taKcieGAAIAAA==',
      'base64',
    );
    expect(permissionGroups(parseDacl(sd), org)).toEqual(['ExchangeUsers']);
  });
});

import { describe, expect, it } from 'vitest';
import { compileFilter, decodeNonAsciiEscapes } from '../../../src/source/filter.js';
import { ExbinderError } from '../../../src/errors.js';

/** An entry as the matcher sees it: lower-cased names → text values. */
function entry(attrs: Record<string, string[]>): (name: string) => readonly string[] | undefined {
  const m = new Map(Object.entries(attrs).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => m.get(name);
}

const server = entry({
  objectClass: ['top', 'server', 'msExchExchangeServer'],
  objectCategory: ['CN=ms-Exch-Exchange-Server,CN=Schema,CN=Configuration,DC=contoso,DC=com'],
  cn: ['EX01'],
  msExchCurrentServerRoles: ['16439'], // 0x4037: bits 1, 2, 4, 16, 32, 16384
  serialNumber: ['Version 15.1 (Build 30225.10)'],
  msExchServerSite: ['CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=contoso,DC=com'],
  userAccountControl: ['4096'],
  groupType: ['-2147483646'],
  displayName: ['Jörg Müller'],
});

const match = (filter: string, e = server): boolean => compileFilter(filter)(e);

describe('filter matching with AD semantics', () => {
  it('matches any value of multi-valued objectClass, case-insensitively', () => {
    expect(match('(objectClass=msExchExchangeServer)')).toBe(true);
    expect(match('(objectclass=MSEXCHEXCHANGESERVER)')).toBe(true);
    expect(match('(objectClass=msExchMDB)')).toBe(false);
    expect(match('(&(objectClass=server)(!(objectClass=container)))')).toBe(true);
    expect(match('(|(objectClass=msExchMDB)(cn=ex01))')).toBe(true);
  });

  it('presence and substrings', () => {
    expect(match('(serialNumber=*)')).toBe(true);
    expect(match('(msExchInstallPath=*)')).toBe(false);
    expect(match('(serialNumber=Version 15.1*)')).toBe(true);
    expect(match('(serialNumber=*build 30225*)')).toBe(true);
    expect(match('(serialNumber=*Build*15.1*)')).toBe(false); // order matters
    expect(match('(cn=*01)')).toBe(true);
    expect(match('(cn=E*X*0*1)')).toBe(true);
    expect(match('(cn=EX*01*)')).toBe(true);
    expect(match('(cn=EX01*1)')).toBe(false); // initial and final may not overlap
  });

  it('objectCategory accepts the class name for the category DN', () => {
    expect(match('(objectCategory=msExchExchangeServer)')).toBe(true);
    expect(match('(objectCategory=CN=ms-Exch-Exchange-Server,CN=Schema,CN=Configuration,DC=contoso,DC=com)')).toBe(true);
    expect(match('(objectCategory=msExchMDB)')).toBe(false);
  });

  it('DN-valued equality ignores case, spacing and escaping form', () => {
    expect(match('(msExchServerSite=cn=default-first-site-name, cn=sites, cn=configuration, dc=contoso, dc=com)')).toBe(true);
    expect(match('(msExchServerSite=CN=Other,CN=Sites,CN=Configuration,DC=contoso,DC=com)')).toBe(false);
  });

  it('bitwise AND (…803) and OR (…804) rules, incl. negative 32-bit values', () => {
    expect(match('(msExchCurrentServerRoles:1.2.840.113556.1.4.803:=2)')).toBe(true);
    expect(match('(msExchCurrentServerRoles:1.2.840.113556.1.4.803:=6)')).toBe(true);
    expect(match('(msExchCurrentServerRoles:1.2.840.113556.1.4.803:=64)')).toBe(false);
    expect(match('(msExchCurrentServerRoles:1.2.840.113556.1.4.804:=72)')).toBe(false); // neither 8 nor 64
    expect(match('(msExchCurrentServerRoles:1.2.840.113556.1.4.804:=80)')).toBe(true); // 16 of 16+64
    expect(match('(userAccountControl:1.2.840.113556.1.4.803:=2)')).toBe(false);
    expect(match('(!(userAccountControl:1.2.840.113556.1.4.803:=2))')).toBe(true);
    expect(match('(userAccountControl:1.2.840.113556.1.4.804:=4098)')).toBe(true);
    // security group: groupType has 0x80000000 set
    expect(match('(groupType:1.2.840.113556.1.4.803:=2147483648)')).toBe(true);
    expect(match('(groupType:1.2.840.113556.1.4.803:=-2147483648)')).toBe(true);
    expect(match('(groupType:1.2.840.113556.1.4.803:=4)')).toBe(false);
  });

  it('integers order numerically, not as strings', () => {
    expect(match('(userAccountControl>=512)')).toBe(true);
    expect(match('(userAccountControl<=512)')).toBe(false);
    expect(match('(msExchCurrentServerRoles>=9999)')).toBe(true); // "16439" < "9999" as strings
  });

  it('decodes UTF-8 hex escapes that ldapts would mangle', () => {
    expect(decodeNonAsciiEscapes('(displayName=J\\c3\\b6rg*)')).toBe('(displayName=Jörg*)');
    expect(decodeNonAsciiEscapes('(cn=a\\28b\\29)')).toBe('(cn=a\\28b\\29)');
    expect(match('(displayName=J\\c3\\b6rg M\\c3\\bcller)')).toBe(true);
    expect(match('(displayName=Jörg Müller)')).toBe(true);
    expect(match('(cn=EX\\30\\31)')).toBe(true); // \30\31 = "01"
  });

  it('escaped parentheses in values', () => {
    const ag = entry({ cn: ['Exchange Administrative Group (FYDIBOHF23SPDLT)'] });
    expect(match('(cn=Exchange Administrative Group \\28FYDIBOHF23SPDLT\\29)', ag)).toBe(true);
  });

  it('rejects unsupported rules and bad syntax with ExbinderError', () => {
    const bad: [string, string][] = [
      ['(memberOf:1.2.840.113556.1.4.1941:=CN=G,DC=x)', 'filter-unsupported'],
      ['(cn:dn:=x)', 'filter-unsupported'],
      ['(cn=x', 'filter-syntax'],
      ['(objectGUID=\\ab\\cd)', 'filter-syntax'],
      ['(userAccountControl:1.2.840.113556.1.4.803:=abc)', 'filter-syntax'],
    ];
    for (const [f, code] of bad) {
      let err: unknown;
      try {
        compileFilter(f);
      } catch (e) {
        err = e;
      }
      expect(err, f).toBeInstanceOf(ExbinderError);
      expect((err as ExbinderError).code, f).toBe(code);
    }
  });
});

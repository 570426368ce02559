/**
 * The pure parts of the Kerberos and discovery code: the SASL BindRequest
 * bytes (checked against BER written out by hand from RFC 4511 §4.2), the
 * bind response's binary serverSaslCreds, the RFC 4752 layer choice, the
 * RFC 2782 order, and the one retry of a page answered busy.
 */
import { BerReader, BusyError, MessageResponseStatus, PagedResultsControl, type SearchResponse } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { orderSrv, srvNames, validateDiscovery } from '../../../src/source/dc-discovery.js';
import { classify, KRB5 } from '../../../src/source/gssapi.js';
import { chooseLayer, SaslLayerError } from '../../../src/source/kerberos-bind.js';
import { ownPages, type ClientInternals } from '../../../src/source/ldap-paging.js';
import { SaslBindRequest, SaslBindResponse } from '../../../src/source/ldapts-sasl.js';
import { parseTarget } from '../../../src/source/ldap-target.js';
import { parseFilter } from '../../../src/source/filter.js';

describe('SASL GSSAPI bind messages', () => {
  it('writes credentials as an OCTET STRING of bytes, including bytes that are not UTF-8', () => {
    const token = Buffer.from([0x60, 0x82, 0xff, 0x00, 0xc3]);
    const bytes = new SaslBindRequest(5, 'GSSAPI', token).write();
    // LDAPMessage SEQUENCE { messageID 5, [APPLICATION 0] BindRequest { version 3, name "", [3] SaslCredentials { "GSSAPI", token } } }
    const expected = Buffer.from([
      0x30, 0x1b, 0x02, 0x01, 0x05, 0x60, 0x16, 0x02, 0x01, 0x03, 0x04, 0x00, 0xa3, 0x0f, 0x04, 0x06, ...Buffer.from('GSSAPI'), 0x04, 0x05,
      ...token,
    ]);
    expect(bytes.toString('hex')).toBe(expected.toString('hex'));
  });

  it('leaves the credentials out (not empty) when there are none', () => {
    const bytes = new SaslBindRequest(2, 'GSSAPI', null).write();
    expect(bytes.toString('hex')).toBe(Buffer.from([0x30, 0x14, 0x02, 0x01, 0x02, 0x60, 0x0f, 0x02, 0x01, 0x03, 0x04, 0x00, 0xa3, 0x08, 0x04, 0x06, ...Buffer.from('GSSAPI')]).toString('hex'));
  });

  it('reads serverSaslCreds as the bytes sent', () => {
    const creds = Buffer.from([0x05, 0x04, 0xff, 0xfe, 0x80]);
    // BindResponse body: resultCode 14 (saslBindInProgress), matchedDN "", diagnostic "", [7] serverSaslCreds
    const body = Buffer.from([0x0a, 0x01, 0x0e, 0x04, 0x00, 0x04, 0x00, 0x87, creds.length, ...creds]);
    const r = new SaslBindResponse({ messageId: 1 });
    r.parseMessage(new BerReader(body));
    expect(r.status).toBe(14);
    expect(r.serverSaslCreds?.toString('hex')).toBe(creds.toString('hex'));
  });
});

describe('RFC 4752 security layer', () => {
  const offer = (mask: number, max: number) => Buffer.from([mask, (max >> 16) & 0xff, (max >> 8) & 0xff, max & 0xff]);

  it('inside TLS: no layer, maximum size 0', () => {
    const { reply } = chooseLayer(offer(7, 0x10000), 'none');
    expect(reply.toString('hex')).toBe('01000000');
  });

  it('on plain LDAP: confidentiality, and the server maximum is kept', () => {
    const r = chooseLayer(offer(7, 0x10000), 'seal');
    expect(r.reply[0]).toBe(4);
    expect(r.serverMax).toBe(0x10000);
  });

  it('refuses a server offering no confidentiality on plain LDAP (never read AD in clear)', () => {
    expect(() => chooseLayer(offer(1 | 2, 0x10000), 'seal')).toThrow(SaslLayerError);
    expect(() => chooseLayer(offer(1 | 2, 0x10000), 'seal')).toThrow(/offers no SASL confidentiality/);
  });

  it('Kerberos on ldap:// always seals; a simple bind there still needs StartTLS', () => {
    expect(parseTarget({ url: 'ldap://dc1.contoso.com', auth: 'kerberos' }).secure).toBe('seal');
    expect(parseTarget({ url: 'ldap://dc1.contoso.com', auth: 'kerberos', insecurePlain: true }).secure).toBe('seal');
    expect(() => parseTarget({ url: 'ldap://dc1.contoso.com', auth: 'simple' })).toThrow(/would send the password unencrypted/);
    expect(() => parseTarget({ url: 'ldaps://10.0.0.1', auth: 'kerberos' })).toThrow(/needs the DC's DNS name/);
  });
});

describe('Kerberos error classes', () => {
  it('sorts MIT krb5 error-table codes (krb5_err.et) into what the user can fix', () => {
    // codes from MIT krb5's krb5_err.et: base -1765328384 + index
    expect(classify(-1765328384 + 37, '')).toBe('clock-skew'); // KRB5KRB_AP_ERR_SKEW
    expect(classify(-1765328384 + 7, '')).toBe('unknown-spn'); // KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN
    expect(classify(-1765328384 + 6, '')).toBe('principal-unknown'); // KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN
    expect(classify(-1765328384 + 24, '')).toBe('bad-key'); // KRB5KDC_ERR_PREAUTH_FAILED
    expect(classify(-1765328384 + 156, '')).toBe('kdc-unreachable'); // KRB5_KDC_UNREACH
    expect(classify(-1765328384 + 195, '')).toBe('no-credentials'); // KRB5_FCC_NOFILE
    expect(KRB5.SKEW).toBe(0x96c73a25);
    expect(classify(0, 'Clock skew too great')).toBe('clock-skew');
    expect(classify(12345, 'something else')).toBe('other');
  });
});

describe('RFC 2782 order', () => {
  const rec = (name: string, priority: number, weight: number) => ({ name, port: 389, priority, weight });

  it('lowest priority first; inside one, the weighted draw decides', () => {
    const records = [rec('c', 20, 0), rec('a1', 0, 10), rec('a2', 0, 90), rec('b', 10, 5)];
    // draw 0.5 of total 100 -> 50: running sums a1=10, a2=100 -> a2; then a1 alone
    expect(orderSrv(records, () => 0.5).map((r) => r.name)).toEqual(['a2', 'a1', 'b', 'c']);
    // draw 0 -> 0: a1 (sum 10 >= 0)
    expect(orderSrv(records, () => 0).map((r) => r.name)).toEqual(['a1', 'a2', 'b', 'c']);
  });

  it('weight 0 is chosen only by a draw of 0, and "." means no service', () => {
    const records = [rec('heavy', 0, 100), rec('zero', 0, 0), rec('.', 0, 50)];
    expect(orderSrv(records, () => 0).map((r) => r.name)).toEqual(['zero', 'heavy']);
    expect(orderSrv(records, () => 0.99).map((r) => r.name)).toEqual(['heavy', 'zero']);
  });

  it('spreads load by weight over many draws', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const firsts = { a: 0, b: 0 };
    for (let i = 0; i < 2000; i++) firsts[orderSrv([rec('a', 0, 75), rec('b', 0, 25)], random)[0]!.name as 'a' | 'b']++;
    expect(firsts.a / 2000).toBeGreaterThan(0.7);
    expect(firsts.a / 2000).toBeLessThan(0.8);
  });

  it('names the site record first, then the domain one', () => {
    expect(srvNames('Contoso.com.', 'Zurich')).toEqual(['_ldap._tcp.Zurich._sites.dc._msdcs.contoso.com', '_ldap._tcp.dc._msdcs.contoso.com']);
    expect(() => validateDiscovery({ domain: 'contoso' })).toThrow(/invalid --domain "contoso"/);
    expect(() => validateDiscovery({ domain: 'contoso.com', dnsServers: ['dns1'] })).toThrow(/invalid --dns-server "dns1": give the IP address/);
  });
});

describe('busy/unavailable page: one retry', () => {
  function response(status: number, cookie?: Buffer): SearchResponse {
    const r = { status, searchEntries: [], controls: cookie ? [new PagedResultsControl({ value: { size: 10, cookie } })] : [], errorMessage: 'busy', messageId: 1 };
    return r as unknown as SearchResponse;
  }
  const query = { base: 'DC=x', scope: 'sub' as const, filter: parseFilter('(objectClass=*)'), attributes: ['cn'], binary: new Set<string>() };

  it('asks for the same page again (same cookie), once', async () => {
    const answers = [response(0, Buffer.from('c1')), response(51), response(0)];
    const cookies: string[] = [];
    const internals: ClientInternals = {
      _nextMessageId: () => 1,
      _send: async (m) => {
        const paged = m.controls?.find((c): c is PagedResultsControl => c instanceof PagedResultsControl);
        cookies.push(paged?.value?.cookie?.toString() ?? '');
        return answers.shift();
      },
    };
    const retried: unknown[] = [];
    const ctx = { pageSize: 10, timeLimit: 1, assertBound: () => undefined, onPage: () => undefined, retryBusy: async (e: unknown) => (retried.push(e), true) };
    const pages = [];
    for await (const p of ownPages(internals, ctx, query, [])) pages.push(p);
    expect(pages).toHaveLength(2);
    expect(cookies).toEqual(['', 'c1', 'c1']);
    expect(retried).toHaveLength(1);
    expect(retried[0]).toBeInstanceOf(BusyError);
  });

  it('a second busy answer for the same page fails the search', async () => {
    const answers = [response(51), response(51)];
    const internals: ClientInternals = { _nextMessageId: () => 1, _send: async () => answers.shift() };
    const ctx = { pageSize: 10, timeLimit: 1, assertBound: () => undefined, onPage: () => undefined, retryBusy: async () => true };
    const run = async () => {
      for await (const _ of ownPages(internals, ctx, query, [])) void _;
    };
    await expect(run()).rejects.toBeInstanceOf(BusyError);
    expect(MessageResponseStatus.Success).toBe(0);
  });
});

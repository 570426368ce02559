import { describe, expect, it } from 'vitest';
import { decodeCountName, decodeDnsRecord, formatIpv6 } from '../../../src/harvest/decode/dns-record.js';

/** [MS-DNSP] 2.3.2.2 header + data, as AD stores a dnsRecord value. */
function record(type: number, data: Buffer, opts: { ttl?: number; timestamp?: number } = {}): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt16LE(data.length, 0);
  h.writeUInt16LE(type, 2);
  h[4] = 5; // version
  h[5] = 0xf0; // DNS_RANK_ZONE
  h.writeUInt32LE(1, 8); // serial
  h.writeUInt32BE(opts.ttl ?? 3600, 12);
  h.writeUInt32LE(opts.timestamp ?? 0, 20);
  return Buffer.concat([h, data]);
}

describe('dnsRecord', () => {
  it('A record as written into the contoso fixture zone (10.0.1.10, TTL 3600, static)', () => {
    const value = Buffer.from('BAABAAXwAAABAAAAAAAOEAAAAAAAAAAACgABCg==', 'base64');
    expect(decodeDnsRecord(value)).toEqual({ type: 'A', address: '10.0.1.10', ttl: 3600, static: true });
  });

  it('A record written by Samba itself when it provisioned the test DC (dc7 → 127.0.0.54, TTL 900)', () => {
    const value = Buffer.from('BAABAAXwAAABAAAAAAADhAAAAAAAAAAAfwAANg==', 'base64');
    expect(decodeDnsRecord(value)).toEqual({ type: 'A', address: '127.0.0.54', ttl: 900, static: true });
  });

  it('the zone apex records Samba wrote (SOA, NS) are recognised as other types', () => {
    const soa = Buffer.from('QwAGAAXwAAABAAAAAAAOEAAAAAAAAAAAAAAAAQAAA4QAAAJYAAFRgAAADhASAwNkYzcHY29udG9zbwR0ZXN0ABkDCmhvc3RtYXN0ZXIHY29udG9zbwR0ZXN0AA==', 'base64');
    const ns = Buffer.from('FAACAAXwAAABAAAAAAADhAAAAAAAAAAAEgMDZGM3B2NvbnRvc28EdGVzdAA=', 'base64');
    expect(decodeDnsRecord(soa)).toEqual({ type: 'other', typeCode: 6 });
    expect(decodeDnsRecord(ns)).toEqual({ type: 'other', typeCode: 2 });
    // the NS data is a DNS_COUNT_NAME, the same encoding CNAME uses
    expect(decodeCountName(ns.subarray(24))).toBe('dc7.contoso.test');
  });

  it('A record built from the spec, dynamic (aging timestamp set)', () => {
    expect(decodeDnsRecord(record(1, Buffer.from([192, 168, 7, 200]), { ttl: 1200, timestamp: 3_700_000 }))).toEqual({
      type: 'A', address: '192.168.7.200', ttl: 1200, static: false,
    });
  });

  it('AAAA record, zero run compressed (RFC 5952)', () => {
    const addr = Buffer.from('20010db8000000000000000000000042', 'hex');
    expect(decodeDnsRecord(record(0x1c, addr))).toEqual({ type: 'AAAA', address: '2001:db8::42', ttl: 3600, static: true });
  });

  it('CNAME record (DNS_COUNT_NAME)', () => {
    // total length, label count, then length-prefixed labels, terminated by 0
    const name = Buffer.from([15, 3, 4, ...Buffer.from('mail'), 7, ...Buffer.from('contoso'), 4, ...Buffer.from('test'), 0]);
    expect(decodeDnsRecord(record(5, name))).toEqual({ type: 'CNAME', target: 'mail.contoso.test', ttl: 3600, static: true });
  });

  it('tombstone (type 0: EntombedTime) is never an address', () => {
    const entombed = Buffer.alloc(8);
    entombed.writeBigUInt64LE(133_000_000_000_000_000n);
    expect(decodeDnsRecord(record(0, entombed))).toEqual({ type: 'tombstone' });
  });

  it('other types are recognised but not decoded', () => {
    expect(decodeDnsRecord(record(0x0f, Buffer.from([0, 10, 0])))).toEqual({ type: 'other', typeCode: 15 });
  });

  it('rejects truncated values', () => {
    expect(() => decodeDnsRecord(Buffer.alloc(10))).toThrow(/too short/);
    expect(() => decodeDnsRecord(record(1, Buffer.from([10, 0, 0, 1])).subarray(0, 26))).toThrow(/truncated/);
    expect(() => decodeDnsRecord(record(1, Buffer.from([10, 0, 1])))).toThrow(/A record with 3/);
    expect(() => decodeCountName(Buffer.from([9, 1, 20, 65]))).toThrow(/overruns/);
  });

  it('IPv6 text forms', () => {
    expect(formatIpv6(Buffer.alloc(16))).toBe('::');
    expect(formatIpv6(Buffer.from('fe800000000000000000000000000001', 'hex'))).toBe('fe80::1');
    expect(formatIpv6(Buffer.from('20010db8000100020003000400050006', 'hex'))).toBe('2001:db8:1:2:3:4:5:6');
    // a single zero group is not compressed
    expect(formatIpv6(Buffer.from('20010db8000000010001000100010001', 'hex'))).toBe('2001:db8:0:1:1:1:1:1');
  });
});

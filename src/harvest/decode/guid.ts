/**
 * objectGUID bytes → canonical GUID string.
 *
 * AD stores a GUID as 16 bytes in the Windows in-memory layout: the first
 * three fields (4, 2, 2 bytes) little-endian, the last 8 bytes as is. This is
 * what `new Guid(bytes)` in .NET (and CSS-Exchange) shows, and what an admin
 * sees in ADSI Edit, so the snapshot uses the same form.
 */
export function guidFromBytes(bytes: Buffer): string | null {
  if (bytes.length !== 16) return null;
  const h = (from: number, to: number, reverse: boolean): string => {
    const part = Array.from(bytes.subarray(from, to));
    if (reverse) part.reverse();
    return part.map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  return [h(0, 4, true), h(4, 6, true), h(6, 8, true), h(8, 10, false), h(10, 16, false)].join('-');
}

/** Canonical string → the 16 bytes AD stores (inverse of guidFromBytes). */
export function guidToBytes(guid: string): Buffer {
  const hex = guid.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a GUID: ${guid}`);
  const b = Buffer.from(hex, 'hex');
  const swap = (from: number, to: number): Buffer => Buffer.from(b.subarray(from, to)).reverse();
  return Buffer.concat([swap(0, 4), swap(4, 6), swap(6, 8), b.subarray(8, 16)]);
}

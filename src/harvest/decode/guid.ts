/**
 * objectGUID bytes → canonical GUID string.
 *
 * AD stores a GUID as 16 bytes in the Windows in-memory layout: the first
 * three fields (4, 2, 2 bytes) little-endian, the last 8 bytes as is. This is
 * what `new Guid(bytes)` in .NET (and CSS-Exchange) shows, and what an admin
 * sees in ADSI Edit, so the snapshot uses the same form.
 */
export class GuidError extends Error {}

export function guidFromBytes(bytes: Buffer): string | null {
  if (bytes.length !== 16) return null;
  // one GUID per snapshot object: a table lookup per byte, not an array per field
  const x = (i: number): string => HEX[bytes[i]!]!;
  return `${x(3)}${x(2)}${x(1)}${x(0)}-${x(5)}${x(4)}-${x(7)}${x(6)}-${x(8)}${x(9)}-${x(10)}${x(11)}${x(12)}${x(13)}${x(14)}${x(15)}`;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Canonical string → the 16 bytes AD stores (inverse of guidFromBytes). */
export function guidToBytes(guid: string): Buffer {
  const hex = guid.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new GuidError(`not a GUID: ${guid}`);
  const b = Buffer.from(hex, 'hex');
  const swap = (from: number, to: number): Buffer => Buffer.from(b.subarray(from, to)).reverse();
  return Buffer.concat([swap(0, 4), swap(4, 6), swap(6, 8), b.subarray(8, 16)]);
}

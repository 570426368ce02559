import { describe, expect, it } from 'vitest';
import { guidFromBytes, guidToBytes } from '../../../src/harvest/decode/guid.js';

describe('objectGUID', () => {
  it('first three fields little-endian, as .NET new Guid(bytes) shows it', () => {
    // bytes of {01020304-0506-0708-090a-0b0c0d0e0f10} in AD's storage order
    const bytes = Buffer.from([4, 3, 2, 1, 6, 5, 8, 7, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(guidFromBytes(bytes)).toBe('01020304-0506-0708-090a-0b0c0d0e0f10');
  });

  it('round trips', () => {
    const g = '6c01d2a7-f083-4503-8132-789eeb127b84';
    expect(guidFromBytes(guidToBytes(g))).toBe(g);
    expect(guidToBytes(g).toString('hex')).toBe('a7d2016c83f003458132789eeb127b84');
  });

  it('not 16 bytes → null', () => {
    expect(guidFromBytes(Buffer.alloc(15))).toBeNull();
  });
});

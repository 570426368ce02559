import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../../src/render/heap.js';

describe('collectGarbage (between the Markdown and the PDF of a large binder)', () => {
  it('collects what is no longer referenced, and leaves the program global without gc', () => {
    const hadGc = 'gc' in globalThis;
    let junk: unknown[] | null = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `value ${i}` }));
    // promoted: survives two young collections, like the view does while the templates run
    for (let k = 0; k < 3; k++) Array.from({ length: 300_000 }, (_, i) => [i]);
    const before = process.memoryUsage().heapUsed;
    expect((junk as unknown[]).length).toBe(200_000);
    junk = null;
    collectGarbage();
    const after = process.memoryUsage().heapUsed;
    // 200,000 small objects are well over 10 MB; a full collection returns them
    expect(before - after).toBeGreaterThan(10 * 1024 * 1024);
    expect('gc' in globalThis).toBe(hadGc);
    collectGarbage(); // a second call reuses the function it found
  });
});

/**
 * Issue 10, denial of service: a long unbroken value in the PDF (the word
 * cutter searched the whole remaining string per chunk: 10,000 characters
 * took 8 s, 100,000 more than 100 s). bench/long-token.ts prints the times.
 */
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../../src/render/index.js';

async function seconds(n: number): Promise<number> {
  const markdown = `# Long\n\nValue \`${'Z'.repeat(n)}\` end.\n`;
  const t0 = performance.now();
  await renderPdf(markdown, { paper: 'a4', title: 'Long', creationDate: new Date(0), snapshotLabel: 'Snapshot x' });
  return (performance.now() - t0) / 1000;
}

describe('issue 10: PDF render of a long unbroken value', () => {
  it('issue 10 case 29: 100,000 characters render in linear time (not 10x the 10,000-character time squared) and within seconds', async () => {
    await seconds(2_000); // warm-up: fonts, pdfkit
    const small = await seconds(25_000);
    const large = await seconds(100_000);
    // linear: ~4x; the quadratic cutter was ~16x. The absolute bound leaves room for a busy CI machine (bench: 1.5 s under load)
    expect(large / small).toBeLessThan(9);
    expect(large).toBeLessThan(20);
  }, 120_000);
});

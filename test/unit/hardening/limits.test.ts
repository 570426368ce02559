/**
 * Issue 10, resource limits of the supplement: size, keys and value length
 * refused in one line; a YAML alias bomb names file and line; parsing many
 * keys grows linearly (bench/supplement.ts prints the numbers).
 */
import { describe, expect, it } from 'vitest';
import { ExbinderError } from '../../../src/errors.js';
import { SUPPLEMENT_LIMITS, parseSupplement } from '../../../src/render/supplement.js';
import { sampleSnapshot } from '../render/sample-snapshot.js';

const snap = sampleSnapshot();
function errorOf(src: string): ExbinderError {
  try {
    parseSupplement(src, 'sup.yaml', snap);
  } catch (e) {
    expect(e).toBeInstanceOf(ExbinderError);
    return e as ExbinderError;
  }
  throw new Error('no error');
}

/** `n` keys in one mapping, each a distinct (valid) drive letter is impossible: use a free-text map under notes-bearing servers. */
function manyKeys(n: number): string {
  return 'domainControllers:\n' + Array.from({ length: n }, (_, i) => `  dc${i}:\n    location: "room ${i}"\n`).join('');
}

describe('issue 10: supplement limits and linear parsing', () => {
  it('issue 10 case 25: many keys parse in linear time (40k keys is not 4x 10k keys squared) and end in a one-line error naming the first unknown name', () => {
    const time = (n: number) => {
      const src = manyKeys(n);
      const t0 = performance.now();
      const e = errorOf(src);
      expect(e.message).toBe('sup.yaml:2: domain controller "dc0" is not in the snapshot (fix the supplement file; see fixtures/supplement.example.yaml)');
      return performance.now() - t0;
    };
    time(2000); // warm-up
    const small = Math.min(time(10_000), time(10_000));
    const large = Math.min(time(40_000), time(40_000));
    // linear: ~4x; the quadratic duplicate-key check was ~16x. 9x leaves room for a busy machine.
    expect(large / small).toBeLessThan(9);
  }, 120_000);

  it('issue 10 case 25b: a file over the size limit, too many keys, an overlong value: one line each, before any parsing work', () => {
    const big = 'x'.repeat(SUPPLEMENT_LIMITS.bytes + 1);
    expect(errorOf(big).message).toBe('sup.yaml: 8.0 MiB is more than a supplement may hold (8 MiB): keep to the facts the binder prints (see docs/limits.md)');
    expect(errorOf(manyKeys(SUPPLEMENT_LIMITS.keys / 2 + 1)).message).toMatch(/^sup\.yaml:\d+: more than 250000 keys in one supplement \(see docs\/limits\.md\)/);
    const long = `backup:\n  software: "${'y'.repeat(SUPPLEMENT_LIMITS.valueChars + 1)}"\n`;
    expect(errorOf(long).message).toBe(`sup.yaml:2: a value of ${SUPPLEMENT_LIMITS.valueChars + 1} characters; a supplement value may hold 65536 (see docs/limits.md) (fix the supplement file; see fixtures/supplement.example.yaml)`);
  }, 120_000);

  it('issue 10 case 26: a YAML alias bomb is one line with file and line, not "internal error: Excessive alias count"', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]'].join('\n');
    expect(errorOf(bomb).message).toBe(
      'sup.yaml:2: YAML aliases expand to more than 100 copies (an alias bomb?): write the values out instead of using & and * (fix the supplement file; see fixtures/supplement.example.yaml)',
    );
    // and an alias before its anchor (found by the fuzzer: a ReferenceError escaped)
    expect(errorOf('antivirus:\n  fileLevel: *a\n').message).toMatch(/^sup\.yaml:2: (YAML alias without an anchor before it|not valid YAML\/JSON)/);
  });
});

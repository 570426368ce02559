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

  it('aliases: a flat anchor used 100 times is fine, the 101st copy is refused; an anchor copying aliases counts them', () => {
    const uses = (n: number) => `backup: &b {software: x}\nx: [${Array.from({ length: n }, () => '*b').join(', ')}]\n`;
    // the copies are counted before validation: 100 pass the alias check and fail only on the unknown key "x"
    expect(errorOf(uses(100)).message).toMatch(/^sup\.yaml:\d+: unknown key "x"/);
    expect(errorOf(uses(101)).message).toMatch(/^sup\.yaml:\d+: YAML aliases expand to more than 100 copies/);
    // 11 aliases of an anchor that itself holds 9 aliases: 11 x (1 + 9) = 110 copies
    const nested = `a: &a [1]\nb: &b [${Array(9).fill('*a').join(', ')}]\nc: [${Array(11).fill('*b').join(', ')}]\n`;
    expect(errorOf(nested).message).toMatch(/^sup\.yaml:2: YAML aliases expand to more than 100 copies/);
  });

  it('YAML 1.2 core schema as before: << is a key, not a merge; a second document and an unknown tag are one line each', () => {
    expect(errorOf('backup: &b {software: x}\ncertificate:\n  <<: *b\n').message).toMatch(/^sup\.yaml:3: unknown key "<<" at certificate\.<</);
    expect(errorOf('backup:\n  software: x\n---\nbackup: {}\n').message).toMatch(/^sup\.yaml:4: not valid YAML\/JSON: more than one document/);
    expect(errorOf('backup:\n  software: !!binary aGVsbG8=\n').message).toMatch(/^sup\.yaml:2: not valid YAML\/JSON: /);
    expect(errorOf('backup:\n  software: x\n  software: y\n').message).toMatch(/^sup\.yaml:3: duplicate key "software"/);
  });

  it('issue 10 case 25c: a 4 MB supplement is parsed and validated in under 2 s of CPU (yaml\'s document model took about 4 s)', () => {
    const n = 62_000; // 4 MB in the bench's shape (bench/supplement.ts)
    const s = sampleSnapshot();
    const dc = s.forest.domainControllers[0]!;
    s.forest.domainControllers = Array.from({ length: n }, (_, i) => ({ ...dc, name: `DC${i}` }));
    const src = 'domainControllers:\n' + Array.from({ length: n }, (_, i) => `  DC${i}:\n    location: "Building ${i % 97}, room ${i}, rack ${i % 13}, unit ${i % 42}"\n`).join('');
    expect(src.length).toBeGreaterThan(3.9 * 1024 * 1024);
    parseSupplement(src.slice(0, 100_000).replace(/\n[^\n]*$/, '\n').replace(/\n  DC\d+:\n$/, '\n'), 'warm.yaml', s);
    // CPU time of this process, not wall time: the machine running the tests is shared
    const c0 = process.cpuUsage();
    const sup = parseSupplement(src, 'sup.yaml', s);
    const c = process.cpuUsage(c0);
    expect(Object.keys(sup.domainControllers ?? {})).toHaveLength(n);
    expect((c.user + c.system) / 1e6).toBeLessThan(2);
  }, 120_000);
});


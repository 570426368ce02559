import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useColor } from '../../../src/cli/color.js';
import { runCli } from '../../../src/cli/program.js';
import { byName, reharvest, sampleSnapshot } from '../snapshot/sample.js';

describe('useColor', () => {
  it('colour needs a TTY and no NO_COLOR', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    // no-color.org: an empty NO_COLOR does not count
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
  });
});

describe('exbinder diff colour comes from the CLI io', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exbinder-color-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  const base = sampleSnapshot();
  const next = reharvest(base);
  byName(next.databases, 'DB01').edbFilePath = 'G:\\DB01\\DB01.edb';
  writeFileSync(a, JSON.stringify(base));
  writeFileSync(b, JSON.stringify(next));

  const diff = async (color: boolean | undefined): Promise<string> => {
    const out: string[] = [];
    const code = await runCli(['node', 'exbinder', 'diff', a, b], { out: (l) => out.push(l), err: () => undefined, write: (d) => out.push(String(d)), isTTY: false, color });
    expect(code).toBe(1);
    return out.join('\n');
  };

  it('paints CRITICAL red only when the io says the terminal takes colour', async () => {
    expect(await diff(true)).toContain('\x1b[31mCRITICAL\x1b[0m');
    const plain = await diff(false);
    expect(plain).toContain('CRITICAL  Database DB01');
    expect(plain).not.toContain('\x1b[');
    expect(await diff(undefined)).toBe(plain);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInventory, mapLimited } from '../../../src/run/inventory.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exbinder-inv-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const inv = async (text: string) => {
  const p = join(dir, 'inventory.yaml');
  await writeFile(p, text);
  return p;
};

describe('loadInventory', () => {
  it('merges defaults < config file < inline keys, stores under root, paths relative to their file', async () => {
    await writeFile(join(dir, 'contoso.yaml'), 'url: ldaps://dc1.contoso.com\nbindDn: a@contoso.com\npasswordFile: contoso.pw\nkeep: 5\n');
    const p = await inv([
      'root: stores', 'parallel: 3', 'defaults:', '  keep: 90', '  git: true',
      'organizations:', '  - name: contoso', '    config: contoso.yaml', '    keep: 7',
      '  - name: fabrikam', '    url: ldaps://dc1.fabrikam.com', '    store: /srv/fab',
    ].join('\n'));
    const i = await loadInventory(p);
    expect(i.parallel).toBe(3);
    expect(i.organizations.map((o) => [o.name, o.config.store, o.config.keep, o.config.git, o.config.passwordFile])).toEqual([
      ['contoso', join(dir, 'stores', 'contoso'), 7, true, join(dir, 'contoso.pw')],
      ['fabrikam', '/srv/fab', 90, true, undefined],
    ]);
  });

  it.each([
    ['organizations: []\n', /key 'organizations': /],
    ['organizations:\n  - name: a\n    url: ldaps://x\n', /organization 'a' has no store: set root/],
    ['root: s\norganizations:\n  - name: a\n  - name: A\n', /organization 'A' is listed twice/],
    ['organizations:\n  - name: a\n    store: /x\n  - name: b\n    store: /x\n', /organizations 'a' and 'b' share the store \/x/],
    ['root: s\norganizations:\n  - name: ../up\n', /key 'organizations.0.name': letters, digits/],
    ['root: s\norganizations:\n  - name: a\n    pasword: x\n', /key 'pasword': unknown key/],
  ])('refuses %j in one line', async (text, message) => {
    const p = await inv(text);
    await expect(loadInventory(p)).rejects.toThrow(new RegExp(`^inventory ${p.replace(/[.]/g, '\\.')}: .*${message.source}`));
  });
});

describe('mapLimited', () => {
  it('never runs more than the limit at once and keeps the input order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimited([30, 10, 20, 5, 15], 2, async (ms, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return i;
    });
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });
});

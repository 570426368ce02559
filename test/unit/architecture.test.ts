/**
 * The stages flow one way: source → harvest → snapshot → render, with the use
 * cases (run) and the command line (cli) on top and dn.ts, errors.ts and
 * exchange/ on the ground floor. Each stage imports only what it consumes: the
 * harvest reads the Directory contract and writes the snapshot model, render
 * reads the snapshot, the snapshot stage stands alone. What render needs from
 * the harvest (the attribute spelling, the attribute tables) the use cases pass in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const STAGES = ['source', 'harvest', 'snapshot', 'render', 'run', 'cli'] as const;
type Stage = (typeof STAGES)[number];
/** What each stage may import besides itself and the ground floor. */
const MAY_IMPORT: Record<Stage, readonly Stage[]> = {
  source: [],
  harvest: ['source', 'snapshot'],
  snapshot: [],
  render: ['snapshot'],
  run: ['source', 'harvest', 'snapshot', 'render'],
  cli: ['source', 'harvest', 'snapshot', 'render', 'run'],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** The stage a path under src/ belongs to, or null for the ground floor. */
const stageOf = (path: string): Stage | null => {
  const top = relative(SRC, path).split(/[\\/]/)[0]!;
  return (STAGES as readonly string[]).includes(top) ? (top as Stage) : null;
};

describe('stage imports', () => {
  it('each stage imports only the stages it consumes', () => {
    const upstream: string[] = [];
    for (const f of files(SRC)) {
      const from = stageOf(f);
      if (from === null) continue;
      for (const m of readFileSync(f, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+['"](\.[^'"]+)['"]/gm)) {
        const to = stageOf(join(f, '..', m[1]!));
        if (to !== null && to !== from && !MAY_IMPORT[from].includes(to)) upstream.push(`${relative(SRC, f)} → ${m[1]}`);
      }
    }
    expect(upstream).toEqual([]);
  });

  it('the ground floor imports no stage', () => {
    const ground = files(SRC).filter((f) => stageOf(f) === null);
    expect(ground.length).toBeGreaterThan(3);
    const bad = ground.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)]
      .filter((m) => stageOf(join(f, '..', m[1]!)) !== null).map((m) => `${relative(SRC, f)} → ${m[1]}`));
    expect(bad).toEqual([]);
  });
});

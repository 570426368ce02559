/**
 * Embedded DejaVu fonts: the standard PDF fonts are WinAnsi only and would
 * garble names such as Αθήνα or Москва. Loaded once per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FontKind } from './blocks.js';

const FILES: Record<FontKind, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};

let cache: Record<FontKind, Buffer> | null = null;

export function fontBuffers(): Record<FontKind, Buffer> {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  cache = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, readFileSync(join(dir, f))])) as Record<FontKind, Buffer>;
  return cache;
}

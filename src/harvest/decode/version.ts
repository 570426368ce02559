/**
 * A server's build → the snapshot's ExchangeVersion (product, release, label),
 * from the version knowledge on the ground floor (src/exchange/).
 */
import type { ExchangeVersion } from '../../snapshot/model.js';
import { BUILDS } from '../../exchange/build-table.js';
import { productOf, type BuildNumber } from '../../exchange/version.js';

function buildText(b: BuildNumber): string {
  return `${b.major}.${b.minor}.${b.build}${b.revision === null ? '' : `.${b.revision}`}`;
}

/** Full decode; `release` is null (and `known` false) when the build is not in the table. */
export function describeBuild(b: BuildNumber): { version: ExchangeVersion; known: boolean } {
  const row = BUILDS.find((r) => r.major === b.major && r.minor === b.minor && r.build === b.build);
  const product = productOf(b);
  const release = row?.release ?? null;
  const label =
    release !== null
      ? `${product} ${release} (${buildText(b)})`
      : `${product === 'unknown' ? 'Unknown Exchange version' : product}, unknown build (${buildText(b)})`;
  return { version: { ...b, product, release, label }, known: row !== undefined };
}


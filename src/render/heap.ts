/**
 * How a binder render keeps its peak memory down (bench/render.ts, the
 * 60-server real2019 organization, peak RSS of the PDF render):
 *
 * - No allocation-site pretenuring. V8 watches where objects are created and,
 *   when most of one site's objects outlive a young collection, allocates all
 *   of that site's later objects in the old generation. A render builds a
 *   chapter's blocks, lines and pieces, draws them and drops them: the
 *   objects of a large section outlive a young collection, and a site that
 *   was pretenured then sends every later section's garbage to the old
 *   generation, where it stays until the next full collection. Whether that
 *   happens depends on thread timing, so the same render peaked at 255 MB on
 *   some runs and 338-357 MB on others; without pretenuring 220-238 MB on
 *   every run, with no cost in CPU time.
 * - One full collection between a large binder's Markdown and its PDF. The
 *   view and the template output (about 100 MB on that organization) are
 *   garbage by then, but were promoted while in use, and V8's next full
 *   collection comes only when the old generation reaches about four times
 *   what was live at its last one: the drawing would run on top of them
 *   (275-302 MB without this collection, 220-223 MB with it).
 *
 * Both are V8 settings changed from inside the process (node:v8
 * setFlagsFromString). The collection is exposed only through --expose-gc,
 * which applies to contexts created after it, so `gc` is taken from a new,
 * empty context and the program's own global stays as it was. Where the
 * runtime refuses either, nothing is done: they only lower the peak.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Below this many characters of Markdown the heap is small and a collection buys nothing. */
export const LARGE_MARKDOWN = 1_000_000;

let pretenuring = true;

/** For the rest of the process: no allocation-site pretenuring (once; a render is the process's big job). */
export function noPretenuring(): void {
  if (!pretenuring) return;
  pretenuring = false;
  try {
    setFlagsFromString('--no-allocation-site-pretenuring');
  } catch {
    // only lowers the peak
  }
}

let collect: (() => void) | null | undefined;

/** One full garbage collection now, where the runtime allows it. */
export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('typeof gc === "function" ? gc : null');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  collect?.();
}

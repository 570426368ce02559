/**
 * One full garbage collection between building a large binder's Markdown and
 * drawing its PDF. The view and the template output (about 100 MB on the
 * 60-server bench organization) are garbage by then, but V8 promoted them
 * while they were in use, and its next full collection comes only when the
 * old generation reaches about four times what was live at the previous one:
 * the drawing then runs on top of that garbage and the process peaks some
 * 40-50 MB higher (bench/render.ts: 291-311 MB without, 255-256 MB with).
 * A nightly job in a container with a memory limit is what this is for.
 *
 * V8 offers the collection only through --expose-gc; setting the flag now
 * exposes `gc` to contexts created after it, so it is taken from a new,
 * empty context and the program's own global stays as it was. Where the
 * runtime refuses, nothing is done: this only lowers the peak.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Below this many characters of Markdown the heap is small and a collection buys nothing. */
export const LARGE_MARKDOWN = 1_000_000;

let collect: (() => void) | null | undefined;

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

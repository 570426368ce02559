/** `exbinder render`: snapshot file (or stdin) → binder (Markdown, PDF or HTML), written atomically (or to stdout). */
import { renderBinder } from '../render/index.js';
import { checkWritable, writeFileAtomic } from '../snapshot/atomic.js';
import { faultPoint } from '../fault.js';
import { loadSnapshot, parseSnapshot } from '../snapshot/migrate.js';
import type { Snapshot } from '../snapshot/model.js';

export type Paper = 'a4' | 'letter';

export interface RenderCommandOptions {
  format: 'md' | 'pdf' | 'html';
  /** '-' = standard output */
  out: string;
  supplement?: string;
  templates?: string;
  paper: Paper;
  readStdin?: () => Promise<string>;
  stdout?: (data: string | Uint8Array) => void;
}

/** A snapshot from a file, or from standard input when the path is '-'. */
export async function readSnapshotArg(path: string, readStdin?: () => Promise<string>): Promise<Snapshot> {
  if (path !== '-') return loadSnapshot(path);
  if (!readStdin) throw new Error('no standard input available');
  return parseSnapshot(await readStdin(), 'standard input');
}

export async function renderCommand(snapshotPath: string, o: RenderCommandOptions): Promise<string[]> {
  const snapshot = await readSnapshotArg(snapshotPath, o.readStdin);
  if (o.out !== '-') await checkWritable(o.out);
  await faultPoint('render');
  const binder = await renderBinder(snapshot, {
    pdf: o.format === 'pdf',
    html: o.format === 'html',
    paper: o.paper,
    supplementPath: o.supplement,
    templatesDir: o.templates,
  });
  const data = binder.pdf ?? binder.html ?? binder.markdown;
  if (o.out === '-') {
    (o.stdout ?? ((d) => process.stdout.write(d)))(data);
    return [`binder for ${snapshot.organization.name} written to standard output`];
  }
  await writeFileAtomic(o.out, data);
  return [`binder for ${snapshot.organization.name} written to ${o.out}`];
}

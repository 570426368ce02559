/** `exbinder render`: snapshot file → binder (Markdown or PDF), written atomically. */
import { renderBinder } from '../render/index.js';
import { writeFileAtomic } from '../snapshot/atomic.js';
import { loadSnapshot } from '../snapshot/migrate.js';

export type Paper = 'a4' | 'letter';

export interface RenderCommandOptions {
  format: 'md' | 'pdf';
  out: string;
  supplement?: string;
  templates?: string;
  paper: Paper;
}

export async function renderCommand(snapshotPath: string, o: RenderCommandOptions): Promise<string[]> {
  const snapshot = await loadSnapshot(snapshotPath);
  const binder = await renderBinder(snapshot, {
    pdf: o.format === 'pdf',
    paper: o.paper,
    supplementPath: o.supplement,
    templatesDir: o.templates,
  });
  await writeFileAtomic(o.out, binder.pdf ?? binder.markdown);
  return [`binder for ${snapshot.organization.name} written to ${o.out}`];
}

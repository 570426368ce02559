/** `exbinder render`: snapshot file → binder (Markdown or PDF), written atomically. */
import { buildView, loadSupplement, renderMarkdown, renderPdf } from '../render/index.js';
import { snapshotId } from '../snapshot/canonical.js';
import type { DriftReport } from '../snapshot/drift.js';
import { loadSnapshot } from '../snapshot/migrate.js';
import type { Snapshot } from '../snapshot/model.js';
import { writeFileAtomic } from '../snapshot/atomic.js';

export type Paper = 'a4' | 'letter';

export interface BinderOptions {
  supplement?: string;
  templates?: string;
  paper: Paper;
  drift?: DriftReport | null;
}

export interface Binder {
  markdown: string;
  pdf: Buffer | null;
}

/** Markdown always; PDF drawn from that same Markdown when asked. */
export async function renderBinder(snapshot: Snapshot, o: BinderOptions, pdf: boolean): Promise<Binder> {
  const supplement = o.supplement ? loadSupplement(o.supplement, snapshot) : null;
  // the binder is dated by the snapshot, never by the clock: same input, same bytes
  const view = buildView(snapshot, { supplement, drift: o.drift ?? null, generatedAt: snapshot.metadata.harvestedAt });
  const markdown = renderMarkdown(view, { templatesDir: o.templates });
  if (!pdf) return { markdown, pdf: null };
  const bytes = await renderPdf(markdown, {
    paper: o.paper,
    title: `Exchange recovery binder: ${snapshot.organization.name}`,
    creationDate: new Date(snapshot.metadata.harvestedAt),
    snapshotLabel: `snapshot ${snapshotId(snapshot)} of ${snapshot.metadata.harvestedAt.slice(0, 10)}`,
  });
  return { markdown, pdf: bytes };
}

export async function renderCommand(
  snapshotPath: string,
  o: BinderOptions & { format: 'md' | 'pdf'; out: string },
): Promise<string[]> {
  const snapshot = await loadSnapshot(snapshotPath);
  const binder = await renderBinder(snapshot, o, o.format === 'pdf');
  await writeFileAtomic(o.out, o.format === 'pdf' ? binder.pdf! : binder.markdown);
  return [`binder for ${snapshot.organization.name} written to ${o.out}`];
}

/**
 * One call from snapshot to binder, with the choices that keep output
 * deterministic made once: the PDF dates and the "generated at" stamp come from
 * the snapshot's harvest time unless the caller passes generatedAt.
 */
import type { Snapshot } from '../snapshot/model.js';
import type { DriftReport } from '../snapshot/drift.js';
import { loadSupplement } from './supplement.js';
import { buildView } from './view/build.js';
import { renderMarkdown } from './markdown.js';
import { renderPdf } from './pdf/render.js';

export type BinderOptions = {
  /** draw the PDF too (from the same Markdown) */
  pdf: boolean;
  paper?: 'a4' | 'letter';
  supplementPath?: string | null;
  templatesDir?: string;
  drift?: DriftReport | null;
  generatedAt?: string;
};

export type Binder = { markdown: string; pdf: Buffer | null };

/** Returns what to write; nothing is written here (the CLI and the store write atomically). */
export async function renderBinder(snapshot: Snapshot, opts: BinderOptions): Promise<Binder> {
  const supplement = opts.supplementPath ? loadSupplement(opts.supplementPath, snapshot) : null;
  const view = buildView(snapshot, { supplement, drift: opts.drift ?? null, ...(opts.generatedAt ? { generatedAt: opts.generatedAt } : {}) });
  const markdown = renderMarkdown(view, opts.templatesDir ? { templatesDir: opts.templatesDir } : {});
  if (!opts.pdf) return { markdown, pdf: null };
  const pdf = await renderPdf(markdown, {
    paper: opts.paper ?? 'a4',
    title: view.title,
    header: view.cover.organization,
    creationDate: new Date(snapshot.metadata.harvestedAt),
    snapshotLabel: `Snapshot ${view.cover.snapshotId} (${snapshot.metadata.harvestedAt})`,
  });
  return { markdown, pdf };
}

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
import { renderPdf, type PdfOptions } from './pdf/render.js';
import { renderHtml } from './html.js';
import type { BinderScope } from './scope.js';

export type BinderOptions = {
  /** draw the PDF too (from the same Markdown) */
  pdf: boolean;
  /** write the self-contained HTML page too (from the same Markdown) */
  html?: boolean;
  paper?: 'a4' | 'letter';
  supplementPath?: string | null;
  templatesDir?: string;
  drift?: DriftReport | null;
  generatedAt?: string;
  /** the servers printed and where the appendices go (default: every server, appendices inline) */
  scope?: BinderScope;
  /** raw attribute names as AD spells them (Appendix B); the harvest's `attributeSpelling` */
  attributeSpelling?: (attribute: string) => string;
  /** a tagged PDF (structure for screen readers); default: EXBINDER_TAGGED_PDF=1, else off */
  taggedPdf?: boolean;
  /** folders searched first for faces with glyphs DejaVu lacks; default: EXBINDER_FONT_DIRS */
  fontDirs?: string[];
};

/** One output file's contents. */
export type BinderFile = { markdown: string; pdf: Buffer | null; html?: string };
/** appendix: the separate appendix file (scope.appendix 'separate'), else absent. */
export type Binder = BinderFile & { appendix?: BinderFile };

/** Returns what to write; nothing is written here (the CLI and the store write atomically). */
export async function renderBinder(snapshot: Snapshot, opts: BinderOptions): Promise<Binder> {
  const { markdown, appendix, pdfOptions } = toMarkdown(snapshot, opts);
  const binder = await output(markdown, pdfOptions, opts);
  if (appendix === null) return binder;
  return { ...binder, appendix: await output(appendix, { ...pdfOptions, title: `Appendices: ${pdfOptions.title}` }, opts) };
}

async function output(markdown: string, pdfOptions: PdfOptions, opts: BinderOptions): Promise<BinderFile> {
  const html = opts.html ? { html: renderHtml(markdown, { title: pdfOptions.title, footer: pdfOptions.snapshotLabel }) } : {};
  if (!opts.pdf) return { markdown, pdf: null, ...html };
  return { markdown, pdf: await renderPdf(markdown, pdfOptions), ...html };
}

/** The view model lives only in here, so it can be collected before the PDF pass starts. */
function toMarkdown(snapshot: Snapshot, opts: BinderOptions): { markdown: string; appendix: string | null; pdfOptions: PdfOptions } {
  const supplement = opts.supplementPath ? loadSupplement(opts.supplementPath, snapshot) : null;
  const view = buildView(snapshot, {
    supplement, drift: opts.drift ?? null, ...(opts.generatedAt ? { generatedAt: opts.generatedAt } : {}), ...(opts.scope ? { scope: opts.scope } : {}),
    ...(opts.attributeSpelling ? { attributeSpelling: opts.attributeSpelling } : {}),
  });
  const dir = opts.templatesDir ? { templatesDir: opts.templatesDir } : {};
  const markdown = renderMarkdown(view, dir);
  const appendix = opts.scope?.appendix === 'separate' ? renderMarkdown(view, { ...dir, entry: 'appendix.md.hbs' }) : null;
  const pdfOptions: PdfOptions = {
    paper: opts.paper ?? 'a4',
    title: view.title,
    header: view.cover.organization,
    creationDate: new Date(snapshot.metadata.harvestedAt),
    snapshotLabel: `Snapshot ${view.cover.snapshotId} (${snapshot.metadata.harvestedAt})`,
    organization: view.cover.organization, snapshotId: view.cover.snapshotId, harvestedAt: snapshot.metadata.harvestedAt,
    // the flags win over the environment variables, which stay as fallbacks (render.ts, fonts.ts)
    ...(opts.taggedPdf !== undefined ? { tagged: opts.taggedPdf } : {}),
    ...(opts.fontDirs && opts.fontDirs.length ? { fonts: { dirs: opts.fontDirs } } : {}),
  };
  return { markdown, appendix, pdfOptions };
}

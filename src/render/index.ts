/**
 * The render stage: snapshot → recovery binder (Markdown, PDF, HTML).
 * The CLI calls these functions; everything else here is internal.
 */
export { loadSupplement, parseSupplement, Supplement } from './supplement.js';
export { buildView } from './view/build.js';
export { BinderView } from './view/model.js';
export { renderMarkdown, DEFAULT_TEMPLATES_DIR } from './markdown.js';
export { renderPdf, type PdfOptions } from './pdf/render.js';
export { renderHtml, type HtmlOptions } from './html.js';
export { renderBinder, type Binder, type BinderOptions } from './binder.js';

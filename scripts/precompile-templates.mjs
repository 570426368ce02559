/**
 * Build step after tsc: the bundled templates' Handlebars specs, by the key
 * renderMarkdown looks them up with (src/render/markdown.ts, PRECOMPILED_FILE),
 * so a render does not run Handlebars' compiler on unchanged templates.
 * Written to a temporary file and renamed, so a failed build leaves no half file.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { precompileBundled, PRECOMPILED_FILE } from '../dist/render/markdown.js';

const specs = precompileBundled();
const tmp = `${PRECOMPILED_FILE}.${process.pid}.tmp`;
writeFileSync(tmp, `${JSON.stringify(specs)}\n`);
renameSync(tmp, PRECOMPILED_FILE);

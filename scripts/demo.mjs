#!/usr/bin/env node
// The main job on bundled demo data, through the real CLI: harvest the
// Contoso organization from its LDIF export (made with ldapsearch from the
// test DC), then render the binder as Markdown and PDF. Output: out/demo/.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const out = 'out/demo';
mkdirSync(out, { recursive: true });
const cli = (...args) => execFileSync(process.execPath, ['dist/cli/main.js', ...args], { stdio: 'inherit' });

cli('harvest', '--ldif', 'fixtures/exports/contoso.ldif', '--out', `${out}/contoso.snapshot.json`);
for (const format of ['md', 'pdf']) {
  cli('render', `${out}/contoso.snapshot.json`, '--format', format, '--out', `${out}/contoso-binder.${format}`,
    '--supplement', 'fixtures/supplement.example.yaml');
}
console.log(`\ndemo done: ${out}/contoso.snapshot.json, ${out}/contoso-binder.md, ${out}/contoso-binder.pdf`);

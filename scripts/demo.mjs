#!/usr/bin/env node
// The main job on bundled demo data, through the real CLI: `exbinder demo`
// harvests the Contoso organization from its LDIF export (made with
// ldapsearch from the test DC) and renders the binder as Markdown and PDF.
// Output: out/demo/. From an installed package: `exbinder demo --out DIR`.
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['dist/cli/main.js', 'demo', '--out', 'out/demo'], { stdio: 'inherit' });

/**
 * A server whose serialNumber an SU stamped: the runbook names the CU media build and prints the reset with
 * Microsoft's command shape and value (quoted in fixtures/microsoft/recoverserver-version-error.md), then the SU.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildView } from '../../../src/render/view/build.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { psDoubleQuoted } from '../../../src/render/view/versions.js';
import { sampleSnapshot } from './sample-snapshot.js';
import { unwrap } from './helpers.js';

const article = readFileSync(new URL('../../../fixtures/microsoft/recoverserver-version-error.md', import.meta.url), 'utf8');
// "| Exchange Server 2016 CU23 | Version 15.1 (Build 32507.006) |"
const value2016Cu23 = /\| Exchange Server 2016 CU23 \| (Version [^|]+?) \|/.exec(article)![1]!;
// the article's command shape: `Set-ADObject -Identity "$dn" -Replace @{serialnumber="<SerialNumber>"}`
const shape = /^\s*(Set-ADObject -Identity "\$dn" -Replace @\{serialnumber=")<SerialNumber>("\})$/m.exec(article)!;
// "Jan23SU"   = "15.1.2507.17" (CSS-Exchange, quoted in the same file)
const jan23 = /"Jan23SU"\s+= "(15\.1\.2507\.\d+)"/.exec(article)![1]!;

function stampedBinder() {
  const snap = sampleSnapshot();
  const s = snap.servers.find((x) => x.name === 'EX2016')!;
  const rev = Number(jan23.split('.')[3]);
  s.serialNumber = `Version 15.1 (Build 32507.${rev})`;
  s.version = { ...s.version!, revision: rev, label: `Exchange Server 2016 CU23 (${jan23})` };
  const view = buildView(snap, { supplement: null, drift: null });
  const md = renderMarkdown(view);
  return { server: s, view: view.servers.find((x) => x.name === 'EX2016')!, runbook: md.slice(md.indexOf('# Recovery runbook: EX2016')) };
}

describe('SU-stamped serialNumber in the runbook', () => {
  it('the view names the CU media, the stamped build, the update and Microsoft\'s reset value', () => {
    const { view } = stampedBinder();
    expect(view.runbook.mediaLabel).toBe('Exchange Server 2016 CU23 (15.1.2507.6)');
    expect(view.runbook.serialStamp).toMatchObject({ stampedBuild: jan23, updateName: 'Jan23SU', resetValue: value2016Cu23, resetValueListed: true });
  });
  it('prints the Set-ADObject step in the article\'s shape with this server\'s DN, before setup from the CU media, and the SU after', () => {
    const { server, runbook } = stampedBinder();
    const dnLine = `$dn = "${psDoubleQuoted(server.dn)}"`;
    const setLine = `${shape[1]}${value2016Cu23}${shape[2]}`;
    expect(runbook).toContain(`  ${dnLine}\n  ${setLine}\n`);
    const reset = runbook.indexOf(setLine);
    const setup = runbook.indexOf('Run setup in recover-server mode** from media of Exchange Server 2016 CU23 (15.1.2507.6)');
    const su = runbook.indexOf('Install the security update again: Jan23SU');
    expect(reset).toBeGreaterThan(0);
    expect(setup).toBeGreaterThan(reset);
    expect(su).toBeGreaterThan(setup);
    expect(runbook).not.toContain('from media of Exchange Server 2016 CU23 (15.1.2507.17)');
    // Set-ADObject is a cmdlet of the Active Directory module for Windows PowerShell: the feature of that module
    expect(runbook).toContain('(Install-WindowsFeature RSAT-AD-PowerShell)');
  });
  it('a server at its CU build gets no reset step', () => {
    const view = buildView(sampleSnapshot(), { supplement: null, drift: null });
    const v = view.servers.find((x) => x.name === 'EX2016')!;
    expect(v.runbook.serialStamp).toBeNull();
    expect(renderMarkdown(view)).not.toContain('Set-ADObject');
  });
  it('PowerShell double-quoted text: $, backtick and quotes are escaped', () => {
    expect(psDoubleQuoted('CN=a$b,CN="x"`y')).toBe('CN=a`$b,CN=`"x`"``y');
  });
});

describe('domain preparation level in the organization chapter', () => {
  it('names the releases that write the domain\'s MESO objectVersion', () => {
    const view = buildView(sampleSnapshot(), { supplement: null, drift: null });
    // 13243: 2016 CU23, 2019 CU12–CU15, SE RTM (prepare-ad-and-domains tables and CSS-Exchange, fixtures/microsoft/prepare-ad-versions.md)
    expect(view.forest.domains[0]!.systemObjectsRelease).toContain('Exchange Server 2016 CU23');
    // the table keeps the number, the (long) release names follow it as a list item
    const md = unwrap(renderMarkdown(view));
    expect(md).toMatch(/\| contoso\.com \| Windows Server 2008 R2 \| 13243 \|\n/);
    expect(md).toMatch(/^- contoso\.com: objectVersion 13243 matches Exchange Server 2016 CU23 or .*Exchange Server SE RTM$/m);
  });
});

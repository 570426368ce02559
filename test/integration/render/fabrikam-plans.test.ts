/**
 * Recovery plans of the fabrikam test organization (2019/SE, harvested over LDAPS
 * from its Samba DC): DAG members with a lagged copy and a recovery database,
 * a standalone server outside the DAG.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { harvest } from '../../../src/harvest/index.js';
import { buildView, renderMarkdown } from '../../../src/render/index.js';
import { unwrap } from '../../unit/render/helpers.js';
import { openLdap } from '../../../src/source/index.js';

const dc = inject('dc2');
let markdown: string;

beforeAll(async () => {
  const dir = await openLdap({ url: dc.ldapsUrl, bindDn: dc.readerUpn, password: dc.readerPassword, caFile: dc.caFile });
  try {
    const snap = await harvest(dir, { toolVersion: '0.1.0-test', now: () => new Date('2026-11-24T06:00:00Z') });
    markdown = unwrap(renderMarkdown(buildView(snap, { supplement: null, drift: null }))); // wrapped prose joined again
  } finally {
    await dir.close().catch(() => undefined);
  }
}, 120_000);

const rb = (name: string) => {
  const start = markdown.indexOf(`# Recovery runbook: ${name}\n`);
  expect(start, name).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n# ', start + 10);
  return markdown.slice(start, end < 0 ? undefined : end);
};

describe('fabrikam recovery plans', () => {
  it('FAB-SE1 (DAG member, Exchange SE on Windows Server 2022): its lagged copy comes back with preference 3 and the 7-day lag', () => {
    const r = rb('FAB-SE1');
    expect(r).toContain('**Procedure: DAG member (Exchange Server SE)');
    expect(r).toContain("Remove-MailboxDatabaseCopy -Identity 'FAB-DB01\\FAB-SE1' -Confirm:$false");
    // evicted only if still a node (the cmdlet evicts it itself when the DAG has quorum)
    expect(r).toContain("```\n  Get-ClusterNode\n  ```\n\n  If FAB-SE1 is listed:\n\n  ```\n  Get-ClusterNode -Name 'FAB-SE1' | Remove-ClusterNode -Force\n  ```");
    expect(r).toContain("Add-MailboxDatabaseCopy -Identity 'FAB-DB01' -MailboxServer 'FAB-SE1' -ActivationPreference 3 -ReplayLagTime 7.00:00:00");
    expect(r).not.toContain('-TruncationLagTime');
    expect(r).not.toContain('can be overwritten by a restore');
  });

  it('FAB-MBX1 (DAG member holding a recovery database): the recovery database is never restored, the replicated ones are re-seeded', () => {
    const r = rb('FAB-MBX1');
    expect(r).toContain("Add-MailboxDatabaseCopy -Identity 'FAB-DB02' -MailboxServer 'FAB-MBX1' -ActivationPreference 2");
    expect(r).toContain('FAB-RDB01 (recovery database)');
    expect(r).not.toMatch(/- \[ \] FAB-RDB01|Remove-MailboxDatabaseCopy -Identity 'FAB-RDB01/);
    expect(r).toContain('No restore from backup: every database of FAB-MBX1 has a copy on another member.');
  });

  it('FAB-MBX3 (not in the DAG): Setup in RecoverServer mode and its database restored from backup', () => {
    const r = rb('FAB-MBX3');
    expect(r).toContain('server not in a DAG');
    expect(r).toContain('- [ ] FAB-DB03: `D:\\DB\\FAB-DB03.edb`');
    expect(r).not.toContain('Add-MailboxDatabaseCopy');
  });

  it('FAB-MBX2 (serialNumber stamped by the 2019 CU12 Feb23SU, a DAG member): the serialNumber reset comes before RecoverServer, after the copies are removed', () => {
    const r = rb('FAB-MBX2');
    // the value Microsoft's article lists for Exchange Server 2019 CU12
    const reset = 'Set-ADObject -Identity "$dn" -Replace @{serialnumber="Version 15.2 (Build 31118.007)"}';
    expect(r).toContain(reset);
    expect(r.indexOf("Remove-MailboxDatabaseCopy -Identity 'FAB-DB01\\FAB-MBX2'")).toBeLessThan(r.indexOf(reset));
    expect(r.indexOf(reset)).toBeLessThan(r.indexOf('Setup.exe /Mode:RecoverServer'));
    expect(r.indexOf('Setup.exe /Mode:RecoverServer')).toBeLessThan(r.indexOf("Add-MailboxDatabaseCopy -Identity 'FAB-DB01' -MailboxServer 'FAB-MBX2' -ActivationPreference 2"));
  });

  it('the DAG table prints the witness share as a UNC path', () => {
    expect(markdown).toContain('| FAB-DAG | primary | `\\\\fab-fs01.fabrikam.test\\FAB-DAG.fabrikam.test` |');
  });
});

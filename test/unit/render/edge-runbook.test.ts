/**
 * Edge runbook step 9 with a named connector: the contoso export carries the
 * Send connector New-EdgeSubscription creates for EDGE01 ("EdgeSync -
 * <site> to Internet", address space SMTP:*;100, EDGE01 as source server;
 * Microsoft, "EdgeSync and Send Connectors"), and the runbook names it among
 * the connectors to record before resubscribing.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harvest } from '../../../src/harvest/index.js';
import { openLdif } from '../../../src/source/index.js';
import { buildView, renderMarkdown } from '../../../src/render/index.js';
import { unwrap } from './helpers.js';

const REPO = join(import.meta.dirname, '../../..');

describe('Edge runbook step 9', () => {
  it('names the EdgeSync Send connector whose source server is the Edge', async () => {
    const s = await harvest(await openLdif([join(REPO, 'fixtures/exports/contoso.ldif')]), { toolVersion: 't', now: () => new Date('2026-11-25T12:00:00Z') });
    const md = renderMarkdown(buildView(s, { supplement: null, drift: null }), { templatesDir: join(REPO, 'templates') });
    const all = unwrap(md); // wrapped prose joined again
    const at = all.indexOf('**9. Keep the old Edge Subscription:**');
    expect(at).toBeGreaterThan(0);
    const step9 = all.slice(at, all.indexOf('**10. ', at));
    expect(step9).toContain('Send connectors recorded in AD with EDGE01 as a source server: EdgeSync - Default-First-Site-Name to Internet (address spaces `SMTP:*;100`);');
    expect(step9).not.toContain('source server: none.');
    // and the command that records them on the live organization first
    expect(step9).toContain("Where-Object {$_.SourceTransportServers -like '*EDGE01*'}");
  }, 30_000);
});

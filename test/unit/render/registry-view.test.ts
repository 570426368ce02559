/**
 * The registry-driven part of the view (BinderView.collections and
 * ServerView.linked): every collection's objects with values formatted as the
 * chapters print them, and per server what the registry links to it. Checked
 * against the hand-built chapter views (another code path over the same
 * snapshot) and through a template that prints from it.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildView } from '../../../src/render/view/build.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { sampleSnapshot } from './sample-snapshot.js';

const snap = sampleSnapshot();
const view = buildView(snap, { supplement: null, drift: null });

describe('registry-driven view', () => {
  it('has every collection, its objects sorted by name, raw left out', () => {
    expect(Object.keys(view.collections).sort()).toEqual([
      'acceptedDomains', 'adminGroups', 'autodiscoverScps', 'dags', 'databases', 'domainControllers', 'domains', 'forest', 'organization',
      'popImapSettings', 'receiveConnectors', 'routingGroupConnectors', 'routingGroups', 'sendConnectors', 'servers', 'storageGroups', 'virtualDirectories',
    ]);
    expect(view.collections.servers!.map((s) => s['name'])).toEqual(view.servers.map((s) => s.name));
    expect(view.collections.servers!.every((s) => !('raw' in s))).toBe(true);
  });

  it('formats values as the chapters do: the same accepted domains, types and default flags as the hand-built section', () => {
    const generic = view.collections.acceptedDomains!.map((d) => [d['domainName'], d['type'], d['isDefault']]).sort();
    const chapter = view.acceptedDomains.map((d) => [d.domainName, d.type, d.isDefault]).sort();
    expect(generic).toEqual(chapter);
    expect(chapter.some(([, , isDefault]) => isDefault === 'yes')).toBe(true);
  });

  it('links each server its receive connectors, databases (copies too) and virtual directories, as its chapter lists them', () => {
    for (const s of view.servers) {
      expect(s.linked['receiveConnectors']!.map((r) => r['name']), s.name).toEqual(s.receiveConnectors.map((r) => r.name));
      expect(s.linked['databases']!.map((d) => d['name']).sort(), s.name).toEqual(s.databases.map((d) => d.name).sort());
      expect(s.linked['virtualDirectories']!.map((v) => v['name']).sort(), s.name).toEqual(s.virtualDirectories.map((v) => v.name).sort());
      // lists stay lists of text, numbers become text
      for (const r of s.linked['receiveConnectors']!) expect(Array.isArray(r['bindings'])).toBe(true);
    }
    expect(view.servers.some((s) => s.linked['receiveConnectors']!.length > 0)).toBe(true);
    expect(Object.keys(view.servers[0]!.linked).sort()).toEqual(['autodiscoverScps', 'databases', 'popImapSettings', 'receiveConnectors', 'sendConnectors', 'storageGroups', 'virtualDirectories']);
  });

  it('a template prints a collection and a server-linked field from it, escaped by the usual helpers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exbinder-registry-view-'));
    try {
      mkdirSync(join(dir, 'partials'));
      writeFileSync(join(dir, 'binder.md.hbs'), [
        '{{#each collections.acceptedDomains}}',
        '- {{text domainName}} default: {{text isDefault}}',
        '{{/each}}',
        '{{#each servers}}',
        '{{#each linked.receiveConnectors}}',
        '| {{cell name}} | {{joincode bindings}} |',
        '{{/each}}',
        '{{/each}}',
        '',
      ].join('\n'));
      const md = renderMarkdown(view, { templatesDir: dir });
      for (const d of snap.acceptedDomains) expect(md).toContain(`- ${d.domainName} default: ${d.isDefault ? 'yes' : 'no'}`);
      const r = snap.receiveConnectors[0]!;
      expect(md).toContain(`\`${r.bindings[0]}\``);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

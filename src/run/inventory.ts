/**
 * The inventory: several organizations in one file, for `snapshot --all`.
 *
 *   root: /var/lib/exbinder        # stores default to ROOT/<name>
 *   parallel: 2                    # organizations harvested at once
 *   defaults: { keep: 90, git: true, hooks: { drift: ... } }
 *   organizations:
 *     - name: contoso              # folder-safe; names the store sub-folder
 *       config: contoso.yaml       # a job config (optional)
 *       url: ldaps://dc1.contoso.com   # or any config key inline (beats the file)
 *
 * Each organization's settings: defaults < its config file < its inline keys.
 * Paths are relative to the file that names them. The store binding
 * (organization.json) still refuses a store that belongs to another org.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ExbinderError, unreadableInput } from '../errors.js';
import { ConfigFile, loadConfig, type LoadedConfig } from './config.js';

const Entry = ConfigFile.extend({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (it names the store folder)'),
  config: z.string().min(1).optional(),
}).strict();

export const InventoryFile = z.strictObject({
  root: z.string().min(1).optional(),
  parallel: z.number().int().min(1).max(16).optional(),
  defaults: ConfigFile.optional(),
  organizations: z.array(Entry).min(1),
});

export interface InventoryOrg {
  name: string;
  config: LoadedConfig;
}

export interface Inventory {
  file: string;
  parallel: number;
  organizations: InventoryOrg[];
}

const PATH_KEYS = ['passwordFile', 'caFile', 'store', 'supplement', 'templates'] as const;

function absolutize(c: Record<string, unknown>, base: string): void {
  for (const k of PATH_KEYS) if (typeof c[k] === 'string') c[k] = resolve(base, c[k] as string);
}

export async function loadInventory(path: string): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw unreadableInput('inventory', path, e, 'check the --inventory path', 'inventory-read');
  }
  let doc: unknown;
  try {
    doc = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ExbinderError(`inventory ${path} is not valid YAML/JSON: ${String((e as Error).message).split('\n')[0]}`, 'inventory-syntax', 2, { cause: e });
  }
  const parsed = InventoryFile.safeParse(doc ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
    throw new ExbinderError(`inventory ${path}: key '${keys}': ${issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message}`, 'inventory-invalid');
  }
  const base = dirname(resolve(path));
  const inv = parsed.data;
  const defaults: Record<string, unknown> = { ...(inv.defaults ?? {}) };
  absolutize(defaults, base);
  const seen = new Map<string, string>();
  const organizations: InventoryOrg[] = [];
  for (const e of inv.organizations) {
    const { name, config: configPath, ...inline } = e;
    if (seen.has(name.toLowerCase())) throw new ExbinderError(`inventory ${path}: organization '${name}' is listed twice`, 'inventory-invalid');
    const fromFile = configPath ? await loadConfig(resolve(base, configPath)) : {};
    const own: Record<string, unknown> = { ...inline };
    absolutize(own, base);
    const merged: LoadedConfig = { baseDir: base, ...defaults, ...fromFile, ...own };
    if (!merged.store) {
      if (!inv.root) throw new ExbinderError(`inventory ${path}: organization '${name}' has no store: set root (stores become ROOT/${name}) or its store`, 'inventory-invalid');
      merged.store = join(resolve(base, inv.root), name);
    }
    const other = [...seen.entries()].find(([, store]) => store === merged.store);
    if (other) throw new ExbinderError(`inventory ${path}: organizations '${other[0]}' and '${name}' share the store ${merged.store}: give each its own`, 'inventory-invalid');
    seen.set(name.toLowerCase(), merged.store);
    organizations.push({ name, config: merged });
  }
  return { file: path, parallel: inv.parallel ?? 2, organizations };
}

/** Runs `fn` over `items`, at most `limit` at a time; results in input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

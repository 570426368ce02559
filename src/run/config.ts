/**
 * The job's config file (--config FILE, YAML or JSON). Paths in it are
 * relative to the file, so a config and its CA/password files can move
 * together. The password never lives here: only in the file passwordFile
 * names, or in EXBINDER_PASSWORD.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ExbinderError, unreadableInput } from '../errors.js';
import { HooksConfig } from './hooks.js';

const ldapUrl = z.string().regex(/^ldaps?:\/\/[^/\s]+\/?$/i, 'expected ldap://host[:port] or ldaps://host[:port]');

export const ConfigFile = z.strictObject({
  url: z
    .union([ldapUrl, z.array(ldapUrl).min(1)], { error: 'expected ldap://host[:port] or ldaps://host[:port], or a list of them' })
    .optional()
    .describe('one DC, or a list tried in order'),
  bindDn: z.string().min(1).optional().describe('DN, UPN (user@domain) or DOMAIN\\user of a read-only account'),
  passwordFile: z.string().min(1).optional(),
  caFile: z.string().min(1).optional(),
  startTls: z.boolean().optional(),
  insecure: z.boolean().optional().describe('skip TLS certificate verification; only for a lab'),
  timeout: z.number().int().positive().optional().describe('seconds per LDAP operation, as --timeout (default 120)'),
  connectTimeout: z.number().int().positive().optional().describe('seconds to open the connection to each DC, as --connect-timeout (default 10)'),
  replMetadata: z.boolean().optional().describe('false: do not read replPropertyMetaData (changes then carry no time or DC), as --no-repl-metadata'),
  domain: z.string().min(1).optional().describe('AD domain whose DCs are found by DNS SRV records (instead of url)'),
  site: z.string().min(1).optional(),
  dnsServers: z.array(z.string().min(1)).min(1).optional().describe('AD DNS servers (IP addresses) for domain'),
  transport: z.enum(['ldaps', 'ldap']).optional(),
  auth: z.enum(['simple', 'kerberos']).optional(),
  keytab: z.string().min(1).optional().describe('client keytab for auth: kerberos'),
  principal: z.string().min(1).optional(),
  store: z.string().min(1).optional(),
  keep: z.number().int().positive().optional(),
  git: z.boolean().optional(),
  paper: z.enum(['a4', 'letter', 'A4', 'Letter']).optional().describe('a4 (default) or letter, as --paper'),
  supplement: z.string().min(1).optional(),
  templates: z.string().min(1).optional(),
  servers: z.array(z.string().min(1)).min(1).optional().describe('binder of just these servers, as --server'),
  appendix: z.enum(['inline', 'separate', 'none']).optional().describe('appendices inline (default), separate (binder/latest-appendix.pdf) or none, as --appendix'),
  failOnWarning: z.enum(['new', 'any']).optional().describe('exit 3 on harvest warnings new since the known good, or on any'),
  hooks: HooksConfig.optional().describe('commands run on drift, warning, failure, accept (docs/scheduling.md)'),
});
export type ExbinderConfig = z.infer<typeof ConfigFile>;
/** A config as read: paths made absolute, and the folder it came from (hooks run there). */
export type LoadedConfig = ExbinderConfig & { baseDir?: string };

const PATH_KEYS = ['passwordFile', 'caFile', 'keytab', 'store', 'supplement', 'templates'] as const;

/** Reads and validates a config file; every problem is one line naming the file and the key. */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw unreadableInput('config', path, e, 'check the --config path', 'config-read');
  }
  return parseConfig(text, path);
}

export function parseConfig(text: string, path: string): LoadedConfig {
  let doc: unknown;
  try {
    doc = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    const first = String((e as Error).message).split('\n')[0];
    throw new ExbinderError(`config ${path} is not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${first}`, 'config-syntax', 2, { cause: e });
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ExbinderError(`config ${path} must be a mapping of keys (url, bindDn, store...)`, 'config-invalid');
  }
  if (Object.keys(doc as object).some((k) => k.toLowerCase() === 'password' || k.toLowerCase() === 'bindpassword')) {
    throw new ExbinderError(
      `config ${path}: key 'password' is not allowed (config files get copied and committed): put the password in a file and name it with passwordFile, or set EXBINDER_PASSWORD`,
      'config-password',
    );
  }
  const parsed = ConfigFile.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
    const hint = issue.code === 'unrecognized_keys' ? `unknown key; known keys are ${Object.keys(ConfigFile.shape).join(', ')}` : issue.message;
    throw new ExbinderError(`config ${path}: key '${keys}': ${hint}`, 'config-invalid');
  }
  const config: LoadedConfig = { ...parsed.data, baseDir: dirname(resolve(path)) };
  for (const k of PATH_KEYS) if (config[k]) config[k] = resolve(dirname(resolve(path)), config[k]);
  return config;
}

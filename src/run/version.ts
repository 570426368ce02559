import { createRequire } from 'node:module';

/** The package version, recorded in every snapshot's metadata. */
export const TOOL_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

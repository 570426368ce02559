#!/usr/bin/env node
import { installSignalHandlers } from '../run/interrupt.js';
import { runCli } from './program.js';

installSignalHandlers((line) => process.stderr.write(line + '\n'));
process.exitCode = await runCli(process.argv);

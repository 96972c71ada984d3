#!/usr/bin/env node
// The installed command (package.json `bin`, compiled to dist/bin/cli.js): plain JavaScript, no loader.
// A clone runs the same main() from the sources through bin/mirrorspec.mjs.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));

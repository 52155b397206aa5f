#!/usr/bin/env node
import module from 'node:module';

// Node 22.1 and later keep the compiled code of the modules between runs, which halves the time a command
// takes to load them (in the system's temporary folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
module.enableCompileCache?.();
const { run } = await import('../dist/cli/main.js');
await run();

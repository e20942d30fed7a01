#!/usr/bin/env node
import { limitHeapGrowth } from '../dist/cli/heap.js';
import { main } from '../dist/cli/main.js';

limitHeapGrowth();

// `jitaudit --help | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);

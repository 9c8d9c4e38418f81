#!/usr/bin/env node
import { main } from '../dist/cli/index.js';

main().catch((err) => {
  const name = err && err.name ? err.name : 'Error';
  console.error(`teleo: ${name}: ${err && err.message ? err.message : String(err)}`);
  if (process.env.TELEO_DEBUG) console.error(err && err.stack);
  process.exit(1);
});

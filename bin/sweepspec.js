#!/usr/bin/env node
// The published entry point: TypeScript sources run through tsx's loader so
// that a fresh clone works after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv);

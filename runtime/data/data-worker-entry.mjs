// Entry of a data worker thread: the sources are TypeScript, run through tsx's
// loader as everywhere else (bin/sweepspec.js), registered per thread.
import { register } from 'tsx/esm/api';

register();
await import('./data-worker.ts');

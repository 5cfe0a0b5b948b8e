import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../runtime/backend/select-backend.js';

const tensorflow = await selectBackend('tensorflow').then(
  () => null,
  (error: unknown) => (error as Error).message,
);
const CHILD = fileURLToPath(new URL('./fixtures/allocator-faults-child.ts', import.meta.url));

/** Page faults of the child's five 64 MB ops; oneDNN off, so TensorFlow's own CPU allocator serves them. */
async function faults(env: Record<string, string>): Promise<number> {
  const { TF_CPU_ALLOCATOR_USE_BFC: _unset, ...inherited } = process.env;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...inherited, TF_ENABLE_ONEDNN_OPTS: '0', ...env },
    timeout: 60_000,
  });
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { faults: number }).faults;
}

// Two child processes that each load TensorFlow: about 5 s on two idle cores.
describe('native backend allocator', () => {
  it.skipIf(tensorflow !== null)(`reuses freed memory instead of page-faulting large tensors in every op${tensorflow ? ` (skipped: ${tensorflow})` : ''}`, async () => {
    // Control: TensorFlow's malloc allocator faults every page of every 64 MB output in again (5 x 16,384).
    expect(await faults({ TF_CPU_ALLOCATOR_USE_BFC: 'false' })).toBeGreaterThan(40_000);
    // sweepspec's default keeps them.
    expect(await faults({})).toBeLessThan(5_000);
  }, 120_000);
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOneDnn, ONEDNN_RECORD, readOneDnnVerdict } from '../../../runtime/backend/onednn-check.js';
import { selectBackend } from '../../../runtime/backend/select-backend.js';

const tensorflow = await selectBackend('tensorflow').then(
  () => null,
  (error: unknown) => (error as Error).message,
);

function packageDir(record?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'onednn-'));
  mkdirSync(join(dir, 'lib', 'napi-v8'), { recursive: true });
  if (record !== undefined) writeFileSync(join(dir, 'lib', 'napi-v8', ONEDNN_RECORD), record);
  return dir;
}

describe('oneDNN verdict', () => {
  it('is absent without a record and when the record is unreadable', () => {
    expect(readOneDnnVerdict(packageDir())).toBeNull();
    expect(readOneDnnVerdict(packageDir('{not json'))).toBeNull();
    expect(readOneDnnVerdict(packageDir('{"reason":"no verdict"}'))).toBeNull();
  });

  it('reads a recorded verdict', () => {
    expect(readOneDnnVerdict(packageDir('{"enabled":true,"reason":"ran"}'))).toEqual({ enabled: true, reason: 'ran' });
  });

  it.skipIf(tensorflow !== null)(`checking runs every architecture in a child process and records what happened${tensorflow ? ` (skipped: ${tensorflow})` : ''}`, async () => {
    const dir = packageDir();
    const verdict = await checkOneDnn(process.cwd(), dir);
    expect(verdict.reason).toMatch(verdict.enabled ? /ran with oneDNN/ : /oneDNN (died|failed)/);
    expect(readOneDnnVerdict(dir)).toEqual(verdict);
  }, 120_000);
});

import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadPlan } from '../../../bin/load-plan.js';
import { UserError } from '../../../bin/user-error.js';

describe('loadPlan', () => {
  afterEach(() => vi.restoreAllMocks());

  it('returns the plan, the spec folder and the warnings (printed to stderr)', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const loaded = await loadPlan('test/compiler/valid/include-duplicates-run.yaml');
    expect(loaded.specPath).toBe('test/compiler/valid/include-duplicates-run.yaml');
    expect(loaded.specDir).toBe(resolve('test/compiler/valid'));
    expect(loaded.plan.runs).toHaveLength(3);
    expect(loaded.warnings.map((w) => w.code)).toEqual(['INCLUDE_DUPLICATES_RUN']);
    expect(String(stderr.mock.calls[0][0])).toMatch(/^test\/compiler\/valid\/include-duplicates-run\.yaml:8:17: warning\[INCLUDE_DUPLICATES_RUN\]/);
  });

  it('throws a UserError with exit code 2 when the spec has errors, or a data root is missing with checkData', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(loadPlan('test/compiler/invalid/EMPTY_AXIS.yaml')).rejects.toMatchObject({ name: 'UserError', exitCode: 2 });
    const error = await loadPlan('test/compiler/valid/pretrained-path.yaml', { checkData: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('test/compiler/valid/pretrained-path.yaml: 1 error');
  });
});

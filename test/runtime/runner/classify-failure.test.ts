import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../runtime/runner/classify-failure.js';

describe('classifyFailure', () => {
  it.each([
    [Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 'DISK_FULL'],
    [new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'), 'OUT_OF_MEMORY'],
    [new Error('Aborted(OOM)'), 'OUT_OF_MEMORY'],
    [Object.assign(new Error('train/a/1.png: unsupported image format'), { code: 'BAD_IMAGE' }), 'BAD_IMAGE'],
    [Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }), 'RUNTIME_ERROR'],
    ['a thrown string', 'RUNTIME_ERROR'],
  ])('%s -> %s', (error, code) => {
    expect(classifyFailure(error).code).toBe(code);
  });
});

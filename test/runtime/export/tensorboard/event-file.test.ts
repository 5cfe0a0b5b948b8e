import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncEventFile } from '../../../../runtime/export/tensorboard/event-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'event-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const files = async () => (await readdir(dir)).sort();
const content = async () => {
  const names = await files();
  expect(names).toHaveLength(1);
  expect(names[0]).toMatch(/^events\.out\.tfevents\.\d{10}\./);
  return readFile(join(dir, names[0]));
};

describe('syncEventFile', () => {
  it('appends in place while the file is a prefix, replaces it when it is not, and leaves one file', async () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(await syncEventFile(dir, bytes('abc'))).toBe('replaced');
    const [first] = await files();
    expect(await syncEventFile(dir, bytes('abc'))).toBe('unchanged');
    expect(await syncEventFile(dir, bytes('abcdef'))).toBe('appended');
    expect(await files()).toEqual([first]); // same file, grown: a TensorBoard tailing it sees the new bytes
    expect((await content()).toString()).toBe('abcdef');
    // A resume cut the history back: a new file replaces the old one.
    expect(await syncEventFile(dir, bytes('abX'))).toBe('replaced');
    expect((await content()).toString()).toBe('abX');
    expect(await files()).not.toEqual([first]);
  });

  it('cleans up a temporary file and a second event file left by a writer killed mid-way', async () => {
    await writeFile(join(dir, '.partial-123-4'), 'torn');
    await writeFile(join(dir, 'events.out.tfevents.0000000001.host.1.0'), 'old');
    await writeFile(join(dir, 'events.out.tfevents.0000000002.host.1.1'), 'new');
    expect(await syncEventFile(dir, new TextEncoder().encode('new!'))).toBe('replaced');
    expect((await content()).toString()).toBe('new!');
  });

  it('rewrites a file whose last append was torn', async () => {
    await writeFile(join(dir, 'events.out.tfevents.0000000001.host.1.0'), 'abcdeZ');
    expect(await syncEventFile(dir, new TextEncoder().encode('abcdef'))).toBe('replaced');
    expect((await content()).toString()).toBe('abcdef');
  });
});

import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';

export const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');
export const FIXTURE_RESULTS = path.join(FIXTURES, 'stored', 'fixture-study');
const GOLDEN = path.join(path.dirname(new URL(import.meta.url).pathname), 'golden');

/** Compares with golden/<name>; `UPDATE_GOLDEN=1` rewrites it (review the diff before committing). */
export async function expectGolden(name: string, actual: string): Promise<void> {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, actual);
    return;
  }
  const expected = await readFile(file, 'utf8');
  expect(actual).toBe(expected);
}

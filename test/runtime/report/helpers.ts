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

/** A copy of the fixtures in a temp dir (data included), for tests that change results. */
export async function copyFixtures(): Promise<{ root: string; results: string; cleanup: () => Promise<void> }> {
  const { cp, mkdtemp, rm } = await import('node:fs/promises');
  const os = await import('node:os');
  const root = await mkdtemp(path.join(os.tmpdir(), 'sweepspec-report-'));
  await cp(FIXTURES, root, { recursive: true });
  return {
    root,
    results: path.join(root, 'stored', 'fixture-study'),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

export async function editJson<T>(file: string, edit: (value: T) => T): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as T;
  await writeFile(file, JSON.stringify(edit(value), null, 2));
}

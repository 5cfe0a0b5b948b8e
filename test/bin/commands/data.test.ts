import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../../bin/cli.js';
import { tempRoot, writeImageFolder, writeTree } from '../../runtime/data/corpus.js';

async function run(spec: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  process.exitCode = undefined;
  const code = await main(['node', 'sweepspec', 'data', spec]);
  vi.restoreAllMocks();
  process.exitCode = undefined;
  return { code, stdout, stderr };
}

async function study(prepare: (dataRoot: string) => Promise<void>): Promise<string> {
  const folder = await tempRoot('sweepspec-data-cmd-');
  const dataRoot = path.join(folder, 'images');
  await mkdir(dataRoot);
  await prepare(dataRoot);
  const spec = path.join(folder, 'study.yaml');
  await writeFile(
    spec,
    [
      'version: 1',
      'name: data-check',
      'data: { root: images, validation: { fraction: 0.25, stratify: true }, image_size: 32, on_bad_image: skip }',
      'experiments:',
      '  lr:',
      '    matrix: { optimizer.lr: [0.1, 0.01] }',
      '',
    ].join('\n'),
  );
  return spec;
}

afterEach(() => vi.restoreAllMocks());

describe('sweepspec data', () => {
  test('prints images per split and class, sizes and bad files; exit 0', async () => {
    const spec = await study(async (root) => {
      await writeImageFolder(root, 'train', { cat: 8, dog: 4 });
      await writeImageFolder(root, 'test', { cat: 2, dog: 2 });
      await writeTree(root, { 'train/dog/broken.jpg': '<html>' });
    });
    const { code, stdout, stderr } = await run(spec);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^Dataset .*images: 2 classes, used by 2 runs$/);
    expect(lines.slice(2, 6)).toEqual([
      'class  train  validation  test',
      'cat        6           2     2',
      'dog        3           1     2',
      'total      9           3     4',
    ]);
    expect(stdout).toContain('Image sizes in train: width 40-48, height 40 px');
    expect(stdout).toContain('Bad images (on_bad_image: skip): 1\n  train/dog/broken.jpg: cannot decode image: Input buffer contains unsupported image format');
  });

  test.each([
    ['an empty class', async (root: string) => {
      await writeImageFolder(root, 'train', { cat: 4, dog: 4 });
      await mkdir(path.join(root, 'train/emu'));
    }, 'EMPTY_CLASS', 'train/emu: no usable images'],
    ['a class missing from the test split', async (root: string) => {
      await writeImageFolder(root, 'train', { cat: 4, dog: 4 });
      await writeImageFolder(root, 'test', { cat: 1 });
    }, 'CLASS_MISSING', 'test: class dog is missing'],
    ['no classes', async (root: string) => {
      await mkdir(path.join(root, 'train'));
    }, 'NO_CLASSES', 'train: no class folders'],
    ['fewer images than the split needs', async (root: string) => {
      await writeImageFolder(root, 'train', { cat: 4, dog: 1 });
    }, 'TOO_FEW_IMAGES', 'train: a stratified split needs at least 2 images per class; the smallest class has 1'],
  ])('%s: exit 2 with the problem named', async (_name, prepare, code, message) => {
    const spec = await study(prepare);
    const result = await run(spec);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`: error[${code}]: ${message}\n`);
    expect(result.stderr).toContain('the dataset cannot be used (1 problem)');
  });
});

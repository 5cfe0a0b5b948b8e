import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';

/**
 * SHA-256 of file contents, remembered per (path, device, inode, size, mtime)
 * for the life of the process, so the dataset fingerprint and every cache key
 * are content hashes without re-reading unchanged files every epoch.
 */
interface Remembered {
  readonly signature: string;
  readonly digest: string;
}

const remembered = new Map<string, Remembered>();

export interface FileContents {
  readonly bytes: Buffer;
  readonly digest: string;
}

export function sha256(...parts: readonly (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
    hash.update(Buffer.from([0]));
  }
  return hash.digest('hex');
}

/** A file's content digest (its bytes' SHA-256, hex): the dataset fingerprint's and every cache key's. */
export function contentDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The content digest of a file; reads it only when it is new or changed on disk. */
export async function fileDigest(absolute: Buffer): Promise<string> {
  const key = absolute.toString('latin1');
  const signature = await statSignature(absolute);
  const known = remembered.get(key);
  if (known && known.signature === signature) return known.digest;
  return (await readFileWithDigest(absolute)).digest;
}

/** The digest, and the bytes too when they had to be read to get it. */
export async function digestOrContents(absolute: Buffer): Promise<{ digest: string; bytes: Buffer | null }> {
  const known = remembered.get(absolute.toString('latin1'));
  if (known && known.signature === (await statSignature(absolute))) return { digest: known.digest, bytes: null };
  return readFileWithDigest(absolute);
}

/** Reads a file and records its digest. */
export async function readFileWithDigest(absolute: Buffer): Promise<FileContents> {
  const signature = await statSignature(absolute);
  const bytes = await readFile(absolute);
  const digest = contentDigest(bytes);
  remembered.set(absolute.toString('latin1'), { signature, digest });
  return { bytes, digest };
}

async function statSignature(absolute: Buffer): Promise<string> {
  const stats = await stat(absolute, { bigint: true });
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

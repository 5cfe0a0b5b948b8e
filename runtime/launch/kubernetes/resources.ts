/**
 * Resource quantities for the pods of a submission. `--mem` takes Slurm's
 * notation so one value means the same on both engines: K/M/G/T are binary
 * units (16G = 16 GiB, as sbatch reads it), and Kubernetes' Ki/Mi/Gi/Ti are
 * accepted as written. Kubernetes itself reads "16G" as 16e9 bytes, so the
 * manifest always carries the binary suffix.
 */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const MEMORY = /^([1-9][0-9]*)(?:([KMGT])i?)?$/;

/** `--mem SIZE` -> a Kubernetes quantity ("16Gi"); a bare number is MiB, as in sbatch. */
export function memoryQuantity(text: string): Parsed<string> {
  const match = MEMORY.exec(text.trim());
  if (!match) {
    return { ok: false, message: `--mem ${JSON.stringify(text)} is not a size: give a whole number with an optional unit K, M, G or T (binary, as in Slurm: 16G = 16 GiB), e.g. 16G or 512M` };
  }
  const unit = match[2] ?? 'M';
  return { ok: true, value: `${match[1]}${unit}i` };
}

/** A positive whole number, for --cpus-per-run, --gpus-per-run (>= 0), --max-parallel and --retries (>= 0). */
export function wholeNumber(option: string, text: string, min: number, max = 100_000): Parsed<number> {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    return { ok: false, message: `${option} ${JSON.stringify(text)} must be a whole number from ${min} to ${max}` };
  }
  return { ok: true, value: n };
}

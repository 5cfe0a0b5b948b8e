/**
 * The compiler's only window on the outside world. The pure pipeline never
 * touches the file system: the CLI edge (bin/load-plan.ts) passes a host that
 * reads real files, tests pass one backed by a map.
 * Paths are POSIX; relative ones are relative to the working directory.
 */
export interface CompileHost {
  /** The text of a spec file, or undefined when there is no such file. */
  readFile(path: string): string | undefined;
  /** Whether a directory exists at the path. */
  isDirectory(path: string): boolean;
}

/** A host over an in-memory map of files; directories are the given set plus every file's parents. */
export function memoryHost(files: Readonly<Record<string, string>>, directories: readonly string[] = []): CompileHost {
  return {
    readFile: (path) => (Object.hasOwn(files, path) ? files[path] : undefined),
    isDirectory: (path) => directories.includes(path.replace(/\/+$/, '')),
  };
}

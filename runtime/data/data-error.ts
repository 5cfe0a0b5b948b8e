/**
 * The one error type the data pipeline throws for problems the user must fix
 * (a bad image, an unusable dataset). `code` is stable and is what the runner
 * records as a RunFailure code; `file` names the offending path (relative to
 * the data root, POSIX) when there is one.
 */
export type DataErrorCode =
  /** The dataset cannot be used: no classes, an empty class, a class missing from a split, too few images. */
  | 'DATASET_INVALID'
  /** A folder the config names does not exist or is not a directory. */
  | 'DATASET_NOT_FOUND'
  /** An image that cannot be decoded (corrupt, truncated, empty, not an image, too many pixels). */
  | 'BAD_IMAGE'
  /** A symbolic link that resolves outside the data root. */
  | 'SYMLINK_ESCAPE'
  /** A file changed after the dataset was scanned. */
  | 'DATASET_CHANGED';

export class DataError extends Error {
  readonly code: DataErrorCode;
  readonly file: string | undefined;

  constructor(code: DataErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DataError';
    this.code = code;
    this.file = options.file;
  }
}

/** Options every reader takes. */
export interface ReadOptions {
  /** The file name used in error messages (`<bytes>` when omitted). */
  readonly file?: string;
}

export function fileLabel(options: ReadOptions | undefined): string {
  return options?.file ?? '<bytes>';
}

/**
 * Error families. Each is a class so callers can branch with `instanceof`, and each message says what
 * was expected and what was found. The CLI prints `message` as one line and `hint` beneath it.
 */
export class NeuriteError extends Error {
  /** A short suggestion of what to do about it, printed by the CLI under the message. */
  readonly hint: string | undefined;
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** An op received tensors whose shapes do not fit together. */
export class ShapeError extends NeuriteError {
  constructor(
    readonly op: string,
    detail: string,
    readonly shapes: readonly (readonly number[])[] = [],
  ) {
    super(`${op}: ${detail}${shapes.length ? ` (shapes ${shapes.map(formatShape).join(', ')})` : ''}`);
  }
}

/** An op received a tensor of a dtype it does not accept. */
export class DTypeError extends NeuriteError {
  constructor(
    readonly op: string,
    detail: string,
  ) {
    super(`${op}: ${detail}`);
  }
}

/** A value (an option, a config, an argument) failed validation; `path` names where. */
export class ValidationError extends NeuriteError {
  constructor(
    readonly subject: string,
    readonly issues: readonly { path: string; message: string }[],
    options: { hint?: string } = {},
  ) {
    super(
      `${subject}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
      options,
    );
  }
}

/** `use(plugin)` refused a plugin, or a plugin's setup failed. */
export class PluginError extends NeuriteError {
  constructor(
    readonly plugin: string,
    detail: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(`plugin ${plugin}: ${detail}`, options);
  }
}

/** A name was looked up in a registry that does not hold it. */
export class RegistryError extends NeuriteError {
  constructor(
    readonly kind: string,
    readonly key: string,
    known: readonly string[],
  ) {
    super(`unknown ${kind} '${key}'`, {
      hint: known.length ? `known ${kind}s: ${known.slice(0, 30).join(', ')}` : `no ${kind} is registered`,
    });
  }
}

/**
 * A file (or byte buffer) is not what its format requires. Readers throw this before they allocate
 * anything sized by an unchecked field, so a hostile header is an error, never an out-of-memory crash.
 */
export class FormatError extends NeuriteError {
  constructor(
    readonly format: string,
    readonly file: string,
    readonly field: string,
    readonly expected: string,
    readonly found: string,
    readonly offset?: number,
  ) {
    super(
      `${file}: ${format} ${field}${offset === undefined ? '' : ` at byte ${offset}`}: expected ${expected}, found ${found}`,
    );
  }
}

/** A backend could not be created or could not run a request. */
export class BackendError extends NeuriteError {}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

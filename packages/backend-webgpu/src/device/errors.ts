import { BackendError } from '@neurite/kernel';

/** One way of finding an adapter that was tried, and what came of it. */
export interface AdapterAttempt {
  /** Dawn backend (`vulkan`, `opengles`, …, `default` for Dawn's own choice) or `browser`. */
  readonly backend: string;
  readonly featureLevel: 'core' | 'compatibility';
  /** What happened: the error message, or why no adapter came back. */
  readonly outcome: string;
}

/** No WebGPU adapter could be found; `attempts` lists every backend tried and what each said. */
export class AdapterNotFoundError extends BackendError {
  constructor(
    readonly attempts: readonly AdapterAttempt[],
    hint: string,
  ) {
    super(
      `webgpu: no adapter found; tried ${attempts
        .map((a) => `${a.backend} (${a.featureLevel}): ${a.outcome}`)
        .join('; ')}`,
      { hint },
    );
  }
}

/**
 * Unwraps a counter that wraps at `period`: a step back by more than half the period is taken as a wrap
 * (and adds one period), while a small step back (an out-of-order event) is kept as it is and sorted
 * out later.
 */
export class TimestampUnwrapper {
  #previous = -1;
  #offset = 0;

  constructor(
    readonly period: number,
    readonly scale = 1,
  ) {}

  next(raw: number): number {
    if (this.#previous >= 0 && raw < this.#previous && this.#previous - raw > this.period / 2)
      this.#offset += this.period;
    this.#previous = raw;
    return (raw + this.#offset) * this.scale;
  }
}

/**
 * Typed arrays for a known number of events. Readers count events in a first pass over the bytes and
 * allocate exactly that many here, so no allocation is ever sized by a header field.
 */
export class CameraEventArrays {
  readonly x: Uint16Array;
  readonly y: Uint16Array;
  readonly t: Float64Array;
  readonly p: Uint8Array;
  n = 0;
  maxX = -1;
  maxY = -1;

  constructor(capacity: number) {
    this.x = new Uint16Array(capacity);
    this.y = new Uint16Array(capacity);
    this.t = new Float64Array(capacity);
    this.p = new Uint8Array(capacity);
  }

  push(x: number, y: number, t: number, p: number): void {
    const i = this.n++;
    this.x[i] = x;
    this.y[i] = y;
    this.t[i] = t;
    this.p[i] = p;
    if (x > this.maxX) this.maxX = x;
    if (y > this.maxY) this.maxY = y;
  }
}

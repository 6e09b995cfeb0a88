import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dcls1d } from '../src/ops/dcls1d.js';
import { maxAbsDiff, referenceDcls, runtime } from './helpers.js';

const rt = runtime(9);

/** Sizes, an odd K, and per-synapse weights and positions (fractional or whole). */
const layer = (whole: boolean) =>
  fc
    .record({
      T: fc.integer({ min: 1, max: 9 }),
      B: fc.integer({ min: 1, max: 3 }),
      cin: fc.integer({ min: 1, max: 3 }),
      cout: fc.integer({ min: 1, max: 3 }),
      lim: fc.integer({ min: 0, max: 4 }),
      density: fc.double({ min: 0.05, max: 1, noNaN: true }),
      seed: fc.nat(),
    })
    .chain((s) =>
      fc.record({
        s: fc.constant(s),
        w: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), {
          minLength: s.cin * s.cout,
          maxLength: s.cin * s.cout,
        }),
        p: fc.array(
          whole
            ? fc.integer({ min: -s.lim, max: s.lim })
            : fc.double({ min: -s.lim, max: s.lim, noNaN: true }),
          { minLength: s.cin * s.cout, maxLength: s.cin * s.cout },
        ),
      }),
    );

function input({
  T,
  B,
  cin,
  density,
  seed,
}: {
  T: number;
  B: number;
  cin: number;
  density: number;
  seed: number;
}) {
  const r = runtime(seed);
  const x = r.randn([T, B, cin]).mul(r.rand([T, B, cin]).lt(density).cast('float32'));
  return rt.fromArray(x.dataSync(), x.shape);
}

describe('dcls1d properties', () => {
  it('integer positions in max mode with SIG = 0 are pure delays: y[t] = w·x[t − (lim − p)]', () => {
    fc.assert(
      fc.property(layer(true), ({ s, w, p }) => {
        const K = 2 * s.lim + 1;
        const x = input(s);
        const y = dcls1d(
          x,
          rt.tensor(w, { shape: [s.cout, s.cin] }),
          rt.tensor(p, { shape: [s.cout, s.cin] }),
          0,
          {
            kernelSize: K,
            version: 'max',
          },
        ).dataSync();
        const xs = x.dataSync();
        const expected = new Float64Array((s.T + s.lim) * s.B * s.cout);
        for (let t = 0; t < s.T + s.lim; t++)
          for (let b = 0; b < s.B; b++)
            for (let o = 0; o < s.cout; o++)
              for (let i = 0; i < s.cin; i++) {
                const src = t - (s.lim - p[o * s.cin + i]!);
                if (src >= 0 && src < s.T)
                  expected[(t * s.B + b) * s.cout + o]! +=
                    Math.fround(w[o * s.cin + i]!) * xs[(src * s.B + b) * s.cin + i]!;
              }
        expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('any positions and widths: equals the dense reference (padding + correlation)', () => {
    fc.assert(
      fc.property(
        layer(false),
        fc.constantFrom('gauss', 'max'),
        fc.double({ min: 0, max: 5, noNaN: true }),
        ({ s, w, p }, version, sig) => {
          const K = 2 * s.lim + 1;
          const x = input(s);
          const wt = rt.tensor(w, { shape: [s.cout, s.cin] });
          const pt = rt.tensor(p, { shape: [s.cout, s.cin] });
          const y = dcls1d(x, wt, pt, sig, { kernelSize: K, version }).dataSync();
          const ref = referenceDcls(
            x.dataSync(),
            x.shape,
            wt.dataSync(),
            pt.dataSync(),
            s.cout,
            K,
            version,
            sig,
          );
          expect(maxAbsDiff(y, ref)).toBeLessThan(1e-5);
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { Ring } from '../src/engine/ring.js';
import { expectClose, normals, onBoth, spikes, wasmRuntime } from './helpers.js';

describe('the ring of kept blocks', () => {
  it('stores blocks one after another, never across its end, and knows when one is overwritten', () => {
    const ring = new Ring(1024, 4096);
    const a = ring.store(1000)!;
    const b = ring.store(1000)!;
    expect([a.at, b.at]).toEqual([1024, 1024 + 1024]);
    const c = ring.store(1000)!;
    const d = ring.store(1000)!;
    expect(d.at).toBe(1024 + 3072);
    expect([a, b, c, d].every((block) => ring.intact(block))).toBe(true);
    // The next block starts the second lap: it overwrites a, and only a.
    const e = ring.store(100)!;
    expect(e.at).toBe(1024);
    expect([ring.intact(a), ring.intact(b), ring.intact(e)]).toEqual([false, true, true]);
    // Blocks follow e; one that does not fit before the end starts the next lap.
    const f = ring.store(1000)!;
    const g = ring.store(1000)!;
    const h = ring.store(1000)!;
    expect([f.at, g.at, h.at]).toEqual([1024 + 128, 1024 + 1152, 1024 + 2176]);
    const i = ring.store(1000)!;
    expect(i.at).toBe(1024);
    expect([ring.intact(e), ring.intact(f), ring.intact(g), ring.intact(h), ring.intact(i)]).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it('refuses blocks larger than a quarter of it', () => {
    const ring = new Ring(0, 4096);
    expect(ring.store(1025)).toBeNull();
    expect(ring.store(1024)).not.toBeNull();
  });

  it('keeps products right when indices kept in it are overwritten', async () => {
    const { rt, backend } = await wasmRuntime(1, 9);
    const w = onBoth(rt, normals(rt, [32, 200]), [32, 200]);
    const first = onBoth(rt, spikes(rt, [400, 200], 0.2), [400, 200]);
    const expected = first.cpu.matmul(w.cpu, { transB: true });
    expectClose(first.wasm.matmul(w.wasm, { transB: true }), expected);
    // Enough other spike tensors to go round the 16 MiB ring several times.
    for (let k = 0; k < 6; k++) {
      const other = rt.fromArray(spikes(rt, [4000, 1000], 0.2), [4000, 1000], { backend: 'wasm' });
      other.matmul(rt.fromArray(normals(rt, [8, 1000]), [8, 1000], { backend: 'wasm' }), { transB: true });
    }
    expectClose(first.wasm.matmul(w.wasm, { transB: true }), expected);
    backend.dispose?.();
  });
});

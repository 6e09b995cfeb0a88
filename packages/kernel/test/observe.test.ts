import { createRuntime, Linear, observeForward, ReLU, Sequential } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';

describe('observeForward', () => {
  const rt = createRuntime({ seed: 1 });
  const model = new Sequential([new Linear(rt, { inFeatures: 3, outFeatures: 4 }), new ReLU()]);
  const x = rt.randn([2, 3]);

  it('reports each module output with its name, for overlapping observers detached in any order', () => {
    const a: string[] = [];
    const b: string[] = [];
    const stopA = observeForward(model, (name, _m, inputs, out) =>
      a.push(`${name}:${inputs[0]!.shape}->${out.shape}`),
    );
    const stopB = observeForward(
      model,
      (name) => b.push(name),
      (_n, m) => m instanceof ReLU,
    );
    const y = model.forward(x);
    // Children finish before their container; the root module's name is ''.
    expect(a).toEqual(['0:2,3->2,4', '1:2,4->2,4', ':2,3->2,4']);
    expect(b).toEqual(['1']);
    stopA();
    model.forward(x);
    expect(a).toHaveLength(3);
    expect(b).toEqual(['1', '1']);
    stopB();
    model.forward(x);
    expect(b).toHaveLength(2);
    expect(Object.hasOwn(model.layers[1]!, 'forward')).toBe(false);
    expect(Array.from(model.forward(x).dataSync())).toEqual(Array.from(y.dataSync()));
  });
});

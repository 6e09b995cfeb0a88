import datasets from '@neurite/datasets';
import {
  createRuntime,
  type Runtime,
  resolveTrainConfig,
  type TrainConfigInput,
  TrainingSession,
} from '@neurite/kernel';
import examplePlugin from './index.js';

export interface RecipeResult {
  readonly accuracy: number;
  readonly seconds: number;
  readonly epochs: number;
}

/** A runtime with what the recipes need: the datasets plugin (for `mnist`) and these presets. */
export function recipeRuntime(seed = 0): Runtime {
  return createRuntime({ seed }).use(datasets()).use(examplePlugin());
}

/** Trains one recipe with the kernel's training session on the cpu backend; returns test accuracy. */
export async function trainRecipe(
  recipe: TrainConfigInput,
  seed: number,
  onEpoch?: (line: string) => void,
): Promise<RecipeResult> {
  const rt = recipeRuntime(seed);
  const config = resolveTrainConfig(rt, { ...recipe, seed });
  const session = await TrainingSession.create(rt, config);
  const started = performance.now();
  while (session.trainer.epoch < config.train.epochs) {
    const r = await session.trainer.trainEpoch(config.train.epochs);
    onEpoch?.(
      `epoch ${r.epoch}: train ${(100 * r.train.accuracy).toFixed(2)} % test ${(100 * r.test.accuracy).toFixed(2)} % (${r.seconds.toFixed(1)} s)`,
    );
  }
  const last = session.trainer.history.at(-1)!;
  return { accuracy: last.test.accuracy, seconds: (performance.now() - started) / 1000, epochs: last.epoch };
}

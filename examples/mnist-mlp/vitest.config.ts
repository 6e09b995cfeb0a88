import { packageProject } from '../../vitest.shared.ts';

export default packageProject('example-mnist-mlp', { testTimeout: 600_000 });

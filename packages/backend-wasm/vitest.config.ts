import { packageProject } from '../../vitest.shared.ts';

export default packageProject('backend-wasm', { globalSetup: ['test/global-setup.ts'] });

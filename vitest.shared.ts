import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Per-package vitest settings. Workspace packages resolve to their TypeScript sources
 * (the `source` export condition), so tests never wait on a build of a dependency.
 */
export function packageProject(name: string, overrides: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      testTimeout: 60_000,
      ...overrides,
    },
  });
}

/** The package version, kept in step with package.json by `pnpm version-packages`. */
export const VERSION = '0.1.0';

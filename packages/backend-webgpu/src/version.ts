/** This package's version (kept in step with package.json by the release tooling). */
export const PACKAGE_VERSION = '0.1.0';

import type { PluginManifest } from '../plugin/plugin.js';
import { parseVersion, satisfies } from '../plugin/semver.js';
import { KERNEL_API_VERSION } from '../version.js';
import { expect } from './report.js';

/** The manifest a published plugin needs: a name, a semver version, a description, a compatible API range. */
export function checkManifest(manifest: PluginManifest<unknown>): string {
  expect(
    typeof manifest?.name === 'string' && manifest.name.length > 0,
    'the manifest needs a name (the package name)',
  );
  expect(
    typeof manifest.version === 'string' && parseVersion(manifest.version),
    `version '${manifest.version}' is not a semver version`,
  );
  expect(
    typeof manifest.description === 'string' && manifest.description.trim().length > 0,
    'needs a description (neurite plugins shows it)',
  );
  let compatible = false;
  try {
    compatible = satisfies(KERNEL_API_VERSION, manifest.apiVersion);
  } catch {
    throw new Error(`apiVersion '${manifest.apiVersion}' is not a semver range`);
  }
  expect(compatible, `apiVersion '${manifest.apiVersion}' excludes this kernel's API ${KERNEL_API_VERSION}`);
  expect(typeof manifest.setup === 'function', 'the manifest needs a setup function');
  return `${manifest.name} ${manifest.version}, apiVersion ${manifest.apiVersion} admits ${KERNEL_API_VERSION}`;
}

interface PackageJson {
  name?: string;
  version?: string;
  type?: string;
  keywords?: string[];
  neurite?: { plugin?: boolean };
  files?: string[];
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * What lets the CLI find and load the plugin from an installation: the package names the manifest's
 * name and version, is ESM, is marked `"neurite": { "plugin": true }` with the `neurite-plugin` keyword,
 * takes the kernel as a peer (one kernel per installation, so registries and classes are shared), and
 * exports built JavaScript and types that its `files` publish.
 */
export function checkPackage(manifest: PluginManifest<unknown>, raw: unknown): string {
  const pkg = raw as PackageJson;
  expect(
    pkg?.name === manifest.name,
    `package.json name '${pkg?.name}' differs from the manifest's '${manifest.name}'`,
  );
  expect(
    pkg.version === manifest.version,
    `package.json version ${pkg.version} differs from the manifest's ${manifest.version}`,
  );
  expect(pkg.type === 'module', 'package.json needs "type": "module"');
  expect(
    pkg.neurite?.plugin === true,
    'package.json needs "neurite": { "plugin": true } (how the CLI finds plugins)',
  );
  expect(
    pkg.keywords?.includes('neurite-plugin'),
    "package.json keywords need 'neurite-plugin' (how users find plugins)",
  );
  expect(pkg.peerDependencies?.['@neurite/kernel'], '@neurite/kernel must be a peer dependency');
  expect(
    !pkg.dependencies?.['@neurite/kernel'],
    '@neurite/kernel must not be a dependency (it would install a second kernel)',
  );
  const root = pkg.exports?.['.'] as Record<string, unknown> | undefined;
  expect(root && typeof root === 'object', 'package.json needs an exports map with "."');
  for (const condition of ['types', 'default'] as const) {
    const target = root[condition];
    expect(typeof target === 'string', `exports["."] needs a "${condition}" condition`);
    expect(
      !target.endsWith('.ts') || target.endsWith('.d.ts'),
      `exports["."].${condition} points at source (${target}); publish built files`,
    );
    const folder = target.replace(/^\.\//, '').split('/')[0]!;
    expect(
      !pkg.files || pkg.files.includes(folder),
      `exports["."].${condition} is in ${folder}/, which "files" does not publish`,
    );
  }
  return 'plugin marker, keyword, kernel peer and exports are in place';
}

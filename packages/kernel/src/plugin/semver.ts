/**
 * The small part of semver the plugin contract needs: versions `MAJOR.MINOR.PATCH` and ranges made of
 * `^x.y.z`, `~x.y.z`, `x.y.z`, `x.y.x`/`x.x` wildcards, `>=x.y.z`, `<x.y.z` (space-separated parts all
 * hold) and `||` alternatives. Written here because the kernel depends on nothing but its validator.
 */
export type Version = readonly [number, number, number];

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/;

export function parseVersion(text: string): Version | null {
  const m = VERSION.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function satisfiesPart(v: Version, part: string): boolean {
  const op = /^(\^|~|>=|<=|>|<|=)?\s*(.*)$/.exec(part)!;
  const operator = op[1] ?? '';
  const body = op[2]!;
  if (body === '*' || body === 'x' || body === '') return true;
  const pieces = body.split('.');
  const wildcard = pieces.findIndex((p) => p === 'x' || p === '*');
  if (wildcard >= 0 || pieces.length < 3) {
    const fixed = (wildcard >= 0 ? pieces.slice(0, wildcard) : pieces).map(Number);
    return fixed.every((n, i) => v[i] === n);
  }
  const target = parseVersion(body);
  if (!target) throw new Error(`invalid version range part '${part}'`);
  const c = compareVersions(v, target);
  switch (operator) {
    case '^': {
      if (c < 0) return false;
      // ^1.2.3 := <2.0.0; ^0.2.3 := <0.3.0; ^0.0.3 := <0.0.4
      if (target[0] > 0) return v[0] === target[0];
      if (target[1] > 0) return v[0] === 0 && v[1] === target[1];
      return v[0] === 0 && v[1] === 0 && v[2] === target[2];
    }
    case '~':
      return c >= 0 && v[0] === target[0] && v[1] === target[1];
    case '>=':
      return c >= 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    default:
      return c === 0;
  }
}

/** Whether `version` lies in `range`. Throws on a malformed range. */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v) throw new Error(`invalid version '${version}'`);
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .every((part) => satisfiesPart(v, part)),
  );
}

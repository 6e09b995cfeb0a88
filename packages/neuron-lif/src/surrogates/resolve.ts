import { type Runtime, ValidationError } from '@neurite/kernel';
import { type } from 'arktype';
import type { SurrogateSpec } from '../ops/attrs.js';
import type { SurrogateDef } from './types.js';

/** How configs name a surrogate: `"atan"` or `{ "type": "atan", "alpha": 4 }`. */
export type SurrogateOption = string | ({ type: string } & Record<string, number | string>);

export const surrogateOptionSchema = type('string').or({ type: 'string', '[string]': 'number | string' });

/**
 * Validates a surrogate option against the registry and the surrogate's parameter schema (defaults
 * applied), returning the spec the ops carry. Errors name `path`.
 */
export function resolveSurrogate(rt: Runtime, option: SurrogateOption, path = 'surrogate'): SurrogateSpec {
  const { type: name, ...given } = typeof option === 'string' ? { type: option } : option;
  const def = rt.registry('surrogate').get(name);
  if (!def) {
    throw new ValidationError('invalid surrogate', [
      {
        path: `${path}.type`,
        message: `unknown surrogate '${name}' (known: ${rt.registry('surrogate').names().join(', ')})`,
      },
    ]);
  }
  const params = def.options(given);
  if (params instanceof type.errors) {
    throw new ValidationError(
      'invalid surrogate',
      params.map((e: { path: readonly PropertyKey[]; problem: string }) => ({
        path: [path, ...e.path].join('.'),
        message: e.problem,
      })),
    );
  }
  return { name, ...(params as Record<string, number | string>) };
}

/** The registered definition and parameters of a resolved spec. */
export function surrogateOf(
  rt: Runtime,
  spec: SurrogateSpec,
): { def: SurrogateDef; params: Record<string, unknown> } {
  const { name, ...params } = spec;
  return { def: rt.registry('surrogate').require(name), params };
}

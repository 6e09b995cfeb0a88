import { ValidationError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { GroupOptions, ParamGroupInput } from './optimizer.js';

/** Options for the parameters whose dotted names match a glob (or any of several). */
export type GroupRule<O extends GroupOptions = GroupOptions> = Partial<O> & {
  readonly match: string | readonly string[];
};

/** Anything with dotted parameter names: a Module, or name/tensor pairs. */
export type NamedParameters = { namedParameters(): [string, Tensor][] } | Iterable<readonly [string, Tensor]>;

/**
 * Splits parameters into optimiser groups by glob patterns on their dotted names, the way configs
 * state groups: `paramGroups(model, [{ match: '*.positions', lr: 0.1, weightDecay: 0 }])`. Patterns
 * match the whole name, fnmatch-style: `*` matches any run of characters including dots, `?` one
 * character. Each parameter joins the first rule it matches; the rest form a first group with the
 * optimiser's defaults. With `strict` (the default) a rule that matches nothing is an error that lists
 * the names, since that is usually a typo in a config.
 */
export function paramGroups<O extends GroupOptions = GroupOptions>(
  source: NamedParameters,
  rules: readonly GroupRule<O>[],
  options: { strict?: boolean } = {},
): ParamGroupInput<O>[] {
  const named = 'namedParameters' in source ? source.namedParameters() : [...source];
  const matchers = rules.map((r) => (typeof r.match === 'string' ? [r.match] : r.match).map(globToRegExp));
  const members = rules.map((): Tensor[] => []);
  const rest: Tensor[] = [];
  for (const [name, param] of named) {
    const k = matchers.findIndex((patterns) => patterns.some((re) => re.test(name)));
    (k < 0 ? rest : members[k]!).push(param);
  }
  if (options.strict ?? true) {
    const issues = rules.flatMap((rule, k) =>
      members[k]!.length
        ? []
        : [
            {
              path: `[${k}].match`,
              message: `${JSON.stringify(rule.match)} matches no parameter (names: ${named
                .map(([n]) => n)
                .slice(0, 20)
                .join(', ')}${named.length > 20 ? ', …' : ''})`,
            },
          ],
    );
    if (issues.length) throw new ValidationError('parameter groups', issues);
  }
  const groups: ParamGroupInput<O>[] = [];
  if (rest.length) groups.push({ params: rest } as unknown as ParamGroupInput<O>);
  rules.forEach((rule, k) => {
    if (!members[k]!.length) return;
    const { match: _match, ...groupOptions } = rule;
    groups.push({ ...groupOptions, params: members[k]! } as unknown as ParamGroupInput<O>);
  });
  return groups;
}

/** A whole-string matcher for an fnmatch-style glob (`*` any run, `?` one character). */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}

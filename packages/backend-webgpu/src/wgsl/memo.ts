/**
 * Memoises a WGSL generator by its (structural) arguments: kernels call their generator on every
 * dispatch, and the backend caches pipelines by source text, so returning the same string object for
 * the same structure saves both the building and the hashing of a new string each time.
 */
export function memo<A extends readonly (string | number | boolean)[]>(
  generate: (...args: A) => string,
): (...args: A) => string {
  const cache = new Map<string, string>();
  return (...args: A) => {
    const key = args.join('|');
    let source = cache.get(key);
    if (source === undefined) {
      source = generate(...args);
      cache.set(key, source);
    }
    return source;
  };
}

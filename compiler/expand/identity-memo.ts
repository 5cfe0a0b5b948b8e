/**
 * A memo keyed by object identity, for values computed from never-mutated
 * config sections. Grid expansion interns sections (see config-state.ts), so
 * a 100,000-run matrix has only a handful of distinct section objects: each
 * is finalised, checked and serialised once, even when the section changes
 * on every run (the last axis). A WeakMap holds nothing alive by itself;
 * the last key is checked first, the common case in odometer order.
 */
export function identityMemo<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const seen = new WeakMap<K, V>();
  let lastKey: K | undefined;
  let lastValue: V | undefined;
  return (key) => {
    if (key === lastKey) return lastValue as V;
    let value = seen.get(key);
    if (value === undefined && !seen.has(key)) seen.set(key, (value = compute(key)));
    lastKey = key;
    lastValue = value;
    return value as V;
  };
}

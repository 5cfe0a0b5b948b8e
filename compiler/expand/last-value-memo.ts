/**
 * A one-entry memo keyed by object identity. Grid expansion walks the
 * product in odometer order, so a config section that did not change since
 * the previous run is the very same object: remembering only the last one
 * catches nearly all sharing without holding every run's sections alive.
 */
export function lastValueMemo<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  let lastKey: K | undefined;
  let lastValue: V | undefined;
  return (key) => {
    if (key !== lastKey) {
      lastValue = compute(key);
      lastKey = key;
    }
    return lastValue as V;
  };
}

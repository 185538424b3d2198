import DataLoader from 'dataloader';

/** A loader keyed by one field: one query for all keys requested in the same tick. */
export function loaderBy<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (value: V) => K,
): DataLoader<K, V | undefined> {
  return new DataLoader<K, V | undefined>(async (keys) => {
    const byKey = new Map<K, V>();
    for (const value of await fetch(keys)) byKey.set(keyOf(value), value);
    return keys.map((k) => byKey.get(k));
  });
}

/** A loader of lists keyed by one field (the children of each parent). */
export function groupLoaderBy<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (value: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const byKey = new Map<K, V[]>();
    for (const value of await fetch(keys)) {
      const key = keyOf(value);
      const list = byKey.get(key);
      if (list) list.push(value);
      else byKey.set(key, [value]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  });
}

/**
 * Loaders for a lookup that takes arguments besides the keys (a period): one loader per distinct
 * arguments in the request, so the keys asked with the same arguments share one query.
 */
export function loaderPerArgs<Args extends unknown[], K, V>(argsKey: (...args: Args) => string, create: (...args: Args) => DataLoader<K, V>): (...args: Args) => DataLoader<K, V> {
  const loaders = new Map<string, DataLoader<K, V>>();
  return (...args) => {
    const key = argsKey(...args);
    let loader = loaders.get(key);
    if (!loader) loaders.set(key, (loader = create(...args)));
    return loader;
  };
}

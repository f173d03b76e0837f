/**
 * A Map used as a bounded in-memory cache: past `max` entries the oldest insertion is dropped.
 * Enough for caches whose entries are cheap to recompute (keys, hashes, settings); no LRU.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  if (!map.has(key) && map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, value);
  return value;
}

/** The value cached under `key`, or `compute()` remembered there (bounded by `max`). */
export function getOrCompute<K, V>(map: Map<K, V>, key: K, max: number, compute: () => V): V {
  const hit = map.get(key);
  return hit !== undefined ? hit : setBounded(map, key, compute(), max);
}

/**
 * A browser storage area held in memory, for the client's storage tests: what was written is in
 * `data`, to read or to spoil.
 */
import type { StorageArea } from '../../client/src/lib/storage';

export function memoryArea(): StorageArea & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

/** Reads the value at a fixed key path, or `undefined` where the path leaves the objects. */
export type FieldReader = (root: unknown) => unknown;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Compiles a key path (e.g. `['profile', 'stats', 'sessions']`) into a reader. The common one- and two-key paths get
 * dedicated closures so the hot path is a couple of property loads. Keys are validated at load (no prototype names).
 */
export function compileFieldReader(keys: readonly string[]): FieldReader {
  const [first, second] = keys;
  if (first === undefined) return (root) => root;
  if (keys.length === 1) {
    return function readField(root) {
      return isObject(root) ? root[first] : undefined;
    };
  }
  if (second !== undefined && keys.length === 2) {
    return function readNestedField(root) {
      if (!isObject(root)) return undefined;
      const parent = root[first];
      return isObject(parent) ? parent[second] : undefined;
    };
  }
  return function readDeepField(root) {
    let value = root;
    for (const key of keys) {
      if (!isObject(value)) return undefined;
      value = value[key];
    }
    return value;
  };
}

/** Splits a validated dot path (`a.b`) into its keys. */
export function fieldPathKeys(path: string): string[] {
  return path.split('.');
}

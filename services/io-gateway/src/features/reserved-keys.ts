/**
 * Keys that reach `Object.prototype` when read from a plain object. Rejected in source names and field paths, so a
 * feature can only ever read a body's own data.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

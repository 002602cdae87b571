/** Entity ids the sources accept: path-safe tokens, as the gateway substitutes them into URLs. */
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** Ids starting `missing-` name entities the sources do not know (404), so tests can ask for one on purpose. */
export function isMissingEntity(entityId: string): boolean {
  return entityId.startsWith('missing-');
}

import type { EntityData } from './entity-data.ts';
import { wrongShapeHistory, wrongShapeProfile } from './wrong-shape.ts';

/** The external feature services this program can stand in for. */
export const SOURCE_KINDS = ['profile', 'events'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** How one kind of source is reached and what it answers. */
export type SourceDefinition = {
  /** Hono route path; `:entityId` is the user. */
  path: '/profiles/:entityId' | '/users/:entityId/events';
  defaultPort: number;
  /** The JSON document for one user. */
  document(data: EntityData): unknown;
  /** The same user with the wrong types, for the `wrong-shape` mode. */
  wrongShapeDocument(data: EntityData): unknown;
};

export const SOURCES: Readonly<Record<SourceKind, SourceDefinition>> = {
  profile: {
    path: '/profiles/:entityId',
    defaultPort: 8091,
    document: (data) => data.profile,
    wrongShapeDocument: wrongShapeProfile,
  },
  events: {
    path: '/users/:entityId/events',
    defaultPort: 8092,
    document: (data) => data.history,
    wrongShapeDocument: wrongShapeHistory,
  },
};

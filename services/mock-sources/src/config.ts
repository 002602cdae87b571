import { z } from 'zod';
import { behaviourFieldSchemas, type Behaviour } from './behaviour/behaviour.ts';
import { SOURCE_KINDS, SOURCES, type SourceKind } from './data/source-kinds.ts';

const fromString = <T extends z.ZodType<number, number>>(schema: T) => z.coerce.number().pipe(schema);

const environmentSchema = z.object({
  MOCK_SOURCE: z.enum(SOURCE_KINDS),
  PORT: fromString(z.number().int().min(0).max(65_535)).optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  MOCK_LATENCY_MS: fromString(behaviourFieldSchemas.milliseconds).default(70),
  MOCK_JITTER_MS: fromString(behaviourFieldSchemas.milliseconds).default(10),
  MOCK_ERROR_RATE: fromString(behaviourFieldSchemas.errorRate).default(0),
  MOCK_ERROR_STATUS: fromString(behaviourFieldSchemas.errorStatus).default(503),
});

/** The mock source's settings, parsed once from the environment at start-up. */
export type MockSourceConfig = Readonly<{
  source: SourceKind;
  port: number;
  host: string;
  /** The behaviour at start, and what `DELETE /_admin/behaviour` returns to. */
  defaultBehaviour: Behaviour;
}>;

/** Every environment variable the mock sources read. */
export const MOCK_SOURCE_ENVIRONMENT = Object.keys(environmentSchema.shape);

/**
 * Reads and validates the environment. Throws an error naming each bad variable; unset ones take their defaults,
 * except `MOCK_SOURCE`, which is required. `PORT` defaults to 8091 for profile and 8092 for events.
 */
export function loadConfig(env: NodeJS.ProcessEnv): MockSourceConfig {
  const picked = Object.fromEntries(
    MOCK_SOURCE_ENVIRONMENT.map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = environmentSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid mock-sources configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    source: e.MOCK_SOURCE,
    port: e.PORT ?? SOURCES[e.MOCK_SOURCE].defaultPort,
    host: e.HOST,
    defaultBehaviour: Object.freeze({
      latencyMs: e.MOCK_LATENCY_MS,
      jitterMs: e.MOCK_JITTER_MS,
      errorRate: e.MOCK_ERROR_RATE,
      errorStatus: e.MOCK_ERROR_STATUS,
      retryAfterS: null,
      mode: 'normal',
      failFirst: 0,
    }),
  });
}

import { Hono } from 'hono';
import { swaggerUI } from '@hono/swagger-ui';
import { z } from 'zod';
import {
  batchScoreRequestSchema,
  batchScoreResponseSchema,
  problemDetailsSchema,
  scoreRequestSchema,
  scoreResponseSchema,
} from '@splitserve/contracts';
import type { GatewayEnv } from '../app.ts';

/** The gateway's OpenAPI 3.1 document, generated from the same schemas that validate requests. */
export function buildOpenApiDocument(options: { version: string; models: readonly string[] }) {
  const schema = (s: z.ZodType, io: 'input' | 'output') => {
    // The document's dialect is declared once, by `openapi: 3.1.0`.
    const json: Record<string, unknown> = z.toJSONSchema(s, { io, target: 'draft-2020-12' });
    delete json['$schema'];
    return json;
  };
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
  });
  const errors = {
    '400': problem('Malformed JSON or a malformed header.'),
    '401': problem('A valid API key is required (when the gateway has keys configured).'),
    '413': problem('The body is too large.'),
    '415': problem('The body is not application/json.'),
    '422': problem('The JSON does not fit the schema, or names an unknown model.'),
    '503': problem('A required dependency is unavailable or its circuit is open; see `dependency` and Retry-After.'),
    '504': problem('The request deadline passed.'),
  };
  const timeoutHeader = {
    name: 'X-Request-Timeout-Ms',
    in: 'header',
    required: false,
    description: 'Milliseconds the caller allows; the gateway uses the smaller of this and its default.',
    schema: { type: 'integer', minimum: 1 },
  };
  const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
  const plain = (description: string) => ({ responses: { '200': { description } } });
  return {
    openapi: '3.1.0',
    info: {
      title: 'splitserve io-gateway',
      version: options.version,
      description: `Scores entities with a model behind a feature pipeline. Models: ${options.models.join(', ')}.`,
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
      schemas: {
        ScoreRequest: schema(scoreRequestSchema, 'input'),
        ScoreResponse: schema(scoreResponseSchema, 'output'),
        BatchScoreRequest: schema(batchScoreRequestSchema, 'input'),
        BatchScoreResponse: schema(batchScoreResponseSchema, 'output'),
        ProblemDetails: schema(problemDetailsSchema, 'output'),
      },
    },
    security: [{}, { apiKey: [] }],
    paths: {
      '/v1/score': {
        post: {
          summary: 'Score one entity',
          operationId: 'score',
          parameters: [timeoutHeader],
          requestBody: { required: true, content: json('ScoreRequest') },
          responses: { '200': { description: 'Scores, highest first.', content: json('ScoreResponse') }, ...errors },
        },
      },
      '/v1/score/batch': {
        post: {
          summary: 'Score many entities in one call',
          operationId: 'scoreBatch',
          parameters: [timeoutHeader],
          requestBody: { required: true, content: json('BatchScoreRequest') },
          responses: {
            '200': {
              description: 'One result or one problem per entity, in order.',
              content: json('BatchScoreResponse'),
            },
            ...errors,
          },
        },
      },
      '/healthz': { get: { summary: 'Liveness', operationId: 'healthz', ...plain('The process answers.') } },
      '/readyz': { get: { summary: 'Readiness', operationId: 'readyz', ...plain('Configured and not draining.') } },
      '/metrics': { get: { summary: 'Prometheus metrics', operationId: 'metrics', ...plain('Text exposition.') } },
      '/openapi.json': { get: { summary: 'This document', operationId: 'openapi', ...plain('OpenAPI 3.1.') } },
    },
  };
}

/** `GET /openapi.json` and a `GET /docs` page that renders it. */
export function createOpenApiRoutes(options: { version: string; models: readonly string[] }) {
  const document = buildOpenApiDocument(options);
  return new Hono<GatewayEnv>()
    .get('/openapi.json', (c) => c.json(document))
    .get('/docs', swaggerUI({ url: '/openapi.json' }));
}

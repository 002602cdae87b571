import { Hono, type Context } from 'hono';
import type { ServerMetadata } from '@splitserve/contracts';
import type { ScorerDeps, ScorerEnv } from '../app.ts';

/** Protocol extensions this server implements, as `GET /v2` advertises them. */
export const EXTENSIONS = ['binary_tensor_data', 'schedule_policy'];

/**
 * `GET /v2` (server metadata), `GET /v2/models/{name}[/versions/{version}]` (model metadata) and
 * `GET /v2/models/{name}[/versions/{version}]/ready`.
 */
export function createMetadataRoutes(deps: Pick<ScorerDeps, 'registry' | 'serverVersion'>) {
  const modelMetadata = (c: Context<ScorerEnv>) => {
    const name = c.req.param('name')!;
    const model = deps.registry.resolve(name, c.req.param('version'));
    return c.json(model.metadata(deps.registry.versionsOf(name)));
  };
  const modelReady = (c: Context<ScorerEnv>) => {
    const model = deps.registry.resolve(c.req.param('name')!, c.req.param('version'));
    return c.json({ name: model.name, version: model.version, ready: model.ready }, model.ready ? 200 : 503);
  };
  return new Hono<ScorerEnv>()
    .get('/v2', (c) => {
      const metadata: ServerMetadata = {
        name: 'splitserve-scorer',
        version: deps.serverVersion,
        extensions: EXTENSIONS,
      };
      return c.json(metadata);
    })
    .get('/v2/models/:name', modelMetadata)
    .get('/v2/models/:name/versions/:version', modelMetadata)
    .get('/v2/models/:name/ready', modelReady)
    .get('/v2/models/:name/versions/:version/ready', modelReady);
}

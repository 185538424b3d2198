import type { Kysely } from 'kysely';
import type { BaseContext } from '../common/graphql/builder.js';
import { requestContext } from '../common/graphql/request-context.js';
import type { Viewer } from '../common/auth/viewer.js';
import type { SubgraphRuntime } from '../common/runtime.js';
import { createLoaders, type Loaders } from './db/loaders.js';
import type { FacilitiesDB } from './db/tables.js';

export type FacilitiesRuntime = SubgraphRuntime<FacilitiesDB>;

export interface FacilitiesContext extends BaseContext {
  runtime: FacilitiesRuntime;
  db: Kysely<FacilitiesDB>;
  loaders: Loaders;
}

export function createContext(runtime: FacilitiesRuntime, viewer: Viewer, requestId: string): FacilitiesContext {
  return requestContext(runtime, viewer, requestId, () => createLoaders(runtime.db));
}

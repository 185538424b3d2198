import type { Kysely } from 'kysely';
import type { BaseContext } from '../common/graphql/builder.js';
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
  const context = {
    viewer,
    requestId,
    runtime,
    db: runtime.db,
    loaders: createLoaders(runtime.db),
    audit: (entity: string, id: string, field: string) => runtime.audit.record(viewer, requestId, entity, id, field),
    renewLoaders: () => {
      context.loaders = createLoaders(runtime.db);
    },
  };
  return context;
}

import type { Kysely } from 'kysely';
import type { BaseContext } from '../common/graphql/builder.js';
import { requestContext } from '../common/graphql/request-context.js';
import type { Viewer } from '../common/auth/viewer.js';
import type { SubgraphRuntime } from '../common/runtime.js';
import { createLoaders, type Loaders } from './db/loaders.js';
import type { WorkforceDB } from './db/tables.js';

export type WorkforceRuntime = SubgraphRuntime<WorkforceDB>;

export interface WorkforceContext extends BaseContext {
  runtime: WorkforceRuntime;
  db: Kysely<WorkforceDB>;
  loaders: Loaders;
}

export function createContext(runtime: WorkforceRuntime, viewer: Viewer, requestId: string): WorkforceContext {
  return requestContext(runtime, viewer, requestId, () => createLoaders(runtime.db));
}

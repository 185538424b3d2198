import type { Kysely } from 'kysely';
import type { BaseContext } from '../common/graphql/builder.js';
import { requestContext } from '../common/graphql/request-context.js';
import type { Viewer } from '../common/auth/viewer.js';
import type { SubgraphRuntime } from '../common/runtime.js';
import { createLoaders, type Loaders } from './db/loaders.js';
import { cityDate } from '../common/graphql/scalars.js';
import type { PatientsDB } from './db/tables.js';

export type PatientsRuntime = SubgraphRuntime<PatientsDB>;

export interface PatientsContext extends BaseContext {
  runtime: PatientsRuntime;
  db: Kysely<PatientsDB>;
  loaders: Loaders;
  now: () => Date;
  /** Today in the city (YYYY-MM-DD). */
  today: () => string;
}

export function createContext(runtime: PatientsRuntime, viewer: Viewer, requestId: string): PatientsContext {
  const now = () => new Date();
  const today = () => cityDate(now());
  return requestContext(runtime, viewer, requestId, () => createLoaders(runtime.db, now), { now, today });
}

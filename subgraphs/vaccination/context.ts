import type { Kysely } from 'kysely';
import type { BaseContext } from '../common/graphql/builder.js';
import { requestContext } from '../common/graphql/request-context.js';
import type { Viewer } from '../common/auth/viewer.js';
import type { SubgraphRuntime } from '../common/runtime.js';
import { cityDate } from '../common/graphql/scalars.js';
import { createLoaders, type Loaders } from './db/loaders.js';
import type { VaccinationDB } from './db/tables.js';

export type VaccinationRuntime = SubgraphRuntime<VaccinationDB>;

export interface VaccinationContext extends BaseContext {
  runtime: VaccinationRuntime;
  db: Kysely<VaccinationDB>;
  loaders: Loaders;
  /** Today in the city (YYYY-MM-DD). */
  today: () => string;
}

export function createContext(runtime: VaccinationRuntime, viewer: Viewer, requestId: string): VaccinationContext {
  const today = () => cityDate(new Date());
  return requestContext(runtime, viewer, requestId, () => createLoaders(runtime.db, today), { today });
}

import type { Migration } from 'kysely';
import { platformMigrations } from '../../common/db/migrations/index.js';
import * as workforce from './2026-11-22T03-00-00_create_workforce.js';

export const migrations: Record<string, Migration> = {
  ...platformMigrations,
  '2026-11-22T03-00-00_create_workforce': workforce,
};

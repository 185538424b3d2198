import { sql, type Kysely } from 'kysely';

/**
 * Supplies per station: one counter row per place and item, and one movement row per change
 * (who, when, why). The checks make the counters impossible to drive below zero or out of step
 * with each other, whatever a writer does; the movements are the recount.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('supply_stock')
    .addColumn('facility_id', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull().defaultTo(0).check(sql`received >= 0`))
    .addColumn('dispensed', 'integer', (c) => c.notNull().defaultTo(0).check(sql`dispensed >= 0`))
    .addColumn('adjusted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('on_hand', 'integer', (c) => c.notNull().defaultTo(0).check(sql`on_hand >= 0`))
    .addColumn('low_threshold', 'integer', (c) => c.notNull().defaultTo(0).check(sql`low_threshold >= 0`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('supply_stock_pkey', ['facility_id', 'item'])
    .addCheckConstraint('supply_stock_balance', sql`on_hand = received - dispensed + adjusted`)
    .execute();
  await db.schema.createIndex('supply_stock_district_idx').on('supply_stock').columns(['district_code', 'ward_code']).execute();

  await db.schema
    .createTable('supply_movement')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('facility_id', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // Received and dispensed quantities are positive; an adjustment carries its sign.
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity <> 0`))
    .addColumn('on_hand_after', 'integer', (c) => c.notNull())
    .addColumn('patient_id', 'uuid', (c) => c.references('patient.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('order_reference', 'text')
    .addColumn('prescriber', 'text')
    .addColumn('actor_subject', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint('supply_movement_stock_fkey', ['facility_id', 'item'], 'supply_stock', ['facility_id', 'item'])
    .execute();
  await db.schema.createIndex('supply_movement_facility_idx').on('supply_movement').columns(['facility_id', 'at']).execute();
  await db.schema.createIndex('supply_movement_patient_idx').on('supply_movement').column('patient_id').execute();
  // Retry keys belong to whoever writes: two stations that number their delivery notes alike, or
  // two officers who pick the same key, each get their own movement.
  await sql`create unique index supply_movement_actor_key on supply_movement (actor_subject, idempotency_key) where idempotency_key is not null`.execute(db);

  await db.schema
    .alterTable('medicine_package')
    .addColumn('facility_id', 'text')
    .addColumn('order_reference', 'text')
    .addColumn('prescriber', 'text')
    .addColumn('movement_id', 'uuid', (c) => c.references('supply_movement.id'))
    .addColumn('idempotency_key', 'text')
    .execute();
  await sql`create unique index medicine_package_actor_key on medicine_package (dispensed_by, idempotency_key) where idempotency_key is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('medicine_package_actor_key').execute();
  await db.schema.alterTable('medicine_package').dropColumn('idempotency_key').dropColumn('movement_id').dropColumn('prescriber').dropColumn('order_reference').dropColumn('facility_id').execute();
  await db.schema.dropTable('supply_movement').execute();
  await db.schema.dropTable('supply_stock').execute();
}

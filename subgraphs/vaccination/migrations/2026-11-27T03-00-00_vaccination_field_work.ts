import { sql, type Kysely } from 'kysely';

/**
 * Field work: the school level of residents (the students' list is secondary and university
 * students), the day each resident's next dose falls due (so the overdue list is one indexed
 * comparison, by the vaccine's own intervals), mobile vaccination points and their sessions with
 * a counter of doses given, and home-vaccination requests assigned to a team, closed by the dose
 * or cancelled with a reason.
 *
 * The intervals below are those of the schedule when this migration was written (days between
 * primary doses, days to the booster): a migration must not change meaning when the code does.
 */
const INTERVALS: Record<string, [primary: number, booster: number]> = {
  ASTRAZENECA: [28, 90],
  PFIZER_BIONTECH: [21, 90],
  MODERNA: [28, 90],
  SINOPHARM_VERO_CELL: [21, 90],
  SPUTNIK_V: [21, 90],
  JANSSEN: [0, 60],
  HAYAT_VAX: [21, 90],
  ABDALA: [14, 90],
};

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('resident')
    .addColumn('schooling', 'text', (c) => c.notNull().defaultTo('NONE').check(sql`schooling in ('NONE', 'PRIMARY', 'SECONDARY', 'UNIVERSITY')`))
    .addColumn('next_dose_due_on', 'date')
    .execute();
  // Students registered before the level was recorded: guessed from the age, as the list did.
  await sql`update resident set schooling = case
      when extract(year from now()) - extract(year from date_of_birth) >= 18 then 'UNIVERSITY'
      when extract(year from now()) - extract(year from date_of_birth) >= 12 then 'SECONDARY'
      else 'PRIMARY' end
    where student`.execute(db);
  const days = (i: 0 | 1) => sql.raw(`case v.vaccine ${Object.entries(INTERVALS).map(([v, d]) => `when '${v}' then ${d[i]}`).join(' ')} end`);
  await sql`update resident r set next_dose_due_on = r.last_dose_on + (case when r.fully_vaccinated then ${days(1)} else ${days(0)} end)
    from vaccination_record v
    where v.resident_id = r.id and v.dose = 'PRIMARY_1' and not r.boosted and r.last_dose_on is not null`.execute(db);
  await db.schema.createIndex('resident_due_idx').on('resident').columns(['ward_code', 'next_dose_due_on']).where(sql.ref('next_dose_due_on'), 'is not', null).execute();

  await db.schema
    .createTable('vaccination_point')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('idempotency_key', 'text')
    .addCheckConstraint('vaccination_point_coordinates', sql`(latitude is null) = (longitude is null)`)
    .execute();
  // Retry keys belong to whoever writes (here and for sessions): equal keys of two writers never meet.
  await sql`create unique index vaccination_point_creator_key on vaccination_point (created_by, idempotency_key) where idempotency_key is not null`.execute(db);
  await db.schema.createIndex('vaccination_point_ward_idx').on('vaccination_point').columns(['ward_code', 'id']).execute();
  await db.schema.createIndex('vaccination_point_district_idx').on('vaccination_point').columns(['district_code', 'id']).execute();

  // The point's ward and district are copied onto its sessions (points do not move), so that a
  // district's sessions are one index range.
  await db.schema
    .createTable('vaccination_session')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('point_id', 'uuid', (c) => c.notNull().references('vaccination_point.id'))
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('vaccine', 'text', (c) => c.notNull())
    .addColumn('planned_doses', 'integer', (c) => c.notNull())
    .addColumn('doses_given', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addCheckConstraint('vaccination_session_window', sql`ends_at > starts_at`)
    .addCheckConstraint('vaccination_session_counts', sql`planned_doses > 0 and doses_given >= 0`)
    .execute();
  await sql`create unique index vaccination_session_creator_key on vaccination_session (created_by, idempotency_key) where idempotency_key is not null`.execute(db);
  await db.schema.createIndex('vaccination_session_point_idx').on('vaccination_session').columns(['point_id', 'starts_at']).execute();
  await db.schema.createIndex('vaccination_session_ward_idx').on('vaccination_session').columns(['ward_code', 'starts_at']).execute();
  await db.schema.createIndex('vaccination_session_district_idx').on('vaccination_session').columns(['district_code', 'starts_at']).execute();

  await db.schema.alterTable('vaccination_record').addColumn('session_id', 'uuid', (c) => c.references('vaccination_session.id')).execute();
  await db.schema.createIndex('vaccination_record_session_idx').on('vaccination_record').column('session_id').where(sql.ref('session_id'), 'is not', null).execute();

  await db.schema
    .alterTable('home_vaccination_request')
    .addColumn('ward_code', 'text')
    .addColumn('district_code', 'text')
    .addColumn('team_id', 'text')
    .addColumn('assigned_at', 'timestamptz')
    .addColumn('assigned_by', 'text')
    .addColumn('dose_record_id', 'uuid', (c) => c.references('vaccination_record.id'))
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('cancel_reason', 'text')
    .addColumn('cancelled_by', 'text')
    .execute();
  await sql`update home_vaccination_request h set ward_code = r.ward_code, district_code = r.district_code from resident r where r.id = h.resident_id`.execute(db);
  await sql`alter table home_vaccination_request alter column ward_code set not null, alter column district_code set not null`.execute(db);
  await sql`alter table home_vaccination_request add constraint home_vaccination_closed_once check (done_at is null or cancelled_at is null)`.execute(db);
  // Open: neither done nor cancelled; still at most one per resident.
  await db.schema.dropIndex('home_vaccination_open_idx').execute();
  await db.schema
    .createIndex('home_vaccination_open_idx')
    .on('home_vaccination_request')
    .column('resident_id')
    .unique()
    .where(sql<boolean>`done_at is null and cancelled_at is null`)
    .execute();
  await db.schema
    .createIndex('home_vaccination_open_ward_idx')
    .on('home_vaccination_request')
    .columns(['ward_code', 'requested_at', 'id'])
    .where(sql<boolean>`done_at is null and cancelled_at is null`)
    .execute();
  await db.schema
    .createIndex('home_vaccination_open_district_idx')
    .on('home_vaccination_request')
    .columns(['district_code', 'requested_at', 'id'])
    .where(sql<boolean>`done_at is null and cancelled_at is null`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('home_vaccination_open_district_idx').execute();
  await db.schema.dropIndex('home_vaccination_open_ward_idx').execute();
  await db.schema.dropIndex('home_vaccination_open_idx').execute();
  await db.schema.createIndex('home_vaccination_open_idx').on('home_vaccination_request').column('resident_id').unique().where(sql.ref('done_at'), 'is', null).execute();
  await sql`alter table home_vaccination_request drop constraint home_vaccination_closed_once`.execute(db);
  for (const column of ['ward_code', 'district_code', 'team_id', 'assigned_at', 'assigned_by', 'dose_record_id', 'cancelled_at', 'cancel_reason', 'cancelled_by']) {
    await db.schema.alterTable('home_vaccination_request').dropColumn(column).execute();
  }
  await db.schema.alterTable('vaccination_record').dropColumn('session_id').execute();
  await db.schema.dropTable('vaccination_session').execute();
  await db.schema.dropTable('vaccination_point').execute();
  await db.schema.alterTable('resident').dropColumn('schooling').dropColumn('next_dose_due_on').execute();
}

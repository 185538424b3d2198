import { sql, type Kysely } from 'kysely';

/**
 * Referrals between tiers: a patient whose tier went up (or whose warning signs suggest it) needs
 * a bed of the new tier. One row per referral, from request to admission or to its end.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('referral')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('patient_id', 'text', (c) => c.notNull())
    // The patient's ward and district when the referral was requested: the area its times count for.
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('from_tier', 'text', (c) => c.notNull())
    .addColumn('to_tier', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('facility_id', 'text', (c) => c.references('facility.id'))
    .addColumn('bed_kind', 'text')
    .addColumn('admission_id', 'uuid', (c) => c.references('admission.id'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('offered_at', 'timestamptz')
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('admitted_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('close_reason', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('referral_status_known', sql`status in ('REQUESTED', 'OFFERED', 'ACCEPTED', 'ADMITTED', 'CANCELLED', 'EXPIRED')`)
    .addCheckConstraint('referral_offer_consistent', sql`(status in ('REQUESTED', 'CANCELLED', 'EXPIRED')) or (facility_id is not null and bed_kind is not null)`)
    .addCheckConstraint('referral_admission_consistent', sql`(status = 'ADMITTED') = (admission_id is not null and admitted_at is not null)`)
    .addCheckConstraint('referral_closed_consistent', sql`(status in ('CANCELLED', 'EXPIRED')) = (closed_at is not null)`)
    .execute();
  // One open referral per patient, whatever the write path.
  await db.schema
    .createIndex('referral_one_open_per_patient')
    .on('referral')
    .column('patient_id')
    .unique()
    .where(sql<boolean>`status in ('REQUESTED', 'OFFERED', 'ACCEPTED')`)
    .execute();
  await db.schema.createIndex('referral_patient_idx').on('referral').columns(['patient_id', 'requested_at']).execute();
  await db.schema.createIndex('referral_admitted_ward_idx').on('referral').columns(['ward_code', 'admitted_at']).where(sql<boolean>`status = 'ADMITTED'`).execute();
  await db.schema.createIndex('referral_admitted_district_idx').on('referral').columns(['district_code', 'admitted_at']).where(sql<boolean>`status = 'ADMITTED'`).execute();
  await db.schema
    .createIndex('referral_open_idx')
    .on('referral')
    .column('requested_at')
    .where(sql<boolean>`status in ('REQUESTED', 'OFFERED', 'ACCEPTED')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('referral').execute();
}

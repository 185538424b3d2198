import { sql, type Kysely } from 'kysely';

/**
 * Help requests opened by partner apps (the 1022 hotline, citizen apps) on a citizen's behalf:
 * who opened it, the citizen's name and recorded consent, what they need, and when an unanswered
 * request escalated to the district. Rows from before keep nulls (opened by officers, no consent).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('help_request')
    .addColumn('opened_by', 'text')
    .addColumn('opened_by_role', 'text')
    .addColumn('citizen_name', 'text')
    .addColumn('need', 'text', (c) => c.notNull().defaultTo('OTHER'))
    .addColumn('consent_text', 'text')
    .addColumn('consent_version', 'text')
    .addColumn('consent_at', 'timestamptz')
    .addColumn('escalated_at', 'timestamptz')
    .execute();
  await sql`alter table help_request add constraint help_request_partner_consent
    check (opened_by_role is distinct from 'PARTNER' or (consent_text is not null and consent_version is not null and consent_at is not null))`.execute(db);
  // A retry key belongs to whoever opened the request: two partners who happen to pick the same
  // key each get their own request, and neither learns that the other used it.
  await sql`alter table help_request drop constraint help_request_idempotency_key_key`.execute(db);
  await sql`create unique index help_request_opener_key on help_request (opened_by, idempotency_key) nulls not distinct where idempotency_key is not null`.execute(db);
  // The escalation sweep's candidates: unanswered and not yet escalated.
  await db.schema
    .createIndex('help_request_unanswered_idx')
    .on('help_request')
    .column('opened_at')
    .where(sql.ref('acknowledged_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('help_request_unanswered_idx').execute();
  await db.schema.dropIndex('help_request_opener_key').execute();
  await sql`alter table help_request add constraint help_request_idempotency_key_key unique (idempotency_key)`.execute(db);
  await sql`alter table help_request drop constraint help_request_partner_consent`.execute(db);
  await db.schema
    .alterTable('help_request')
    .dropColumn('opened_by')
    .dropColumn('opened_by_role')
    .dropColumn('citizen_name')
    .dropColumn('need')
    .dropColumn('consent_text')
    .dropColumn('consent_version')
    .dropColumn('consent_at')
    .dropColumn('escalated_at')
    .execute();
}

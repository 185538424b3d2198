/**
 * A personal-data field of a person the patients subgraph holds (a case or a contact): clinical
 * roles inside their jurisdiction only (the person's ward), every read audited under `entity`.
 */
import { builder } from '../builder.js';
import { maySeePersonalData, type Viewer } from '../../common/auth/viewer.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type PersonalKey = 'fullName' | 'nationalId' | 'phone' | 'address' | 'dateOfBirth';
type Person = { id: string; wardCode: string } & { [K in PersonalKey]: string | null };

export function personalField<P extends Person>(
  entity: 'Patient' | 'Contact',
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, P>,
  field: PersonalKey,
  type: 'String' | 'Date',
  description: string,
) {
  return t.field({
    type,
    nullable: true,
    description: `${description} Personal data: clinical roles inside their jurisdiction only; every read is audited.`,
    authScopes: (p: P) => ({ personalData: p.wardCode }),
    resolve: (p: P, _args: unknown, ctx: { audit: (e: string, id: string, f: string) => void }) => {
      ctx.audit(entity, p.id, field);
      return p[field];
    },
  });
}

/**
 * A value that may be about a person, already allowed to the viewer (a dispense's doctor's order
 * and prescriber): returned as it is, its read audited under `entity` when there is a value.
 */
export function auditedValue<T>(
  ctx: { audit: (e: string, id: string, f: string) => void },
  entity: string,
  id: string,
  field: string,
  value: T | null,
): T | null {
  if (value !== null && value !== undefined) ctx.audit(entity, id, field);
  return value;
}

/**
 * Clinical free text about one patient (why a clinician changed the tier): for clinical roles
 * whose jurisdiction covers the patient's ward, every read audited under the patient; null for
 * anyone else (dashboards see that a tier changed, not the clinician's words).
 */
export function clinicalText(
  ctx: { viewer: Viewer; audit: (e: string, id: string, f: string) => void },
  patient: { id: string; wardCode: string },
  field: string,
  text: string | null,
): string | null {
  return maySeePersonalData(ctx.viewer, patient.wardCode) ? auditedValue(ctx, 'Patient', patient.id, field, text) : null;
}

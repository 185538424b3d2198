/**
 * F1 contacts of a case and their quarantine orders. A contact is a person: their name, birth
 * date, citizen ID, phone and address are personal data (clinical roles in their jurisdiction,
 * every read audited), as for patients. Aggregates per ward, district and city carry none.
 */
import { builder } from '../builder.js';
import { personalField } from './personal-field.js';
import { maySeePersonalData, type Viewer } from '../../common/auth/viewer.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { decodeCursor, pageSize, toPage } from '../../common/graphql/pagination.js';
import { cityDate } from '../../common/graphql/scalars.js';
import { isUuid } from '../../common/domain/input-rules.js';
import { countContacts, quarantineStatsByArea, searchContacts, type Contact, type ContactFilter, type QuarantineOrder, type QuarantineStatsRow } from '../db/contact.repository.js';
import { convertContactToCase, endQuarantine, orderQuarantine, recordContact } from '../commands/contacts.js';
import {
  ContactAlreadyConverted,
  ContactAlreadyQuarantined,
  DuplicateActiveCase,
  DuplicateDecisionNumber,
  NotAQuarantineArea,
  QuarantineAreaFull,
  QuarantineOrderEnded,
} from '../domain/errors.js';
import { ErrorInterface } from '../builder.js';
import { ConfirmationMethodEnum, RiskFactorEnum, SexEnum, TreatmentTierEnum } from './enums.js';
import { DistrictRef, FacilityRef, WardRef } from './area-refs.js';
import { PatientRef, jurisdictionFilter } from './patient.js';

/** Contacts are individuals: clinical roles inside their jurisdiction only (dashboards read the aggregates). */
const mayReadContact = (viewer: Viewer, wardCode: string) => maySeePersonalData(viewer, wardCode);

export const ExposureSettingEnum = builder.enumType('ExposureSetting', {
  description: 'Where the contact was exposed to the index case.',
  values: {
    HOUSEHOLD: { description: 'Lives in the same household.' },
    WORKPLACE: { description: 'At work.' },
    SCHOOL: { description: 'At school or kindergarten.' },
    HEALTHCARE: { description: 'In a health facility (patient, carer or staff).' },
    SOCIAL_GATHERING: { description: 'At a meal, wedding, funeral or other gathering.' },
    TRANSPORT: { description: 'On a bus, train, flight or shared vehicle.' },
    OTHER: { description: 'Anywhere else.' },
  },
});

export const QuarantinePlaceEnum = builder.enumType('QuarantinePlace', {
  description: 'Where a contact is quarantined.',
  values: {
    HOME: { description: 'At home (cách ly tại nhà).' },
    QUARANTINE_AREA: { description: 'In a concentrated quarantine area (khu cách ly tập trung), a facility of kind QUARANTINE_AREA.' },
  },
});

export const QuarantineEndReasonEnum = builder.enumType('QuarantineEndReason', {
  description: 'Why a quarantine order ended.',
  values: {
    COMPLETED: { description: 'The quarantine period ended with negative tests.' },
    TESTED_POSITIVE: { description: 'The contact tested positive and became a case (set by convertContactToCase only).' },
    RELEASED_EARLY: { description: 'Released before the planned end by decision (e.g. exposure ruled out).' },
    PLACE_CHANGED: { description: 'Ended to continue quarantine elsewhere (a new order follows).' },
  },
});

export const QuarantineOrderRef = builder.objectRef<QuarantineOrder>('QuarantineOrder').implement({
  description: 'A quarantine decision for an F1 contact (quyết định cách ly) and, once ended, its end decision (quyết định kết thúc cách ly).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Order id.' }),
    place: t.field({ type: QuarantinePlaceEnum, description: 'At home or in a quarantine area.', resolve: (o) => o.place }),
    facility: t.field({
      type: FacilityRef,
      nullable: true,
      description: 'The quarantine area, for place QUARANTINE_AREA; null at home.',
      resolve: (o) => (o.facilityId ? { id: o.facilityId } : null),
    }),
    decisionNumber: t.exposeString('decisionNumber', { description: 'Number of the quarantine decision, unique in its issuing ward.' }),
    issuingWard: t.field({ type: WardRef, description: 'The ward whose decisions number this order (the contact’s ward).', resolve: (o) => ({ code: o.issuingWardCode }) }),
    startsOn: t.field({ type: 'Date', description: 'First day of quarantine.', resolve: (o) => o.startsOn }),
    plannedEndOn: t.field({ type: 'Date', description: 'Planned last day.', resolve: (o) => o.plannedEndOn }),
    active: t.boolean({ description: 'In force now (not ended).', resolve: (o) => o.endedOn === null }),
    endDecisionNumber: t.exposeString('endDecisionNumber', { nullable: true, description: 'Number of the end decision; null while in force.' }),
    endedOn: t.field({ type: 'Date', nullable: true, description: 'Last day of quarantine; null while in force.', resolve: (o) => o.endedOn }),
    endReason: t.field({ type: QuarantineEndReasonEnum, nullable: true, description: 'Why it ended; null while in force.', resolve: (o) => o.endReason }),
    issuedAt: t.field({ type: 'DateTime', description: 'When the order was recorded.', resolve: (o) => o.issuedAt }),
  }),
});

export const ContactRef = builder.objectRef<Contact>('Contact').implement({
  description: 'An F1 contact of a case: the person, how and when they were exposed, their quarantine orders, and the case they became if they tested positive.',
  authScopes: (c, ctx) => mayReadContact(ctx.viewer, c.wardCode),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Contact id.' }),
    fullName: personalField('Contact', t, 'fullName', 'String', 'Full name.'),
    dateOfBirth: personalField('Contact', t, 'dateOfBirth', 'Date', 'Date of birth.'),
    nationalId: personalField('Contact', t, 'nationalId', 'String', '12-digit citizen ID (CCCD); null when not known.'),
    phone: personalField('Contact', t, 'phone', 'String', 'Mobile number in +84 form.'),
    address: personalField('Contact', t, 'address', 'String', 'Home address.'),
    sex: t.field({ type: SexEnum, description: 'Sex.', resolve: (c) => c.sex }),
    ward: t.field({ type: WardRef, description: 'Ward of residence.', resolve: (c) => ({ code: c.wardCode }) }),
    district: t.field({ type: DistrictRef, description: 'District of residence.', resolve: (c) => ({ code: c.districtCode }) }),
    indexCase: t.field({
      type: PatientRef,
      nullable: true,
      description: 'The case (F0) the contact was exposed to; null when outside what you may read.',
      resolve: (c, _args, ctx) => ctx.loaders.patient.load(c.indexPatientId),
    }),
    exposure: t.field({ type: ExposureSettingEnum, description: 'How the contact was exposed.', resolve: (c) => c.exposure }),
    exposedOn: t.field({ type: 'Date', description: 'Day of the (last) exposure.', resolve: (c) => c.exposedOn }),
    quarantineOrders: t.field({
      type: [QuarantineOrderRef],
      description: 'Every quarantine order of the contact, newest first.',
      resolve: (c, _args, ctx) => ctx.loaders.ordersOfContact.load(c.id),
    }),
    activeQuarantine: t.field({
      type: QuarantineOrderRef,
      nullable: true,
      description: 'The order in force now, if any.',
      resolve: async (c, _args, ctx) => (await ctx.loaders.ordersOfContact.load(c.id)).find((o) => o.endedOn === null) ?? null,
    }),
    becameCase: t.field({
      type: PatientRef,
      nullable: true,
      description: 'The case (F0) this contact became when they tested positive; null while they have not.',
      resolve: (c, _args, ctx) => (c.patientId ? ctx.loaders.patient.load(c.patientId) : null),
    }),
    convertedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the contact was registered as a case.', resolve: (c) => c.convertedAt }),
    recordedAt: t.field({ type: 'DateTime', description: 'When the contact was recorded.', resolve: (c) => c.recordedAt }),
  }),
});

builder.objectFields(PatientRef, (t) => ({
  contactHistory: t.field({
    type: ContactRef,
    nullable: true,
    description:
      'The F1 contact record this case was converted from (exposure, index case, quarantine orders); null for a case registered directly. Clinical roles in jurisdiction.',
    authScopes: (p) => ({ personalData: p.wardCode }),
    resolve: (p, _args, ctx) => ctx.loaders.contactOfPatient.load(p.id),
  }),
}));

const QuarantineStatsRef = builder.objectRef<QuarantineStatsRow | undefined>('QuarantineStats').implement({
  description: 'F1 contacts of an area (by residence): aggregates, no personal data. Occupancy of quarantine areas is Facility/Ward/District.quarantineCapacity.',
  fields: (t) => ({
    underQuarantine: t.int({ description: 'Contacts under a quarantine order now.', resolve: (s) => s?.underQuarantine ?? 0 }),
    atHome: t.int({ description: 'Of those, quarantined at home.', resolve: (s) => s?.atHome ?? 0 }),
    inQuarantineAreas: t.int({ description: 'Of those, in concentrated quarantine areas.', resolve: (s) => s?.inAreas ?? 0 }),
    contactsLast14Days: t.int({ description: 'Contacts exposed in the last 14 days (recorded so far).', resolve: (s) => s?.contactsLast14Days ?? 0 }),
    becameCases: t.int({ description: 'Contacts who tested positive and became cases, all time.', resolve: (s) => s?.becameCases ?? 0 }),
  }),
});

builder.objectFields(WardRef, (t) => ({
  quarantine: t.field({
    type: QuarantineStatsRef,
    description: 'F1 contacts living in the ward and their quarantine (aggregates).',
    resolve: (w, _args, ctx) => ctx.loaders.wardQuarantine.load(w.code),
  }),
}));

builder.objectFields(DistrictRef, (t) => ({
  quarantine: t.field({
    type: QuarantineStatsRef,
    description: 'F1 contacts living in the district and their quarantine (aggregates).',
    resolve: (d, _args, ctx) => ctx.loaders.districtQuarantine.load(d.code),
  }),
}));

const ContactFilterInput = builder.inputType('ContactFilter', {
  description: 'Narrows a contact list; always limited to your jurisdiction.',
  fields: (t) => ({
    wardCode: t.id({ required: false, description: 'Only contacts living in this ward.' }),
    districtCode: t.id({ required: false, description: 'Only contacts living in this district.' }),
    indexPatientId: t.id({ required: false, description: 'Only contacts of this case.' }),
    underQuarantine: t.boolean({ required: false, description: 'Only contacts under (true) or not under (false) a quarantine order now.' }),
  }),
});

interface ContactPage {
  edges: { cursor: string; node: Contact }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

builder.queryFields((t) => ({
  contact: t.field({
    type: ContactRef,
    nullable: true,
    description: 'One F1 contact by id; null when unknown or outside your jurisdiction. Clinical roles only.',
    authScopes: { clinical: true },
    args: { id: t.arg.id({ required: true, description: 'Contact id.' }) },
    resolve: async (_root, args, ctx) => {
      const c = isUuid(String(args.id)) ? await ctx.loaders.contact.load(String(args.id)) : undefined;
      // One outside the jurisdiction answers as one that does not exist.
      return c && mayReadContact(ctx.viewer, c.wardCode) ? c : null;
    },
  }),
  contacts: t.connection(
    {
      type: ContactRef,
      description: 'F1 contacts living in your jurisdiction, most recently recorded first. Clinical roles only.',
      authScopes: { clinical: true },
      args: { filter: t.arg({ type: ContactFilterInput, required: false, description: 'What to match.' }) },
      resolve: async (_root, args, ctx): Promise<ContactPage> => {
        const size = pageSize(args, 20);
        const after = decodeCursor(args.after, ['timestamp', 'uuid']) as [string, string] | undefined;
        const index = args.filter?.indexPatientId ? String(args.filter.indexPatientId) : null;
        const filter: ContactFilter = {
          ...jurisdictionFilter(ctx.viewer, args.filter?.wardCode ? String(args.filter.wardCode) : null, args.filter?.districtCode ? String(args.filter.districtCode) : null),
          indexPatientId: index && isUuid(index) ? index : index ? '00000000-0000-0000-0000-000000000000' : null,
          underQuarantine: args.filter?.underQuarantine ?? null,
        };
        const rows = size === 0 ? [] : await searchContacts(ctx.db, filter, after, size + 1);
        let count: Promise<number> | undefined;
        return {
          ...toPage(rows, size, (c) => [c.recordedAt.toISOString(), c.id], !!after),
          totalCount: () => (count ??= countContacts(ctx.db, filter)),
        };
      },
    },
    {
      name: 'ContactConnection',
      description: 'A page of contacts.',
      fields: (t) => ({ totalCount: t.int({ description: 'All matches.', resolve: (page) => (page as unknown as ContactPage).totalCount() }) }),
    },
    { name: 'ContactEdge', description: 'A contact in a page.' },
  ),
  cityQuarantine: t.field({
    type: QuarantineStatsRef,
    description: 'F1 contacts of the whole city and their quarantine (aggregates).',
    resolve: async (_root, _args, ctx) => {
      const since = cityDate(new Date(ctx.now().getTime() - 13 * 86_400_000));
      return (await quarantineStatsByArea(ctx.db, 'city', undefined, since))[0];
    },
  }),
}));

// ---------------------------------------------------------------------------------------------
// Errors

builder.objectType(ContactAlreadyConverted, {
  name: 'ContactAlreadyConverted',
  description: 'The contact already became a case; nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    contactId: t.exposeID('contactId', { description: 'The contact.' }),
    patientId: t.exposeID('patientId', { description: 'The case they became.' }),
  }),
});

builder.objectType(ContactAlreadyQuarantined, {
  name: 'ContactAlreadyQuarantined',
  description: 'The contact is under a quarantine order already; end it first (e.g. PLACE_CHANGED). Nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    contactId: t.exposeID('contactId', { description: 'The contact.' }),
    activeOrderId: t.exposeID('activeOrderId', { description: 'The order in force.' }),
  }),
});

builder.objectType(QuarantineOrderEnded, {
  name: 'QuarantineOrderEnded',
  description: 'The quarantine order has already ended; nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ orderId: t.exposeID('orderId', { description: 'The order.' }) }),
});

builder.objectType(DuplicateDecisionNumber, {
  name: 'DuplicateDecisionNumber',
  description: 'The issuing ward has already issued a decision with this number (start and end decisions share one numbering). Nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    wardCode: t.exposeID('wardCode', { description: 'The issuing ward.' }),
    decisionNumber: t.exposeString('decisionNumber', { description: 'The number already used.' }),
  }),
});

builder.objectType(NotAQuarantineArea, {
  name: 'NotAQuarantineArea',
  description: 'The facility is not an active concentrated quarantine area. Nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ facilityId: t.exposeID('facilityId', { description: 'The facility.' }) }),
});

builder.objectType(QuarantineAreaFull, {
  name: 'QuarantineAreaFull',
  description: 'The quarantine area has no free place. Nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ facilityId: t.exposeID('facilityId', { description: 'The quarantine area.' }) }),
});

// ---------------------------------------------------------------------------------------------
// Mutations

const RecordContactInput = builder.inputType('RecordContactInput', {
  description: 'An F1 contact of a case: the person and the exposure.',
  fields: (t) => ({
    indexPatientId: t.id({ required: true, description: 'The case (F0) the person was exposed to; must be in your jurisdiction.' }),
    fullName: t.string({ required: true, description: 'Full name (2 to 100 characters).' }),
    dateOfBirth: t.field({ type: 'Date', required: true, description: 'Date of birth; not in the future.' }),
    sex: t.field({ type: SexEnum, required: true, description: 'Sex.' }),
    nationalId: t.string({ required: false, description: '12-digit citizen identity number (CCCD), when known.' }),
    phone: t.string({ required: false, description: 'Vietnamese mobile number, e.g. 0912345678 or +84912345678.' }),
    wardCode: t.id({ required: true, description: 'Ward of residence (official code).' }),
    address: t.string({ required: true, description: 'Home address (3 to 300 characters).' }),
    exposure: t.field({ type: ExposureSettingEnum, required: true, description: 'How the person was exposed.' }),
    exposedOn: t.field({ type: 'Date', required: true, description: 'Day of the (last) exposure; not in the future.' }),
    idempotencyKey: t.string({
      required: false,
      description: 'Retries with the same key (8 to 128 characters) and the same input return the first result; the same key with any other input is a ConflictError.',
    }),
  }),
});

const OrderQuarantineInput = builder.inputType('OrderQuarantineInput', {
  description: 'A quarantine decision for a contact.',
  fields: (t) => ({
    contactId: t.id({ required: true, description: 'The contact.' }),
    place: t.field({ type: QuarantinePlaceEnum, required: true, description: 'At home or in a quarantine area.' }),
    facilityId: t.id({ required: false, description: 'The quarantine area (a facility of kind QUARANTINE_AREA), for place QUARANTINE_AREA only.' }),
    decisionNumber: t.string({ required: true, description: 'Number of the quarantine decision (3 to 50 characters), unique in the contact’s ward.' }),
    startsOn: t.field({ type: 'Date', required: true, description: 'First day of quarantine.' }),
    plannedEndOn: t.field({ type: 'Date', required: true, description: 'Planned last day; not before startsOn.' }),
    idempotencyKey: t.string({
      required: false,
      description: 'Retries with the same key (8 to 128 characters) and the same input return the first result; the same key with any other input is a ConflictError.',
    }),
  }),
});

const EndQuarantineInput = builder.inputType('EndQuarantineInput', {
  description: 'The end decision of a quarantine order.',
  fields: (t) => ({
    orderId: t.id({ required: true, description: 'The order.' }),
    decisionNumber: t.string({ required: true, description: 'Number of the end decision (3 to 50 characters), unique in the issuing ward.' }),
    endedOn: t.field({ type: 'Date', required: true, description: 'Last day of quarantine; not before it started, not in the future.' }),
    reason: t.field({ type: QuarantineEndReasonEnum, required: true, description: 'Why; TESTED_POSITIVE only through convertContactToCase.' }),
  }),
});

const ConvertContactInput = builder.inputType('ConvertContactToCaseInput', {
  description: 'A contact who tested positive: registered as a case from the identity on record (name, birth date, citizen ID, phone, ward, address).',
  fields: (t) => ({
    contactId: t.id({ required: true, description: 'The contact.' }),
    confirmedAt: t.field({ type: 'DateTime', required: true, description: 'When the infection was confirmed; not in the future, not before birth.' }),
    confirmation: t.field({ type: ConfirmationMethodEnum, required: true, description: 'PCR or rapid antigen.' }),
    tier: t.field({ type: TreatmentTierEnum, required: true, description: 'Initial tier.' }),
    riskFactors: t.field({ type: [RiskFactorEnum], required: false, description: 'Known risk factors; age factors are added from the date of birth.' }),
    endDecisionNumber: t.string({
      required: false,
      description: 'Number of the decision ending the contact’s quarantine order (reason TESTED_POSITIVE); required when an order is in force.',
    }),
    idempotencyKey: t.string({
      required: false,
      description: 'Retries with the same key (8 to 128 characters) and the same input return the first result; the same key with any other input is a ConflictError.',
    }),
  }),
});

builder.mutationFields((t) => ({
  recordContact: t.field({
    type: ContactRef,
    description: 'Record an F1 contact of a case. Clinical roles covering both the contact’s ward and the index case’s ward.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, ConflictError, NotFoundError], dataField: { name: 'contact', description: 'The recorded contact.' } },
    args: { input: t.arg({ type: RecordContactInput, required: true, description: 'The contact.' }) },
    resolve: (_root, { input }, ctx) =>
      recordContact(ctx.runtime, ctx.viewer, { ...input, indexPatientId: String(input.indexPatientId), wardCode: String(input.wardCode) }),
  }),
  orderQuarantine: t.field({
    type: QuarantineOrderRef,
    description:
      'Order a contact into quarantine at home or in a concentrated quarantine area (whose occupancy it takes). Clinical roles covering the contact’s ward and the area’s ward.',
    authScopes: { clinical: true },
    errors: {
      types: [ValidationError, ConflictError, NotFoundError, NotAQuarantineArea, QuarantineAreaFull, ContactAlreadyQuarantined, ContactAlreadyConverted, DuplicateDecisionNumber],
      dataField: { name: 'order', description: 'The order.' },
    },
    args: { input: t.arg({ type: OrderQuarantineInput, required: true, description: 'The decision.' }) },
    resolve: (_root, { input }, ctx) =>
      orderQuarantine(ctx.runtime, ctx.viewer, { ...input, contactId: String(input.contactId), facilityId: input.facilityId == null ? null : String(input.facilityId) }, ctx.requestId),
  }),
  endQuarantine: t.field({
    type: QuarantineOrderRef,
    description: 'End a quarantine order with an end decision (frees its place in a quarantine area). Clinical roles covering the contact’s ward and the area’s ward.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError, QuarantineOrderEnded, DuplicateDecisionNumber], dataField: { name: 'order', description: 'The ended order.' } },
    args: { input: t.arg({ type: EndQuarantineInput, required: true, description: 'The end decision.' }) },
    resolve: (_root, { input }, ctx) => endQuarantine(ctx.runtime, ctx.viewer, { ...input, orderId: String(input.orderId) }),
  }),
  convertContactToCase: t.field({
    type: PatientRef,
    description:
      'A contact tested positive: register the case (F0) from the contact’s identity, end the quarantine order in force (TESTED_POSITIVE) and link the two, in one transaction. Refused with DuplicateActiveCase when the person already has an open case. Clinical roles covering the contact’s ward and the area’s ward.',
    authScopes: { clinical: true },
    errors: {
      types: [ValidationError, ConflictError, NotFoundError, DuplicateActiveCase, ContactAlreadyConverted, DuplicateDecisionNumber],
      dataField: { name: 'patient', description: 'The new case; its contactHistory is the contact record.' },
    },
    args: { input: t.arg({ type: ConvertContactInput, required: true, description: 'The confirmation.' }) },
    resolve: async (_root, { input }, ctx) => (await convertContactToCase(ctx.runtime, ctx.viewer, { ...input, contactId: String(input.contactId) })).patient,
  }),
}));

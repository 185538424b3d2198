import { builder, ErrorInterface } from '../builder.js';
import {
  AdmissionAlreadyEnded,
  BedKindNotOffered,
  FacilityHasPatients,
  FacilityNotAdmitting,
  InvalidStatusTransition,
  NoBedAvailable,
  PatientAlreadyAdmitted,
  PatientNotUnderTreatment,
  NotATreatmentFacility,
  TierNotServed,
  BedKindNotForTier,
} from '../domain/errors.js';
import { BedKindEnum, FacilityStatusEnum, TreatmentTierEnum } from './enums.js';
import { patientStatusEnum } from '../../common/graphql/enums.js';

export const PatientStatusEnum = builder.enumType('PatientStatus', patientStatusEnum);

builder.objectType(NoBedAvailable, {
  name: 'NoBedAvailable',
  description: 'Every COVID-designated bed of that kind in the facility is taken. Nothing was written; try bedFinder for another facility.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    facilityId: t.exposeID('facilityId', { description: 'The full facility.' }),
    bedKind: t.field({ type: BedKindEnum, description: 'The bed kind asked for.', resolve: (e) => e.bedKind }),
  }),
});

builder.objectType(BedKindNotOffered, {
  name: 'BedKindNotOffered',
  description: 'The facility has no beds of that kind at all.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    facilityId: t.exposeID('facilityId', { description: 'The facility.' }),
    bedKind: t.field({ type: BedKindEnum, description: 'The bed kind asked for.', resolve: (e) => e.bedKind }),
  }),
});

builder.objectType(FacilityNotAdmitting, {
  name: 'FacilityNotAdmitting',
  description: 'The facility is not ACTIVE (planned, on standby or closed) and admits nobody.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    facilityId: t.exposeID('facilityId', { description: 'The facility.' }),
    status: t.field({ type: FacilityStatusEnum, description: 'Its current status.', resolve: (e) => e.status }),
  }),
});

builder.objectType(PatientAlreadyAdmitted, {
  name: 'PatientAlreadyAdmitted',
  description: 'The patient already holds an active admission; a patient holds at most one. Transfer or discharge first.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    patientId: t.exposeID('patientId', { description: 'The patient.' }),
    admissionId: t.exposeID('admissionId', { description: 'The active admission.' }),
  }),
});

builder.objectType(PatientNotUnderTreatment, {
  name: 'PatientNotUnderTreatment',
  shareable: true,
  description: 'The patient has recovered or died and cannot be admitted.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    patientId: t.exposeID('patientId', { description: 'The patient.' }),
    status: t.field({ type: PatientStatusEnum, description: 'The patient status.', resolve: (e) => e.status }),
  }),
});

builder.objectType(AdmissionAlreadyEnded, {
  name: 'AdmissionAlreadyEnded',
  description: 'The admission was already discharged or transferred.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ admissionId: t.exposeID('admissionId', { description: 'The admission.' }) }),
});

builder.objectType(InvalidStatusTransition, {
  name: 'InvalidStatusTransition',
  description: 'That status change is not allowed (e.g. CLOSED straight to ACTIVE: put it on STANDBY first).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    facilityId: t.exposeID('facilityId', { description: 'The facility.' }),
    from: t.field({ type: FacilityStatusEnum, description: 'Current status.', resolve: (e) => e.from }),
    to: t.field({ type: FacilityStatusEnum, description: 'Requested status.', resolve: (e) => e.to }),
  }),
});

builder.objectType(FacilityHasPatients, {
  name: 'FacilityHasPatients',
  description: 'The facility still has admitted patients and cannot stand down or close.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    facilityId: t.exposeID('facilityId', { description: 'The facility.' }),
    occupied: t.exposeInt('occupied', { description: 'Patients admitted now.' }),
  }),
});

builder.objectType(NotATreatmentFacility, {
  name: 'NotATreatmentFacility',
  description: 'The facility is a concentrated quarantine area (khu cách ly tập trung): it holds F1 contacts, never F0 patients. Nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ facilityId: t.exposeID('facilityId', { description: 'The quarantine area.' }) }),
});

builder.objectType(TierNotServed, {
  name: 'TierNotServed',
  description: "The facility does not treat patients of the patient's tier (a ward station treats tier 1 only, say). Nothing was written; bedFinder offers facilities that serve the tier.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    facilityId: t.exposeID('facilityId', { description: 'The facility.' }),
    tier: t.field({ type: TreatmentTierEnum, description: "The patient's tier.", resolve: (e) => e.tier }),
    servedTiers: t.field({ type: [TreatmentTierEnum], description: 'The tiers the facility treats.', resolve: (e) => [...e.servedTiers] }),
  }),
});

builder.objectType(BedKindNotForTier, {
  name: 'BedKindNotForTier',
  description: "The bed kind is not the one the patient's tier needs (tier 1 general, tier 2 oxygen, tier 3 ICU). Nothing was written; a clinician may place the patient anyway by giving bedKindOverrideReason.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    bedKind: t.field({ type: BedKindEnum, description: 'The bed kind asked for.', resolve: (e) => e.bedKind }),
    tier: t.field({ type: TreatmentTierEnum, description: "The patient's tier.", resolve: (e) => e.tier }),
    neededBedKind: t.field({ type: BedKindEnum, description: 'The bed kind the tier needs.', resolve: (e) => e.neededBedKind }),
  }),
});

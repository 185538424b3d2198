/**
 * The object types of the resident registry, declared apart from their fields: a resident lists
 * its doses and home-vaccination requests while the files of those types hold the mutations that
 * return them, so the refs live where no schema file needs to import another. Also the read rule
 * for residents, which the Resident type, the resident query and Patient.vaccination share.
 */
import { coversWard, type Viewer } from '../../common/auth/viewer.js';
import { inGroup } from '../../common/auth/jurisdiction.js';
import { builder } from '../builder.js';
import type { HomeVaccinationRequest, Refusal, Resident, VaccinationPoint, VaccinationRecord, VaccinationSession } from '../db/mappers.js';

export const ResidentRef = builder.objectRef<Resident>('Resident');
export const VaccinationRecordRef = builder.objectRef<VaccinationRecord>('VaccinationRecord');
export const HomeRequestRef = builder.objectRef<HomeVaccinationRequest>('HomeVaccinationRequest');
export const RefusalRef = builder.objectRef<Refusal>('VaccinationRefusal');
export const PointRef = builder.objectRef<VaccinationPoint>('VaccinationPoint');
export const SessionRef = builder.objectRef<VaccinationSession>('VaccinationSession');

/** Vaccination teams and clinical officers may see a resident's personal data inside their jurisdiction. */
export const maySeeResident = (viewer: Viewer, wardCode: string): boolean => inGroup(viewer, 'vaccinationReaders') && coversWard(viewer, wardCode);

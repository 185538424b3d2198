import { builder } from '../builder.js';
import { bedKindEnum, describedValues, dischargeOutcomeEnum, treatmentTierEnum } from '../../common/graphql/enums.js';
import {
  FACILITY_KINDS,
  FACILITY_KIND_DESCRIPTIONS,
  FACILITY_LEVELS,
  FACILITY_STATUSES,
  OWNERSHIPS,
} from '../domain/facility.js';

export const TreatmentTierEnum = builder.enumType('TreatmentTier', treatmentTierEnum);
export const BedKindEnum = builder.enumType('BedKind', bedKindEnum);
export const DischargeOutcomeEnum = builder.enumType('DischargeOutcome', dischargeOutcomeEnum);

export const FacilityKindEnum = builder.enumType('FacilityKind', {
  description: 'Kind of facility, as the city directives name them.',
  values: describedValues(FACILITY_KINDS, FACILITY_KIND_DESCRIPTIONS),
});

export const FacilityLevelEnum = builder.enumType('FacilityLevel', {
  description: 'Administrative level that runs the facility.',
  values: describedValues(FACILITY_LEVELS, {
    WARD: 'Run by a ward or commune.',
    DISTRICT: 'Run by a district (quận, huyện, thị xã).',
    CITY: 'Run by the city (Hanoi Department of Health).',
    CENTRAL: 'Central (national) hospital located in Hanoi.',
  }),
});

export const FacilityStatusEnum = builder.enumType('FacilityStatus', {
  description: 'Operational status. Only ACTIVE facilities admit patients and count in capacity roll-ups.',
  values: describedValues(FACILITY_STATUSES, {
    PLANNED: 'Planned, not yet equipped or staffed.',
    STANDBY: 'Equipped and staffed, on standby; activated on command.',
    ACTIVE: 'Operating and admitting patients.',
    CLOSED: 'Closed.',
  }),
});

export const OwnershipEnum = builder.enumType('Ownership', {
  description: 'Who owns the facility.',
  values: describedValues(OWNERSHIPS, { PUBLIC: 'Public facility.', PRIVATE: 'Private facility mobilised for the response.' }),
});

export const OccupancyChangeCauseEnum = builder.enumType('OccupancyChangeCause', {
  description: 'Why a bed count changed.',
  values: describedValues(['ADMISSION', 'DISCHARGE', 'TRANSFER_IN', 'TRANSFER_OUT', 'CAPACITY_CHANGE', 'QUARANTINE_START', 'QUARANTINE_END'] as const, {
    ADMISSION: 'A patient was admitted.',
    DISCHARGE: 'A patient was discharged.',
    TRANSFER_IN: 'A patient arrived by transfer.',
    TRANSFER_OUT: 'A patient left by transfer.',
    CAPACITY_CHANGE: 'Beds were added or removed, or the facility changed status.',
    QUARANTINE_START: 'A quarantine order placed a contact in a concentrated quarantine area (its places are its GENERAL beds).',
    QUARANTINE_END: 'A quarantine order in a concentrated quarantine area ended, freeing its place.',
  }),
});

export const DistrictKindEnum = builder.enumType('DistrictKind', {
  description: 'Kind of district-level unit.',
  values: describedValues(['URBAN_DISTRICT', 'RURAL_DISTRICT', 'TOWN'] as const, {
    URBAN_DISTRICT: 'Quận: urban district.',
    RURAL_DISTRICT: 'Huyện: rural district.',
    TOWN: 'Thị xã: district-level town (Sơn Tây).',
  }),
});

export const WardKindEnum = builder.enumType('WardKind', {
  description: 'Kind of ward-level unit.',
  values: describedValues(['WARD', 'COMMUNE', 'TOWNSHIP'] as const, {
    WARD: 'Phường: urban ward.',
    COMMUNE: 'Xã: rural commune.',
    TOWNSHIP: 'Thị trấn: township.',
  }),
});

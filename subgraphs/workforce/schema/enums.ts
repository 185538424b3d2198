import { builder } from '../builder.js';
import { describedValues } from '../../common/graphql/enums.js';
import { TEAM_KINDS, WORKER_ORIGINS, WORKER_ROLES } from '../domain/workforce.js';

export const WorkerRoleEnum = builder.enumType('WorkerRole', {
  description: 'Professional role of a health worker.',
  values: describedValues(WORKER_ROLES, {
    DOCTOR: 'Doctor (bác sĩ).',
    PHYSICIAN_ASSISTANT: 'Physician assistant (y sĩ).',
    NURSE: 'Nurse (điều dưỡng).',
    PHARMACIST: 'Pharmacist (dược sĩ).',
    TECHNICIAN: 'Laboratory or imaging technician.',
    SUPPORT: 'Support staff (logistics, data entry).',
  }),
});

export const WorkerOriginEnum = builder.enumType('WorkerOrigin', {
  description: 'Where a health worker comes from: the directives mobilised far beyond public staff.',
  values: describedValues(WORKER_ORIGINS, {
    PUBLIC_STAFF: 'Staff of the public health system.',
    PRIVATE_SECTOR: 'Mobilised from a private facility.',
    RETIRED: 'Retired doctor or nurse.',
    MEDICAL_STUDENT: 'Medical or nursing student.',
    VOLUNTEER: 'Volunteer.',
    REINFORCEMENT: 'Sent from another locality or the army.',
  }),
});

export const TeamKindEnum = builder.enumType('TeamKind', {
  description: 'Kinds of teams the city organised.',
  values: describedValues(TEAM_KINDS, {
    HOME_CARE_SUPPORT: 'Tổ hỗ trợ F0 tại nhà: home-care support team.',
    COMMUNITY_COVID: 'Tổ Covid cộng đồng: community COVID team.',
    MOBILE_STATION_CREW: 'Crew of a mobile health station.',
    COMPANION_DOCTOR: 'Thầy thuốc đồng hành: companion-doctor network.',
    HOME_VACCINATION: 'Team vaccinating the homebound at home.',
  }),
});

/** The eight viewers the authorization and write matrices ask as: every role, inside and outside ward 00337 (district 008). */
import type { Role } from '../../subgraphs/common/auth/viewer.js';

export type Who = [label: string, role: Role, scope: { ward?: string; district?: string }];

export const VIEWERS: Who[] = [
  ['city officer', 'CITY_OFFICER', {}],
  ['district officer of 008', 'DISTRICT_OFFICER', { district: '008' }],
  ['district officer of 001', 'DISTRICT_OFFICER', { district: '001' }],
  ['ward officer of 00337', 'WARD_OFFICER', { ward: '00337' }],
  ['ward officer of 00001', 'WARD_OFFICER', { ward: '00001' }],
  ['dashboard', 'DASHBOARD', {}],
  ['partner', 'PARTNER', {}],
  ['vaccinator of 008', 'VACCINATOR', { district: '008' }],
];

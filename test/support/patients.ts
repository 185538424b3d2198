/** Registering patients through the public API, the way ward staff do. */
import { gql, ok } from './client.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';

let counter = 0;

export interface NewPatient {
  id: string;
  caseCode: string;
}

export const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterPatientInput!) {
    registerPatient(input: $input) {
      __typename
      ... on RegisterPatientSuccess { patient { id caseCode tier status ward { code } } }
      ... on Error { code message }
      ... on ValidationError { fields { path message } }
    }
  }`;

/**
 * An hour ago, but never before today's start in Hà Nội: tests count a new case in today's
 * figures, and between 00:00 and 01:00 there (17:00-18:00 UTC) an hour ago is yesterday.
 */
export function recentlyToday(now = new Date()): Date {
  const startOfToday = Date.parse(`${cityDate(now)}T00:00:00+07:00`);
  return new Date(Math.max(now.getTime() - 3_600_000, startOfToday + 1_000));
}

export function patientInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    fullName: `Nguyễn Văn Thử ${counter}`,
    dateOfBirth: '1980-05-17',
    sex: 'MALE',
    nationalId: `00108${String(Date.now() % 10_000_000).padStart(7, '0')}`.slice(0, 9) + String(counter).padStart(3, '0'),
    phone: '0912345678',
    wardCode: '00337',
    address: 'Số 1 ngõ 2 Giải Phóng',
    confirmedAt: recentlyToday().toISOString(),
    confirmation: 'RAPID_ANTIGEN',
    tier: 'TIER_1',
    ...overrides,
  };
}

export async function registerPatient(url: string, token: string, overrides: Record<string, unknown> = {}): Promise<NewPatient> {
  const data = ok(await gql(url, REGISTER, { input: patientInput(overrides) }, { token }));
  const result = data.registerPatient;
  if (result.__typename !== 'RegisterPatientSuccess') throw new Error(`registerPatient failed: ${JSON.stringify(result)}`);
  return result.patient;
}

export const ADMIT = /* GraphQL */ `
  mutation Admit($input: AdmitPatientInput!) {
    admitPatient(input: $input) {
      __typename
      ... on AdmitPatientSuccess { admission { id bedKind facility { id beds { kind occupied available } } patient { id } } }
      ... on NoBedAvailable { code message facilityId bedKind }
      ... on Error { code message }
    }
  }`;

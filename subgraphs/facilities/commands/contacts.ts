/**
 * How citizens reach a facility: set by those who run it (the ward's officer for the facilities
 * of the ward, the district's, the city's), checked before anything is written. Contacts are the
 * place's public information, so a write replaces them whole and needs no idempotency key.
 */
import type { Viewer } from '../../common/auth/viewer.js';
import { assertActsOn, notFoundFor } from '../../common/auth/jurisdiction.js';
import { Problems } from '../../common/domain/errors.js';
import { MAX_LIST_ITEMS, TEXT_LIMITS, checkId, checkOptionalText, checkText, normalizeContactPhone } from '../../common/domain/input-rules.js';
import { lockFacility } from '../db/facility.repository.js';
import { upsertFacilityContacts } from '../db/contact.repository.js';
import type { FacilityContacts } from '../db/mappers.js';
import type { ZaloGroup } from '../db/tables.js';
import type { FacilitiesRuntime } from '../context.js';

/** Phones and Zalo groups one facility lists: enough for any station, bounded for every reader. */
export const MAX_CONTACT_ITEMS = 10;

export interface FacilityContactsInput {
  facilityId: string;
  phones: string[];
  hotline?: string | null;
  zaloGroups?: ZaloGroup[] | null;
  hours?: string | null;
}

const isZaloLink = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && (url.hostname === 'zalo.me' || url.hostname.endsWith('.zalo.me'));
  } catch {
    return false;
  }
};

export async function setFacilityContacts(runtime: FacilitiesRuntime, viewer: Viewer, input: FacilityContactsInput): Promise<FacilityContacts> {
  const problems = new Problems();
  const facilityId = checkId(problems, input.facilityId, ['input', 'facilityId'], 'facilityId');
  problems.check(input.phones.length >= 1 && input.phones.length <= MAX_CONTACT_ITEMS, ['input', 'phones'], `phones must list 1 to ${MAX_CONTACT_ITEMS} numbers`);
  const phones = input.phones.slice(0, MAX_LIST_ITEMS).map((phone, i) => {
    const normalized = normalizeContactPhone(phone);
    problems.check(!!normalized, ['input', 'phones', String(i)], 'not a Vietnamese phone, landline or short service number');
    return normalized ?? '';
  });
  let hotline: string | null = null;
  if (input.hotline != null) {
    hotline = normalizeContactPhone(input.hotline) ?? null;
    problems.check(hotline !== null, ['input', 'hotline'], 'not a Vietnamese phone, landline or short service number');
  }
  const groups = input.zaloGroups ?? [];
  problems.check(groups.length <= MAX_CONTACT_ITEMS, ['input', 'zaloGroups'], `at most ${MAX_CONTACT_ITEMS} Zalo groups`);
  const zaloGroups = groups.slice(0, MAX_LIST_ITEMS).map((g, i) => {
    const name = checkText(problems, g.name, ['input', 'zaloGroups', String(i), 'name'], 'name', { max: TEXT_LIMITS.LABEL });
    const link = g.link.trim();
    problems.check(link.length <= TEXT_LIMITS.ADDRESS && isZaloLink(link), ['input', 'zaloGroups', String(i), 'link'], 'link must be an https://zalo.me/ link');
    return { name, link };
  });
  const hours = checkOptionalText(problems, input.hours, ['input', 'hours'], 'hours', { max: TEXT_LIMITS.LABEL });
  problems.throwIfAny();
  return runtime.db.transaction().execute(async (trx) => {
    const facility = await lockFacility(trx, facilityId);
    if (!facility) throw notFoundFor(viewer, 'Facility', facilityId, 'set the contacts of this facility');
    assertActsOn(viewer, 'clinical', [facility.wardCode], 'set the contacts of this facility');
    return upsertFacilityContacts(trx, { facilityId, phones: [...new Set(phones)], hotline, zaloGroups, hours, updatedBy: viewer.subject });
  });
}

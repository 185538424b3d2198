/**
 * How citizens reach help: the phones, hotline and Zalo groups of each facility, and of the
 * stations of each ward. Public information of places: every signed-in client reads it,
 * partners (the 1022 hotline, citizen apps) included.
 */
import { builder } from '../builder.js';
import { NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { setFacilityContacts } from '../commands/contacts.js';
import type { FacilityContacts } from '../db/mappers.js';
import type { ZaloGroup } from '../db/tables.js';
import { FacilityRef } from './facility.js';
import { WardRef } from './area-refs.js';

const ZaloGroupRef = builder.objectRef<ZaloGroup>('ZaloGroup').implement({
  description: 'A Zalo group citizens may join to reach a facility.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name of the group as Zalo shows it.' }),
    link: t.exposeString('link', { description: 'Invitation link (https://zalo.me/…).' }),
  }),
});

const FacilityContactsRef = builder.objectRef<FacilityContacts>('FacilityContacts').implement({
  description: 'How citizens reach a facility. Public information of the place (no personal data): readable by every signed-in client.',
  fields: (t) => ({
    phones: t.exposeStringList('phones', { description: 'Numbers to call: mobiles and landlines in +84 form, short service numbers as digits.' }),
    hotline: t.exposeString('hotline', { nullable: true, description: 'The facility\'s hotline, when it has one.' }),
    zaloGroups: t.field({ type: [ZaloGroupRef], description: 'Zalo groups of the facility.', resolve: (c) => c.zaloGroups }),
    hours: t.exposeString('hours', { nullable: true, description: 'When someone answers, in words (e.g. "24/7").' }),
    updatedAt: t.field({ type: 'DateTime', description: 'Last change of these contacts.', resolve: (c) => c.updatedAt }),
  }),
});

builder.objectFields(FacilityRef, (t) => ({
  contacts: t.field({
    type: FacilityContactsRef,
    nullable: true,
    description: 'How citizens reach the facility; null when it has published none.',
    resolve: (f, _args, ctx) => ctx.loaders.contactsOfFacility.load(f.id),
  }),
}));

builder.objectFields(WardRef, (t) => ({
  helpContacts: t.field({
    type: [FacilityRef],
    description: 'Where a citizen of the ward calls for help: its active facilities that publish contacts, the health station first, then mobile stations.',
    resolve: async (w, _args, ctx) => {
      const ids = (await ctx.loaders.contactFacilitiesOfWard.load(w.code)).map((r) => r.facilityId);
      return (await Promise.all(ids.map((id) => ctx.loaders.facility.load(id)))).filter((f) => !!f);
    },
  }),
}));

const ZaloGroupInput = builder.inputType('ZaloGroupInput', {
  description: 'A Zalo group of a facility.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Name of the group (1 to 100 characters).' }),
    link: t.string({ required: true, description: 'Invitation link, https://zalo.me/….' }),
  }),
});

const SetFacilityContactsInput = builder.inputType('SetFacilityContactsInput', {
  description: 'The contacts of a facility, replacing the ones it had.',
  fields: (t) => ({
    facilityId: t.id({ required: true, description: 'The facility.' }),
    phones: t.stringList({ required: true, description: 'Numbers to call (1 to 10): mobiles, landlines with area code, or short service numbers.' }),
    hotline: t.string({ required: false, description: 'A hotline, when the facility has one.' }),
    zaloGroups: t.field({ type: [ZaloGroupInput], required: false, description: 'Zalo groups (at most 10).' }),
    hours: t.string({ required: false, description: 'When someone answers, in words (1 to 100 characters).' }),
  }),
});

builder.mutationFields((t) => ({
  setFacilityContacts: t.field({
    type: FacilityRef,
    description: 'Publish how citizens reach a facility: health officers whose jurisdiction covers its ward (the ward\'s, the district\'s, the city\'s).',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'facility', description: 'The facility with its new contacts.' } },
    args: { input: t.arg({ type: SetFacilityContactsInput, required: true, description: 'The contacts.' }) },
    resolve: async (_root, { input }, ctx) => {
      const contacts = await setFacilityContacts(ctx.runtime, ctx.viewer, { ...input, facilityId: String(input.facilityId) });
      ctx.loaders.contactsOfFacility.clear(contacts.facilityId).prime(contacts.facilityId, contacts);
      return (await ctx.loaders.facility.load(contacts.facilityId))!;
    },
  }),
}));

/** TreatmentSnapshot: where the patients under treatment are, as in the city's daily report. */
import { builder } from '../builder.js';
import { findDistrict } from '../../common/admin-units.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { startOfCityDate } from '../../common/graphql/scalars.js';
import { treatmentGroups } from '../db/treatment.repository.js';
import { summarise, type TreatmentSnapshot } from '../domain/treatment-snapshot.js';
import { TierCountRef } from './geography.js';

const TreatmentSnapshotRef = builder.objectRef<TreatmentSnapshot>('TreatmentSnapshot').implement({
  description:
    'Patients under treatment by place of care, tier and critical status at one moment, as in the city\'s daily treatment report (13 Jan 2022: 53,515 under treatment, 42,652 at home...). Every place field counts each patient once: atHome + wardStations + districtCollectionSites + cityCollectionSites + hospitals + centralHospitals + facilitiesUncategorised = underTreatment. Aggregates only, no personal data.',
  fields: (t) => ({
    date: t.field({ type: 'Date', description: 'The day (city time) the snapshot is for.', resolve: (s) => s.date }),
    districtCode: t.id({ nullable: true, description: 'The district, or null for the whole city.', resolve: (s) => s.districtCode }),
    underTreatment: t.exposeInt('underTreatment', { description: 'Confirmed cases (F0) under treatment: confirmed by then and not yet recovered or dead.' }),
    atHome: t.exposeInt('atHome', { description: 'Treated at home (điều trị tại nhà), managed by the ward health station.' }),
    wardStations: t.exposeInt('wardStations', { description: 'In a bed of a ward health station or mobile health station.' }),
    districtCollectionSites: t.exposeInt('districtCollectionSites', { description: 'In district collection and treatment sites (cơ sở thu dung, điều trị cấp quận/huyện).' }),
    cityCollectionSites: t.exposeInt('cityCollectionSites', { description: 'In city collection and treatment sites.' }),
    hospitals: t.exposeInt('hospitals', { description: 'In district and city hospitals (public or private).' }),
    centralHospitals: t.exposeInt('centralHospitals', { description: 'In central (Ministry of Health) hospitals.' }),
    facilitiesUncategorised: t.exposeInt('facilitiesUncategorised', {
      description: 'In a facility admitted before admissions recorded the facility category; 0 for data written by this version.',
    }),
    critical: t.exposeInt('critical', { description: 'Tier-3 patients recorded critical (nguy kịch) on a tier change or daily check, and not recorded otherwise since.' }),
    byTier: t.field({ type: [TierCountRef], description: 'Patients under treatment per tier (tier at that moment, from the tier history).', resolve: (s) => s.byTier }),
  }),
});

builder.queryFields((t) => ({
  treatmentSnapshot: t.field({
    type: TreatmentSnapshotRef,
    description:
      'Where the city\'s (or one district\'s) patients under treatment are treated. Without `date`: now. With a past date: at the end of that day (24:00 city time), computed from the tier, care-setting and critical-status history, so past days answer as they were.',
    args: {
      districtCode: t.arg.id({ required: false, description: 'A district code ("008" Hoàng Mai); the whole city when absent.' }),
      date: t.arg({ type: 'Date', required: false, description: 'A day in city time, not in the future; today when absent.' }),
    },
    resolve: async (_root, args, ctx) => {
      const today = ctx.today();
      const date = args.date ?? today;
      if (date > today) throw graphQLError('BAD_USER_INPUT', `date cannot be in the future (today is ${today} in Hà Nội)`);
      const districtCode = args.districtCode == null ? null : String(args.districtCode);
      if (districtCode !== null && !findDistrict(districtCode)) throw graphQLError('BAD_USER_INPUT', `No district has code ${districtCode}`);
      const at = date === today ? new Date() : new Date(startOfCityDate(date).getTime() + 86_400_000 - 1);
      return summarise(date, districtCode, await treatmentGroups(ctx.runtime.db, at, districtCode));
    },
  }),
}));

import { builder } from '../builder.js';
import type { WorkforceStats } from '../db/stats.repository.js';
import { homePatientsPerCareWorker, WORKER_ORIGINS, type WorkerOrigin } from '../domain/workforce.js';
import { WorkerOriginEnum } from './enums.js';

const OriginCountRef = builder.objectRef<{ origin: WorkerOrigin; count: number }>('WorkerOriginCount').implement({
  description: 'Active workers of one origin.',
  fields: (t) => ({
    origin: t.field({ type: WorkerOriginEnum, description: 'Origin.', resolve: (o) => o.origin }),
    count: t.exposeInt('count', { description: 'Active workers.' }),
  }),
});

/** An area's figures; undefined (all zero) for an area without workers or home patients. */
export const WorkforceStatsRef = builder.objectRef<WorkforceStats | undefined>('WorkforceStats').implement({
  description: 'The health workforce of an area (by the workers’ home area) and how its home patients are covered. Aggregates only.',
  fields: (t) => ({
    workers: t.int({ description: 'Active health workers based in the area.', resolve: (s) => s?.workers ?? 0 }),
    byOrigin: t.field({
      type: [OriginCountRef],
      description: 'Active workers per origin, every origin listed.',
      resolve: async (s, _args, ctx) => {
        const counts = s && (await (s.level === 'ward' ? ctx.loaders.wardOrigins : ctx.loaders.districtOrigins).load(s.area))?.byOrigin;
        return WORKER_ORIGINS.map((origin) => ({ origin, count: counts?.[origin] ?? 0 }));
      },
    }),
    careWorkers: t.int({ description: 'Active doctors, physician assistants and nurses.', resolve: (s) => s?.careWorkers ?? 0 }),
    homeCareWorkers: t.int({ description: 'Active members of home-care support teams (Tổ hỗ trợ F0 tại nhà).', resolve: (s) => s?.homeCareWorkers ?? 0 }),
    homePatients: t.int({ description: 'Home patients under treatment in the area.', resolve: (s) => s?.homePatients ?? 0 }),
    unassignedHomePatients: t.int({ description: 'Home patients under treatment nobody follows yet.', resolve: (s) => s?.unassignedHomePatients ?? 0 }),
    homePatientsPerCareWorker: t.float({
      nullable: true,
      description: 'Home patients per home-care worker; null when the area has none.',
      resolve: (s) => homePatientsPerCareWorker(s?.homePatients ?? 0, s?.homeCareWorkers ?? 0),
    }),
    overloadedWorkers: t.int({
      description: 'Workers at their caseload cap (the cap cannot be exceeded, so these are the ones that need relief).',
      resolve: (s) => s?.atCapacity ?? 0,
    }),
  }),
});

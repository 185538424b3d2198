/** Workforce contributions to facilities' District, Ward and Facility entities. */
import { builder } from '../builder.js';
import type { WorkforceStatsRow } from '../db/worker.repository.js';
import { homePatientsPerCareWorker, WORKER_ORIGINS } from '../domain/workforce.js';
import { HealthWorkerRef, WorkerOriginEnum } from './worker.js';

const OriginCountRef = builder.objectRef<{ origin: (typeof WORKER_ORIGINS)[number]; count: number }>('WorkerOriginCount').implement({
  description: 'Active workers of one origin.',
  fields: (t) => ({
    origin: t.field({ type: WorkerOriginEnum, description: 'Origin.', resolve: (o) => o.origin }),
    count: t.exposeInt('count', { description: 'Active workers.' }),
  }),
});

const WorkforceStatsRef = builder.objectRef<WorkforceStatsRow | undefined>('WorkforceStats').implement({
  description: 'The health workforce of an area (by the workers’ home area) and how its home patients are covered. Aggregates only.',
  fields: (t) => ({
    workers: t.int({ description: 'Active health workers based in the area.', resolve: (s) => s?.workers ?? 0 }),
    byOrigin: t.field({
      type: [OriginCountRef],
      description: 'Active workers per origin, every origin listed.',
      resolve: (s) => WORKER_ORIGINS.map((origin) => ({ origin, count: s?.byOrigin[origin] ?? 0 })),
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

builder.externalRef('District', builder.selection<{ code: string }>('code')).implement({
  description: 'A district of Hanoi (owned by the facilities subgraph).',
  externalFields: (t) => ({ code: t.id({ description: 'Official district code.' }) }),
  fields: (t) => ({
    workforce: t.field({
      type: WorkforceStatsRef,
      description: 'Health workforce of the district (one grouped query for all districts of a request).',
      resolve: (d, _args, ctx) => ctx.loaders.districtStats.load(d.code),
    }),
  }),
});

builder.externalRef('Ward', builder.selection<{ code: string }>('code')).implement({
  description: 'A ward, commune or township of Hanoi (owned by the facilities subgraph).',
  externalFields: (t) => ({ code: t.id({ description: 'Official ward code.' }) }),
  fields: (t) => ({
    workforce: t.field({ type: WorkforceStatsRef, description: 'Health workforce of the ward.', resolve: (w, _args, ctx) => ctx.loaders.wardStats.load(w.code) }),
  }),
});

const StaffOnDutyRef = builder.objectRef<{ workerIds: string[] }>('StaffOnDuty').implement({
  description: 'Workers on duty at a facility now.',
  fields: (t) => ({
    count: t.int({ description: 'How many.', resolve: (s) => s.workerIds.length }),
    workers: t.field({
      type: [HealthWorkerRef],
      description: 'Who.',
      resolve: async (s, _args, ctx) => (await Promise.all(s.workerIds.map((id) => ctx.loaders.worker.load(id)))).filter((w) => !!w),
    }),
  }),
});

builder.externalRef('Facility', builder.selection<{ id: string }>('id')).implement({
  description: 'A facility (owned by the facilities subgraph).',
  externalFields: (t) => ({ id: t.id({ description: 'Facility id.' }) }),
  fields: (t) => ({
    staffOnDuty: t.field({
      type: StaffOnDutyRef,
      description: 'Workers on duty at the facility now.',
      resolve: async (f, _args, ctx) => (await ctx.loaders.staffOnDuty.load(f.id)) ?? { workerIds: [] },
    }),
  }),
});

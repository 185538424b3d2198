/** Teams and their members. */
import type { Kysely, Transaction } from 'kysely';
import type { TeamKind } from '../domain/workforce.js';
import { toHealthWorker, toTeam, type HealthWorker, type Team } from './mappers.js';
import type { WorkforceDB } from './tables.js';

/** The team and its members, in the caller's transaction. */
export async function insertTeam(
  trx: Transaction<WorkforceDB>,
  t: { id: string; name: string; kind: TeamKind; wardCode: string; districtCode: string; leadWorkerId: string | null; memberIds: readonly string[] },
): Promise<Team> {
  const team = await trx
    .insertInto('team')
    .values({ id: t.id, name: t.name, kind: t.kind, ward_code: t.wardCode, district_code: t.districtCode, lead_worker_id: t.leadWorkerId })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (t.memberIds.length) await trx.insertInto('team_member').values(t.memberIds.map((worker_id) => ({ team_id: team.id, worker_id }))).execute();
  return toTeam(team);
}

export async function teamsOfWards(db: Kysely<WorkforceDB>, wardCodes: readonly string[]): Promise<Team[]> {
  if (wardCodes.length === 0) return [];
  return (await db.selectFrom('team').selectAll().where('ward_code', 'in', wardCodes).orderBy('id').execute()).map(toTeam);
}

export async function teamsByIds(db: Kysely<WorkforceDB>, ids: readonly string[]): Promise<Team[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('team').selectAll().where('id', 'in', ids).execute()).map(toTeam);
}

/** Members of these teams, each with the team it was found in. */
export async function membersOfTeams(db: Kysely<WorkforceDB>, teamIds: readonly string[]): Promise<{ teamId: string; worker: HealthWorker }[]> {
  if (teamIds.length === 0) return [];
  const rows = await db
    .selectFrom('team_member as m')
    .innerJoin('health_worker as w', 'w.id', 'm.worker_id')
    .selectAll('w')
    .select('m.team_id')
    .where('m.team_id', 'in', teamIds)
    .orderBy('w.id')
    .execute();
  return rows.map((r) => ({ teamId: r.team_id, worker: toHealthWorker(r) }));
}

/** Teams of these workers, each with the worker it was found for. */
export async function teamsOfWorkers(db: Kysely<WorkforceDB>, workerIds: readonly string[]): Promise<{ workerId: string; team: Team }[]> {
  if (workerIds.length === 0) return [];
  const rows = await db
    .selectFrom('team_member as m')
    .innerJoin('team as t', 't.id', 'm.team_id')
    .selectAll('t')
    .select('m.worker_id')
    .where('m.worker_id', 'in', workerIds)
    .execute();
  return rows.map((r) => ({ workerId: r.worker_id, team: toTeam(r) }));
}

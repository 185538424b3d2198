/** Teams: home-care support, community COVID teams, mobile-station crews and the like. */
import { randomUUID } from 'node:crypto';
import { findWard } from '../../common/admin-units.js';
import type { Viewer } from '../../common/auth/viewer.js';
import { assertCaresFor, notFoundFor } from '../../common/auth/jurisdiction.js';
import { Problems } from '../../common/domain/errors.js';
import { MAX_LIST_ITEMS, TEXT_LIMITS, checkId, checkText } from '../../common/domain/input-rules.js';
import { insertTeam } from '../db/team.repository.js';
import type { Team } from '../db/mappers.js';
import type { TeamKind } from '../domain/workforce.js';
import type { WorkforceRuntime } from '../context.js';
import { reachableWorkers } from './access.js';

export async function createTeam(
  runtime: WorkforceRuntime,
  viewer: Viewer,
  input: { name: string; kind: TeamKind; wardCode: string; leadWorkerId?: string | null; memberIds: readonly string[] },
): Promise<Team> {
  const ward = findWard(input.wardCode);
  const problems = new Problems();
  const name = checkText(problems, input.name, ['input', 'name'], 'name', { min: 2, max: TEXT_LIMITS.LABEL });
  problems.check(!!ward, ['input', 'wardCode'], `No ward has code ${input.wardCode}`);
  problems.check(input.memberIds.length <= MAX_LIST_ITEMS, ['input', 'memberIds'], `A team has at most ${MAX_LIST_ITEMS} members`);
  if (input.memberIds.length <= MAX_LIST_ITEMS) input.memberIds.forEach((id, i) => checkId(problems, id, ['input', 'memberIds', String(i)], 'A member id'));
  if (input.leadWorkerId != null) checkId(problems, input.leadWorkerId, ['input', 'leadWorkerId'], 'leadWorkerId');
  problems.throwIfAny();
  assertCaresFor(viewer, ward!.code, 'create a team in this ward');
  const ids = [...new Set([...input.memberIds, ...(input.leadWorkerId ? [input.leadWorkerId] : [])])];
  // A member must be someone the viewer manages or who already works in the team's ward; anyone
  // else is answered like an unknown id.
  const { reachable } = await reachableWorkers(runtime.db, viewer, ids, ward!.code);
  const missing = ids.filter((id) => !reachable.has(id));
  if (missing.length) throw notFoundFor(viewer, 'HealthWorker', missing.join(', '), 'put these health workers in a team');
  return runtime.db.transaction().execute((trx) =>
    insertTeam(trx, {
      id: `T-${randomUUID().slice(0, 8)}`,
      name,
      kind: input.kind,
      wardCode: ward!.code,
      districtCode: ward!.districtCode,
      leadWorkerId: input.leadWorkerId ?? null,
      memberIds: ids,
    }),
  );
}

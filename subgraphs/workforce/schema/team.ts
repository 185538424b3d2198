import { builder } from '../builder.js';
import { readId } from '../../common/graphql/input-guard.js';
import { NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { createTeam } from '../commands/teams.js';
import { TeamKindEnum } from './enums.js';
import { HealthWorkerRef, TeamRef } from './refs.js';

TeamRef.implement({
  description: 'A team: home-care support, community COVID team, mobile-station crew, companion doctors, home vaccination.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Team id.' }),
    name: t.exposeString('name', { description: 'Team name.' }),
    kind: t.field({ type: TeamKindEnum, description: 'Kind of team.', resolve: (x) => x.kind }),
    wardCode: t.exposeID('wardCode', { description: 'Ward the team serves.' }),
    lead: t.field({
      type: HealthWorkerRef,
      nullable: true,
      description: 'Team lead.',
      resolve: (x, _args, ctx) => (x.leadWorkerId ? ctx.loaders.worker.load(x.leadWorkerId) : null),
    }),
    members: t.field({
      type: [HealthWorkerRef],
      description: 'Members.',
      resolve: async (x, _args, ctx) => (await ctx.loaders.membersOfTeam.load(x.id)).map((m) => m.worker),
    }),
  }),
});

// An entity, so that other subgraphs can name a team they work with (vaccination's home visits).
builder.asEntity(TeamRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => ctx.loaders.team.load(ref.id),
});

builder.queryFields((t) => ({
  team: t.field({
    type: TeamRef,
    nullable: true,
    description: 'One team by id; null when unknown. Like `teams`, its name, kind and ward are open to every viewer (members are personal data).',
    args: { id: t.arg.id({ required: true, description: 'Team id.' }) },
    resolve: (_root, args, ctx) => ctx.loaders.team.load(readId(args.id, 'id')),
  }),
  teams: t.field({
    type: [TeamRef],
    description: 'Teams serving a ward.',
    args: { wardCode: t.arg.id({ required: true, description: 'The ward.' }) },
    resolve: (_root, args, ctx) => ctx.loaders.teamsOfWard.load(readId(args.wardCode, 'wardCode')),
  }),
}));

const CreateTeamInput = builder.inputType('CreateTeamInput', {
  description: 'A new team.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Name (2 to 100 characters).' }),
    kind: t.field({ type: TeamKindEnum, required: true, description: 'Kind.' }),
    wardCode: t.id({ required: true, description: 'Ward served.' }),
    leadWorkerId: t.id({ required: false, description: 'Lead: a worker based in your jurisdiction or working in the ward.' }),
    memberIds: t.idList({ required: true, description: 'Members (at most 200): workers based in your jurisdiction or working in the ward.' }),
  }),
});

builder.mutationFields((t) => ({
  createTeam: t.field({
    type: TeamRef,
    description: 'Create a team with its members.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'team', description: 'The team.' } },
    args: { input: t.arg({ type: CreateTeamInput, required: true, description: 'The team.' }) },
    resolve: (_root, { input }, ctx) => createTeam(ctx.runtime, ctx.viewer, input),
  }),
}));

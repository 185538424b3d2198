/**
 * The Pothos builder every subgraph uses: the same plugins, scopes, scalars, error types and
 * naming, so the four schemas look like one API to the integration team.
 */
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import { GraphQLError } from 'graphql';
import { coversDistrict, coversWard, maySeePersonalData, type Viewer } from '../auth/viewer.js';
import { inGroup } from '../auth/jurisdiction.js';
import { DateScalar, DateTimeScalar } from './scalars.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';

/** What every subgraph's per-request context holds at least. */
export interface BaseContext {
  viewer: Viewer;
  requestId: string;
  /** Records reads of personal data for the audit log (flushed after the request). */
  audit: (entity: string, id: string, field: string) => void;
  /** Drops per-request caches; subscriptions call it before each event (see LocalBus onEach). */
  renewLoaders: () => void;
}

export interface AuthScopes {
  /** Named role groups (defined once in auth/jurisdiction.ts): `{ clinical: true }`. */
  clinical: boolean;
  liveFeeds: boolean;
  wholeCity: boolean;
  officers: boolean;
  vaccinationReaders: boolean;
  vaccinationWriters: boolean;
  partners: boolean;
  /** Personal data of someone living in this ward: clinical roles with jurisdiction over it. */
  personalData: string;
  /** The viewer's jurisdiction includes this ward. */
  ward: string;
  /** The viewer's jurisdiction includes this whole district. */
  district: string;
}

export interface SubgraphTypes<Ctx extends BaseContext> {
  Context: Ctx;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string | number };
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
  };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function createBuilder<Ctx extends BaseContext>() {
  const builder = new SchemaBuilder<SubgraphTypes<Ctx>>({
    plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, DirectivesPlugin, FederationPlugin],
    defaultFieldNullability: false,
    scopeAuth: {
      authorizeOnSubscribe: true,
      treatErrorsAsUnauthorized: true,
      unauthorizedError: (_parent, _context, info) =>
        new GraphQLError(`Not authorized to access ${info.parentType.name}.${info.fieldName}`, { extensions: { code: 'FORBIDDEN' } }),
      authScopes: (ctx) => ({
        clinical: () => inGroup(ctx.viewer, 'clinical'),
        liveFeeds: () => inGroup(ctx.viewer, 'liveFeeds'),
        wholeCity: () => inGroup(ctx.viewer, 'wholeCity'),
        officers: () => inGroup(ctx.viewer, 'officers'),
        vaccinationReaders: () => inGroup(ctx.viewer, 'vaccinationReaders'),
        vaccinationWriters: () => inGroup(ctx.viewer, 'vaccinationWriters'),
        partners: () => inGroup(ctx.viewer, 'partners'),
        personalData: (wardCode: string) => maySeePersonalData(ctx.viewer, wardCode),
        ward: (wardCode: string) => coversWard(ctx.viewer, wardCode),
        district: (districtCode: string) => coversDistrict(ctx.viewer, districtCode),
      }),
    },
    errors: {
      defaultTypes: [],
      defaultResultOptions: {
        name: ({ fieldName }) => `${capitalize(fieldName)}Success`,
        description: 'The operation succeeded.',
      },
      defaultUnionOptions: {
        name: ({ fieldName }) => `${capitalize(fieldName)}Result`,
        description: 'The outcome: the success type, or one of the typed errors (all implement `Error`).',
      },
    },
    relay: {
      clientMutationId: 'omit',
      cursorType: 'String',
      nodeQueryOptions: false,
      nodesQueryOptions: false,
      pageInfoTypeOptions: { shareable: true, description: 'Where a page of a connection sits in the whole list.' },
      hasNextPageFieldOptions: { description: 'More items follow this page.' },
      hasPreviousPageFieldOptions: { description: 'Items precede this page (always false for forward pagination from the start).' },
      startCursorFieldOptions: { description: 'Cursor of the first item of the page.' },
      endCursorFieldOptions: { description: 'Cursor of the last item of the page: pass it as `after` to get the next page.' },
      cursorFieldOptions: { description: 'Opaque position of this item; pass it as `after`.' },
      nodeFieldOptions: { description: 'The item.' },
      edgesFieldOptions: { description: 'The items of this page with their cursors.' },
      pageInfoFieldOptions: { description: 'Pagination state of this page.' },
      firstArgOptions: { description: 'Page size (0 to 100).' },
      afterArgOptions: { description: 'Return items after this cursor.' },
      lastArgOptions: { description: 'Not supported: paginate forwards with `first`/`after`.' },
      beforeArgOptions: { description: 'Not supported: paginate forwards with `first`/`after`.' },
    },
  });

  builder.addScalarType('DateTime', DateTimeScalar);
  builder.addScalarType('Date', DateScalar);

  const ErrorInterface = builder.interfaceRef<{ code: string; message: string }>('Error').implement({
    description: 'Every expected failure: a stable machine-readable code and a message for people.',
    fields: (t) => ({
      code: t.exposeString('code', { description: 'Stable machine-readable code, e.g. VALIDATION_FAILED, NO_BED_AVAILABLE.' }),
      message: t.exposeString('message', { description: 'What went wrong, in words a person can act on.' }),
    }),
  });

  const FieldError = builder.objectRef<{ path: string[]; message: string }>('FieldError').implement({
    description: 'One invalid input field.',
    shareable: true,
    fields: (t) => ({
      path: t.exposeStringList('path', { description: 'Path of the field in the input, e.g. ["input", "nationalId"].' }),
      message: t.exposeString('message', { description: 'Why the value was refused.' }),
    }),
  });

  builder.objectType(ValidationError, {
    name: 'ValidationError',
    description: 'The input was refused before anything was written. `fields` lists every problem found.',
    interfaces: [ErrorInterface],
    shareable: true,
    fields: (t) => ({
      fields: t.field({ type: [FieldError], description: 'Each invalid field with its path.', resolve: (e) => e.fields }),
    }),
  });

  builder.objectType(NotFoundError, {
    name: 'NotFoundError',
    description: 'A referenced entity does not exist.',
    interfaces: [ErrorInterface],
    shareable: true,
    fields: (t) => ({
      entity: t.exposeString('entity', { description: 'Type of the missing entity, e.g. Patient.' }),
      id: t.exposeID('id', { description: 'The identifier that was not found.' }),
    }),
  });

  builder.objectType(ConflictError, {
    name: 'ConflictError',
    description: 'The request conflicts with the current state (for example an idempotency key reused with different input).',
    interfaces: [ErrorInterface],
    shareable: true,
    fields: () => ({}),
  });

  builder.queryType({ description: 'Reads.' });
  builder.mutationType({ description: 'Writes. Expected failures are typed members of each result union.' });

  return { builder, ErrorInterface };
}

/**
 * A limit on how many objects an operation may ask for, estimated before it runs from its
 * document and its variables. graphql-armor's cost limit charges each field once, whatever the
 * size of the list it sits in, and reads page sizes only when they are written as literals, so
 * `districts { wards { district { wards { … } } } }` (19 times more objects every two levels, ten
 * levels within the depth limit: about four million objects) and `first: $n` passed it.
 *
 * Each field that returns a list multiplies what it selects by its size: its `first` or `last`
 * argument (a literal or a variable) or the length of a list argument such as `codes`; otherwise
 * the size its data can have (LIST_SIZES), or DEFAULT_LIST_SIZE. A connection's page size (`first`
 * on `facilities`) applies to the list inside it (`edges`, `nodes`). Every object counts once,
 * an object that costs its own database work per item (a day's report) counts as more (WEIGHTS).
 */
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { QUERY_TOO_COMPLEX } from './limits.js';
import { DISTRICTS } from '../subgraphs/common/admin-units.js';
import { ISO_DATE } from '../subgraphs/common/domain/dates.js';

/** Objects an operation may ask for at most (a CityOverview asks for about 2,000). */
export const MAX_ESTIMATED_OBJECTS = 50_000;
/** The size assumed for a list with neither a page size nor a known bound. */
const DEFAULT_LIST_SIZE = 30;
/** Lists whose size the data bounds, by `Type.field`. */
const LIST_SIZES: Record<string, number> = {
  'Query.districts': DISTRICTS.length,
  // Date ranges stop at 92 days.
  'District.history': 92,
  'Query.cityHistory': 92,
};
/**
 * Objects that cost more than one. A day's report runs its own statements (a snapshot lookup and
 * the day's figures over the area's cases): 100 each keeps a request to 500 reports, a month of
 * every district's, where all 30 districts for 92 days took 5,520 statements.
 */
const WEIGHTS: Record<string, number> = { DailyReport: 100 };
const PAGE_ARGUMENTS = new Set(['first', 'last']);

type Variables = Record<string, unknown> | null | undefined;

function valueOf(node: ValueNode, variables: Variables): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables?.[node.name.value];
    case Kind.INT:
      return Number(node.value);
    case Kind.STRING:
      return node.value;
    case Kind.LIST:
      return node.values;
    default:
      return undefined;
  }
}

const DAY_MS = 86_400_000;
const dateMs = (value: unknown) => (typeof value === 'string' && ISO_DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN);

/**
 * The size a field's arguments give its list, if any: a page size (`first`, `last`), a number of
 * days (`days`, or the days from `from` to `to`), or the length of a list of codes.
 */
function sizeFromArguments(field: FieldNode, variables: Variables): { page?: number; listLength?: number } {
  let page: number | undefined;
  let listLength: number | undefined;
  const values = new Map((field.arguments ?? []).map((argument) => [argument.name.value, valueOf(argument.value, variables)]));
  for (const [name, value] of values) {
    if ((PAGE_ARGUMENTS.has(name) || name === 'days') && typeof value === 'number') page = Math.max(page ?? 0, value);
    else if (Array.isArray(value)) listLength = Math.max(listLength ?? 0, value.length);
  }
  const span = (dateMs(values.get('to')) - dateMs(values.get('from'))) / DAY_MS;
  if (Number.isFinite(span)) listLength = Math.max(1, Math.floor(span) + 1);
  return { page, listLength };
}

export function estimateObjects(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Variables): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) operation ??= definition;
  }
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  // A variable not sent takes its default, as the execution will.
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  variables = { ...defaults, ...(variables ?? {}) };

  let total = 0;
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number, pendingPage: number | undefined, seen: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (total > MAX_ESTIMATED_OBJECTS) return;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) walk(selection.selectionSet, type, multiplier, pendingPage, seen);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A fragment cycle is refused by validation; here it only must not loop.
        if (!fragment || seen.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (type && isCompositeType(type)) walk(fragment.selectionSet, type, multiplier, pendingPage, new Set([...seen, name]));
      } else {
        if (!selection.selectionSet) continue;
        const fieldDef: GraphQLField<unknown, unknown> | undefined = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        if (!fieldDef) continue;
        const type = getNamedType(fieldDef.type);
        if (!isCompositeType(type)) continue;
        const { page, listLength } = sizeFromArguments(selection, variables);
        const isList = isListType(getNullableType(fieldDef.type));
        let size = 1;
        let nextPage: number | undefined = page;
        if (isList) {
          const bound = LIST_SIZES[`${parent.name}.${fieldDef.name}`];
          size = page ?? pendingPage ?? listLength ?? bound ?? DEFAULT_LIST_SIZE;
          // A range or a list asked for beyond what the field answers (92 days at most) is refused by it.
          if (bound !== undefined) size = Math.min(size, bound);
          nextPage = undefined;
        }
        const count = multiplier * size;
        total += count * (WEIGHTS[type.name] ?? 1);
        walk(selection.selectionSet, type, count, nextPage, seen);
      }
    }
  };
  walk(operation.selectionSet, root, 1, undefined, new Set());
  return total;
}

function refusal(estimate: number): GraphQLError {
  return new GraphQLError(`Query asks for too many objects: about ${estimate > MAX_ESTIMATED_OBJECTS * 10 ? `more than ${MAX_ESTIMATED_OBJECTS * 10}` : Math.round(estimate)}, at most ${MAX_ESTIMATED_OBJECTS}; ask for smaller pages or fewer nested lists`, {
    extensions: { code: QUERY_TOO_COMPLEX, maxObjects: MAX_ESTIMATED_OBJECTS },
  });
}

/** Refuses, before it runs, an operation estimated to ask for more than MAX_ESTIMATED_OBJECTS. */
export function limitResultSize<Ctx extends Record<string, unknown>>(): GatewayPlugin<Ctx> {
  // The same check before a query or mutation runs and before a subscription starts.
  const check = ({ args, setResultAndStopExecution }: {
    args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: Variables };
    setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void;
  }) => {
    const estimate = estimateObjects(args.schema, args.document, args.operationName, args.variableValues);
    if (estimate > MAX_ESTIMATED_OBJECTS) setResultAndStopExecution({ errors: [refusal(estimate)] });
  };
  return { onExecute: check, onSubscribe: check };
}

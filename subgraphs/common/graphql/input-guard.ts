/**
 * Refuses NUL characters anywhere in an operation's variables or string literals. PostgreSQL text
 * cannot hold them, so without this a NUL in any argument surfaced as an internal error from the
 * database; no legitimate input of the city contains one.
 */
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { checkId, containsNul, TEXT_LIMITS } from '../domain/input-rules.js';
import { Problems } from '../domain/errors.js';

/**
 * Documents already visited: Apollo Server keeps one parsed document per query text, so each is
 * visited once, not on every request (the visit was 1.2 % of the facilities process's CPU for a
 * capacity board).
 */
const visited = new WeakMap<DocumentNode, boolean>();

function literalHasNul(document: DocumentNode): boolean {
  let found = visited.get(document);
  if (found === undefined) visited.set(document, (found = visitForNul(document)));
  return found;
}

function visitForNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found;
}

/**
 * Variables known to hold no NUL: they were parsed from a JSON text with no `\u0000` in it. JSON
 * cannot carry a NUL in a string any other way (a raw control character is a syntax error), so
 * such variables need no walk; an entity fetch's variables are thirty representations or more,
 * and walking them was 2.8 % of the patients process's CPU for a CityOverview (profiled).
 */
const nulFree = new WeakSet<object>();

/** Marks the variables of a request body parsed from `text`, when the text shows they hold no NUL. */
export function noteNulFreeVariables(body: unknown, text: string): void {
  const variables = (body as { variables?: unknown } | null)?.variables;
  if (typeof variables === 'object' && variables !== null && !text.includes('\\u0000')) nulFree.add(variables);
}

export function nulInputRefusal(variables: unknown, document: DocumentNode | undefined): GraphQLError | undefined {
  const variablesHaveNul = typeof variables === 'object' && variables !== null && nulFree.has(variables) ? false : containsNul(variables);
  if (!variablesHaveNul && !(document && literalHasNul(document))) return undefined;
  return new GraphQLError('Text inputs may not contain NUL characters (\\u0000)', {
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

export function refuseNulInputs<Ctx extends object>(): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const refusal = nulInputRefusal(request.variables, document);
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/**
 * An id or code a read names (an argument of a query), checked by the platform's input rules
 * before any lookup or echo: refused as BAD_USER_INPUT, without repeating the value.
 */
export function readId(value: string | number, name: string): string {
  const problems = new Problems();
  const id = checkId(problems, String(value), [name], name);
  if (!problems.empty) throw new GraphQLError(`${name} must be 1 to ${TEXT_LIMITS.ID} characters`, { extensions: { code: 'BAD_USER_INPUT' } });
  return id;
}

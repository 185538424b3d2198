/**
 * Keyset pagination for Relay connections. A cursor is the sort key of an item, encoded; it stays
 * valid while items are added or removed, unlike an offset.
 */
import { graphQLError } from './errors.js';

export const MAX_PAGE_SIZE = 100;

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, arity: number): (string | number)[] | undefined {
  if (cursor == null) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === arity && key.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return key as (string | number)[];
    }
  } catch {
    // fall through
  }
  throw graphQLError('BAD_USER_INPUT', 'Invalid cursor: pass an endCursor or cursor value from a previous page.');
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export function pageSize(args: PageArgs, fallback = 20): number {
  if (args.last != null || args.before != null) {
    throw graphQLError('BAD_USER_INPUT', 'Backward pagination is not supported: use first and after.');
  }
  const first = args.first ?? fallback;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw graphQLError('BAD_USER_INPUT', `first must be between 0 and ${MAX_PAGE_SIZE}.`);
  }
  return first;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Builds a page from `size + 1` rows fetched after the cursor. */
export function toPage<T>(rows: T[], size: number, keyOf: (row: T) => (string | number)[], hasCursor: boolean): Page<T> {
  const items = rows.slice(0, size);
  const edges = items.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: hasCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

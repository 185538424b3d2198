/**
 * Keyset pagination for Relay connections. A cursor is the sort key of an item, encoded; it stays
 * valid while items are added or removed, unlike an offset.
 */
import { graphQLError } from './errors.js';
import { isUuid } from '../domain/input-rules.js';

export const MAX_PAGE_SIZE = 100;
/** Longest cursor we ever hand out is far shorter; anything longer was not made by us. */
const MAX_CURSOR_LENGTH = 1_000;
const MAX_KEY_STRING = 300;

/**
 * What one part of a cursor's key must be, checked before it reaches SQL: a crafted cursor is
 * bad input, not an internal error from the database.
 * - `string`: text without NUL, at most 300 characters;
 * - `uuid`: a UUID;
 * - `timestamp`: an ISO 8601 instant as `toISOString()` writes it, years 1900 to 2100;
 * - `number`: a finite number.
 */
export type CursorPart = 'string' | 'uuid' | 'timestamp' | 'number';

const ISO_INSTANT = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function partIsValid(value: unknown, part: CursorPart | undefined): boolean {
  if (typeof value === 'number') return (part === undefined || part === 'number') && Number.isFinite(value);
  if (typeof value !== 'string' || value.length > MAX_KEY_STRING || value.includes('\u0000')) return false;
  switch (part) {
    case undefined:
    case 'string':
      return true;
    case 'uuid':
      return isUuid(value);
    case 'timestamp': {
      const m = ISO_INSTANT.exec(value);
      const year = Number(m?.[1]);
      return !!m && year >= 1900 && year <= 2100 && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
    }
    default:
      return false;
  }
}

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The key of a cursor from a previous page. `shape` is the number of parts (each a string without
 * NUL or a finite number) or, better, what each part must be.
 */
export function decodeCursor(cursor: string | null | undefined, shape: number | readonly CursorPart[]): (string | number)[] | undefined {
  if (cursor == null) return undefined;
  const parts = typeof shape === 'number' ? undefined : shape;
  const arity = typeof shape === 'number' ? shape : shape.length;
  try {
    const key = cursor.length <= MAX_CURSOR_LENGTH ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown) : undefined;
    if (Array.isArray(key) && key.length === arity && key.every((v, i) => partIsValid(v, parts?.[i]))) {
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

/** A page whose connection also answers `totalCount`, counted only when asked for. */
export type CountedPage<T> = Page<T> & { totalCount: () => Promise<number> };

/**
 * An edge whose cursor is encoded when it is read: most pages are read for their nodes and the
 * page's end cursor, and encoding every edge's key (JSON, then base64) was a profiled cost.
 */
class Edge<T> {
  #cursor: string | undefined;
  constructor(
    readonly node: T,
    private readonly keyOf: (row: T) => (string | number)[],
  ) {}
  get cursor(): string {
    return (this.#cursor ??= encodeCursor(this.keyOf(this.node)));
  }
}

/** Builds a page from `size + 1` rows fetched after the cursor. */
export function toPage<T>(rows: T[], size: number, keyOf: (row: T) => (string | number)[], hasCursor: boolean): Page<T> {
  const items = rows.slice(0, size);
  const edges: Page<T>['edges'] = items.map((node) => new Edge(node, keyOf));
  const first = edges[0];
  const last = edges[edges.length - 1];
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: hasCursor,
      get startCursor() {
        return first?.cursor ?? null;
      },
      get endCursor() {
        return last?.cursor ?? null;
      },
    },
  };
}

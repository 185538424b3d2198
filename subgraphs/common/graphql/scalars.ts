/**
 * DateTime and Date. The city works in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving
 * since 1975), so every DateTime leaves the API as ISO 8601 with a +07:00 offset; inputs must
 * carry an explicit offset, because a timestamp without one is ambiguous.
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const CITY_OFFSET_MINUTES = 7 * 60;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Formats an instant in the city's time zone: 2022-01-13T07:00:00.000+07:00. */
export function formatCityTime(value: Date): string {
  const shifted = new Date(value.getTime() + CITY_OFFSET_MINUTES * 60_000);
  return `${shifted.toISOString().slice(0, 23)}+07:00`;
}

/** The calendar date in the city at that instant. */
export function cityDate(value: Date): string {
  return formatCityTime(value).slice(0, 10);
}

/** Midnight at the start of a city calendar date, as an instant. */
export function startOfCityDate(date: string): Date {
  return new Date(`${date}T00:00:00+07:00`);
}

export function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value)) {
    throw new GraphQLError('DateTime must be an ISO 8601 string with an offset, e.g. 2022-01-13T07:00:00+07:00', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new GraphQLError(`Invalid DateTime: ${value}`, { extensions: { code: 'BAD_USER_INPUT' } });
  return date;
}

export function isValidCalendarDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant as ISO 8601 with offset. Outputs use the city time zone (+07:00); inputs must include an offset.',
  serialize(value) {
    if (value instanceof Date) return formatCityTime(value);
    if (typeof value === 'string' || typeof value === 'number') return formatCityTime(new Date(value));
    throw new GraphQLError('DateTime cannot represent this value');
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseDateTime(ast.value);
  },
});

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isValidCalendarDate(value)) {
    throw new GraphQLError('Date must be a calendar date as YYYY-MM-DD', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date (YYYY-MM-DD), in the city time zone where it matters.',
  serialize(value) {
    if (value instanceof Date) return cityDate(value);
    return parseDate(value);
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseDate(ast.value);
  },
});

/**
 * DateTime and Date. The city works in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving
 * since 1975), so every DateTime leaves the API as ISO 8601 with a +07:00 offset; inputs must
 * carry an explicit offset, because a timestamp without one is ambiguous.
 */
import { isValidCalendarDate } from '../domain/input-rules.js';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const CITY_OFFSET_MINUTES = 7 * 60;
const ISO_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Years an input date may fall in. Nothing the city records happened before 1900 (the oldest
 * residents included) or is planned after 2100; a year outside is a typo, and JavaScript and
 * PostgreSQL disagree on the far ones (years 0-99, BC, 5-digit years).
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

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

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

export function parseDateTime(value: unknown): Date {
  const m = typeof value === 'string' ? ISO_WITH_OFFSET.exec(value) : null;
  if (!m) throw badInput('DateTime must be an ISO 8601 string with an offset, e.g. 2022-01-13T07:00:00+07:00');
  const [, day, hour, minute, second, , offsetHours, offsetMinutes] = m;
  // JavaScript rolls 30 February over into March and hour 24 into the next day: refuse instead.
  if (!isValidCalendarDate(day!)) throw badInput(`DateTime ${value} is not a real calendar date`);
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) throw badInput(`DateTime ${value} is not a real time of day`);
  if (offsetHours != null && (Number(offsetHours) > 14 || Number(offsetMinutes) > 59)) throw badInput(`DateTime ${value} has an impossible offset`);
  if (!inYearRange(day!)) throw badInput(`DateTime ${value} is outside the years ${MIN_YEAR} to ${MAX_YEAR}`);
  const date = new Date(value as string);
  if (Number.isNaN(date.getTime())) throw badInput(`Invalid DateTime: ${value}`);
  return date;
}

const inYearRange = (date: string) => {
  const year = Number(date.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
};

/** The input rules' calendar-date check (kept in the domain so domain code need not load GraphQL). */
export { isValidCalendarDate };

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant as ISO 8601 with offset. Outputs use the city time zone (+07:00); inputs must include an offset and be a real date and time in the years 1900 to 2100.',
  serialize(value) {
    if (value instanceof Date) return formatCityTime(value);
    if (typeof value === 'string' || typeof value === 'number') return formatCityTime(new Date(value));
    throw new GraphQLError('DateTime cannot represent this value');
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('DateTime must be a string');
    return parseDateTime(ast.value);
  },
});

function serializeDate(value: unknown): string {
  if (typeof value !== 'string' || !isValidCalendarDate(value)) throw new GraphQLError('Date cannot represent this value');
  return value;
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) throw badInput('Date must be a calendar date as YYYY-MM-DD');
  if (!isValidCalendarDate(value)) throw badInput(`Date ${value} is not a real calendar date`);
  if (!inYearRange(value)) throw badInput(`Date ${value} is outside the years ${MIN_YEAR} to ${MAX_YEAR}`);
  return value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date (YYYY-MM-DD), in the city time zone where it matters. Inputs must be real dates in the years 1900 to 2100.',
  serialize(value) {
    if (value instanceof Date) return cityDate(value);
    return serializeDate(value);
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('Date must be a string');
    return parseDate(ast.value);
  },
});

/**
 * The pieces of the report exports that need no stack: CSV writing (RFC 4180, BOM, formula
 * guard), the HTTP status a GraphQL refusal becomes, and the export operations themselves
 * against the public schema and the query limits every client gets.
 */
import { describe, expect, it } from '@jest/globals';
import { parse, specifiedRules, validate, type OperationDefinitionNode } from 'graphql';
// graphql-armor's own cost rule (the package @escape.tech/graphql-armor runs in the gateway).
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { CITY_DAILY_REPORT, DISTRICT_DAILY_REPORT, EXPORT_OPERATIONS, FACILITY_CAPACITY, refusalFor, toCsv, toXlsx } from '../../gateway/exports.js';
import { KNOWN_OPERATIONS } from '../../gateway/metrics.js';
import { ARMOR_LIMITS } from '../../gateway/limits.js';
import { publicSchema } from '../support/contract.js';
import { readSheet } from 'read-excel-file/node';

describe('CSV', () => {
  const table = {
    sheet: 'T',
    columns: [
      { title: 'Name', width: 10 },
      { title: 'Beds', width: 10 },
    ],
    rows: [
      ['Bệnh viện Đa khoa Hà Đông', 120],
      ['A "quoted", name', 0],
      ['two\nlines', null],
      ['=1+1', -3],
      ['+84 912', 2.5],
    ],
  };

  it('is UTF-8 with a byte-order mark, CRLF records and quotes only where needed', () => {
    const bytes = toCsv(table);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(
      'Name,Beds\r\n' +
        'Bệnh viện Đa khoa Hà Đông,120\r\n' +
        '"A ""quoted"", name",0\r\n' +
        '"two\nlines",\r\n' +
        "'=1+1,-3\r\n" + // text that would run as a formula gets an apostrophe; numbers stay numbers
        "'+84 912,2.5\r\n",
    );
  });

  it('and the XLSX of the same table reads back as written, text as text', async () => {
    const rows = await readSheet(await toXlsx(table));
    expect(rows).toEqual([['Name', 'Beds'], ...table.rows]);
  });
});

describe('refusals', () => {
  const error = (code: string, message = code) => ({ message, extensions: { code } });

  it('turns the graph’s refusal into the matching status, with its message', () => {
    expect(refusalFor([error('FORBIDDEN', 'Not authorized to access Query.dailyReport')])).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      message: 'Not authorized to access Query.dailyReport',
    });
    expect(refusalFor([error('BAD_USER_INPUT', 'No district has code 999')])).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
    expect(refusalFor([error('GRAPHQL_VALIDATION_FAILED')])).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
    expect(refusalFor([error('QUERY_TOO_COMPLEX')])).toMatchObject({ status: 400, code: 'QUERY_TOO_COMPLEX' });
    expect(refusalFor([error('SERVICE_UNAVAILABLE')])).toMatchObject({ status: 502 });
    expect(refusalFor([error('UPSTREAM_TIMEOUT')])).toMatchObject({ status: 504 });
    expect(refusalFor([{ message: 'Unexpected error.' }])).toMatchObject({ status: 500, code: 'INTERNAL_SERVER_ERROR' });
  });

  it('lets authentication, then authorization, then input decide when several errors come', () => {
    expect(refusalFor([error('SERVICE_UNAVAILABLE'), error('FORBIDDEN'), error('BAD_USER_INPUT')]).status).toBe(403);
    expect(refusalFor([error('BAD_USER_INPUT'), error('UNAUTHENTICATED')]).status).toBe(401);
    expect(refusalFor([error('UPSTREAM_TIMEOUT'), error('BAD_USER_INPUT')]).status).toBe(400);
  });
});

describe('the export operations', () => {
  it('are valid against the public schema and within the limits every client gets', () => {
    const schema = publicSchema();
    const rejected: string[] = [];
    const cost = costLimitRule({
      maxCost: ARMOR_LIMITS.maxCost,
      objectCost: 2,
      scalarCost: 1,
      depthCostFactor: 1.5,
      propagateOnRejection: false,
      onReject: [(_context, e) => void rejected.push(e.message)],
    });
    for (const query of [CITY_DAILY_REPORT, DISTRICT_DAILY_REPORT, FACILITY_CAPACITY]) {
      expect(validate(schema, parse(query), [...specifiedRules, cost]).map((e) => e.message)).toEqual([]);
    }
    expect(rejected).toEqual([]);
    // The rule counts a literal page size: 100 facilities a page would be refused.
    validate(schema, parse(FACILITY_CAPACITY.replace('first: 40', 'first: 100')), [cost]);
    expect(rejected).toEqual([expect.stringMatching(/Query Cost limit of 5000 exceeded/)]);
  });

  it('carry the names metrics label them by', () => {
    const names = [CITY_DAILY_REPORT, DISTRICT_DAILY_REPORT, FACILITY_CAPACITY].flatMap((q) =>
      parse(q).definitions.flatMap((d) => (d.kind === 'OperationDefinition' ? [(d as OperationDefinitionNode).name!.value] : [])),
    );
    expect(names).toEqual([...EXPORT_OPERATIONS]);
    for (const name of names) expect(KNOWN_OPERATIONS.has(name)).toBe(true);
  });
});

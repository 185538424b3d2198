/** Reads of the facilities subgraph: pagination, bed finder ranking, roll-ups, and query counts. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { contractOperations } from '../support/contract.js';
import { withPgClient } from '../../subgraphs/common/db/postgres.js';

describe('facility reads', () => {
  let db: TestDatabase;
  let stack: Stack;
  let partner: string;
  const ops = contractOperations();

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    // District 001 (Ba Đình): 50 facilities; district 002 (Hoàn Kiếm): 5.
    await createFacilities(db, [
      ...Array.from({ length: 50 }, (_, i) => ({
        id: `BD-${String(i).padStart(2, '0')}`,
        wardCode: ['00001', '00004', '00006'][i % 3]!,
        name: `Ba Đình site ${String(i).padStart(2, '0')}`,
        servesTiers: ['TIER_1' as const],
        beds: { GENERAL: { total: 20, occupied: i % 20 }, OXYGEN: { total: 4 } },
      })),
      ...Array.from({ length: 5 }, (_, i) => ({ id: `HK-${i}`, wardCode: '00037', name: `Hoàn Kiếm site ${i}`, beds: { GENERAL: { total: 10 } } })),
      // A quarantine area of district 002: its places count the orders in force (stays) too.
      { id: 'HK-Q', wardCode: '00037', name: 'Hoàn Kiếm quarantine area', kind: 'QUARANTINE_AREA', beds: { GENERAL: { total: 100, occupied: 7 } } },
      // Bed finder candidates for a tier-2 patient of Hoàng Liệt (00337, district 008).
      { id: 'F-SAME-WARD', wardCode: '00337', servesTiers: ['TIER_2'], beds: { OXYGEN: { total: 2 } } },
      { id: 'F-SAME-DISTRICT', wardCode: '00322', servesTiers: ['TIER_2'], beds: { OXYGEN: { total: 9 } } },
      { id: 'F-CITY', wardCode: '00100', level: 'CITY', servesTiers: ['TIER_2', 'TIER_3'], beds: { OXYGEN: { total: 30 } } },
      { id: 'F-ELSEWHERE-BIG', wardCode: '00118', servesTiers: ['TIER_2'], beds: { OXYGEN: { total: 40 } } },
      { id: 'F-ELSEWHERE-SMALL', wardCode: '00118', servesTiers: ['TIER_2'], beds: { OXYGEN: { total: 3 } } },
      { id: 'F-FULL', wardCode: '00337', servesTiers: ['TIER_2'], beds: { OXYGEN: { total: 5, occupied: 5 } } },
      { id: 'F-WRONG-TIER', wardCode: '00337', servesTiers: ['TIER_1'], beds: { OXYGEN: { total: 5 } } },
      { id: 'F-STANDBY', wardCode: '00337', status: 'STANDBY', servesTiers: ['TIER_2'], beds: { OXYGEN: { total: 5 } } },
    ]);
    await withPgClient(db.adminUrl, (client) =>
      client.query(
        `insert into facilities.quarantine_stay (order_id, facility_id, active)
         select gen_random_uuid(), 'HK-Q', n <= 3 from generate_series(1, 5) n`,
      ),
    );
    stack = await startStack(db);
    partner = await token('PARTNER');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('CapacityBoard lists a facility\'s beds as GENERAL, OXYGEN, ICU whatever order their rows were written in', async () => {
    // District 005 (Cầu Giấy), for this test only: one facility with every bed kind, its rows written ICU first.
    await createFacilities(db, [{ id: 'CG-ALL', wardCode: '00157', beds: { ICU: { total: 2 }, OXYGEN: { total: 3 }, GENERAL: { total: 4 } } }]);
    try {
      const board = ok(await gql(stack.gateway.url, ops.get('CapacityBoard')!, { district: '005' }, { token: partner })).facilities;
      expect(board.edges.map((e: { node: { id: string; beds: { kind: string; total: number }[] } }) => [e.node.id, e.node.beds.map((b) => `${b.kind} ${b.total}`)])).toEqual([
        ['CG-ALL', ['GENERAL 4', 'OXYGEN 3', 'ICU 2']],
      ]);
    } finally {
      await withPgClient(db.adminUrl, async (client) => {
        await client.query(`delete from facilities.bed where facility_id = 'CG-ALL'`);
        await client.query(`delete from facilities.facility where id = 'CG-ALL'`);
      });
    }
  });

  it('CapacityBoard pages through a district with a total count', async () => {
    const first = ok(await gql(stack.gateway.url, ops.get('CapacityBoard')!, { district: '001', first: 20 }, { token: partner })).facilities;
    expect(first.totalCount).toBe(50);
    expect(first.edges).toHaveLength(20);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const seen = first.edges.map((e: { node: { id: string } }) => e.node.id);
    let after = first.pageInfo.endCursor;
    let lastCursor = after;
    while (after) {
      const page = ok(await gql(stack.gateway.url, ops.get('CapacityBoard')!, { district: '001', first: 20, after }, { token: partner })).facilities;
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      // The count is of every match, not of what follows the cursor.
      expect(page.totalCount).toBe(50);
      lastCursor = page.pageInfo.endCursor;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    }
    // Past the last facility, and with no page at all, the count is still of every match.
    const last = ok(await gql(stack.gateway.url, ops.get('CapacityBoard')!, { district: '001', first: 20, after: lastCursor }, { token: partner })).facilities;
    expect({ edges: last.edges, totalCount: last.totalCount }).toEqual({ edges: [], totalCount: 50 });
    const none = ok(await gql(stack.gateway.url, `{ facilities(filter: { districtCode: "001" }, first: 0) { totalCount edges { node { id } } } }`, {}, { token: partner })).facilities;
    expect(none).toEqual({ totalCount: 50, edges: [] });
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => `BD-${String(i).padStart(2, '0')}`));
    const node = first.edges[3].node;
    expect(node).toMatchObject({ id: 'BD-03', kind: 'COLLECTION_SITE', status: 'ACTIVE', ward: { code: '00001', name: 'Phường Phúc Xá' } });
    expect(node.beds).toEqual([
      { kind: 'GENERAL', total: 20, covidDesignated: 20, occupied: 3, available: 17 },
      { kind: 'OXYGEN', total: 4, covidDesignated: 4, occupied: 0, available: 4 },
    ]);
  });

  it('answers CapacityBoard for 50 facilities with as many SQL statements as for 5', async () => {
    const stats = stack.subgraphs.facilities.runtime.database.stats;
    const count = async (district: string) => {
      // Background work that reads through the gateway (the epidemic assessor asks facilities for
      // capacity) would count here too: let it finish first.
      await stack.settle();
      const before = stats.queries;
      ok(await gql(stack.gateway.url, ops.get('CapacityBoard')!, { district, first: 50 }, { token: partner }));
      return stats.queries - before;
    };
    const fifty = await count('001');
    const five = await count('002');
    expect(fifty).toBe(five);
    // The page brings its facilities' wards and beds, and the total count, in one statement.
    expect(fifty).toBe(1);
  });

  it('brings the same wards and beds with the page as the per-facility lookups do, quarantine places included', async () => {
    const board = ok(await gql(stack.gateway.url, ops.get('CapacityBoard')!, { district: '001', first: 50 }, { token: partner })).facilities;
    const ids = board.edges.map((e: { node: { id: string } }) => e.node.id);
    const one = `query ($id: ID!) { facility(id: $id) { id name kind level ownership status servesTiers ward { code name } beds { kind total covidDesignated occupied available } } }`;
    for (const id of [ids[0], ids[17], ids[49]]) {
      const single = ok(await gql(stack.gateway.url, one, { id }, { token: partner })).facility;
      expect(board.edges.find((e: { node: { id: string } }) => e.node.id === id).node).toEqual(single);
    }
    // The page's own columns (its time of last change as milliseconds) agree with the lookup's row.
    const own = `{ id address updatedAt }`;
    const page = ok(await gql(stack.gateway.url, `query ($d: ID!) { facilities(filter: { districtCode: $d }, first: 50) { edges { node ${own} } } }`, { d: '001' }, { token: partner })).facilities;
    for (const id of [ids[0], ids[49]]) {
      const single = ok(await gql(stack.gateway.url, `query ($id: ID!) { facility(id: $id) ${own} }`, { id }, { token: partner })).facility;
      expect(single.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(page.edges.find((e: { node: { id: string } }) => e.node.id === id).node).toEqual(single);
    }
    // A page that does not ask for totalCount or beds still answers, without the count.
    const district = ok(await gql(stack.gateway.url, ops.get('CapacityBoard')!, { district: '002', first: 50 }, { token: partner })).facilities;
    const quarantine = district.edges.find((e: { node: { id: string } }) => e.node.id === 'HK-Q').node;
    expect(quarantine.beds).toEqual([{ kind: 'GENERAL', total: 100, covidDesignated: 100, occupied: 10, available: 90 }]);
    expect(quarantine).toEqual(ok(await gql(stack.gateway.url, one, { id: 'HK-Q' }, { token: partner })).facility);
    // A page that asks for neither totalCount nor beds still answers.
    const bare = ok(await gql(stack.gateway.url, `{ facilities(filter: { districtCode: "002" }) { edges { node { id ward { name } } } } }`, {}, { token: partner }));
    expect(bare.facilities.edges).toHaveLength(6);
    expect(bare.facilities.edges[0].node.ward.name).toBe('Phường Phúc Tân');
  });

  it('filters by ward, kind, status, tier and free beds, the count agreeing with the page', async () => {
    const ids = async (filter: string) => {
      const page = ok(await gql(stack.gateway.url, `{ facilities(filter: ${filter}, first: 100) { totalCount edges { node { id } } } }`, {}, { token: partner })).facilities;
      expect(page.totalCount).toBe(page.edges.length);
      return page.edges.map((e: { node: { id: string } }) => e.node.id).sort();
    };
    expect(await ids('{ wardCode: "00337" }')).toEqual(['F-FULL', 'F-SAME-WARD', 'F-STANDBY', 'F-WRONG-TIER']);
    expect(await ids('{ districtCode: "002", kinds: [QUARANTINE_AREA] }')).toEqual(['HK-Q']);
    expect(await ids('{ wardCode: "00337", status: [STANDBY] }')).toEqual(['F-STANDBY']);
    expect(await ids('{ tier: TIER_3 }')).toEqual(['F-CITY']);
    expect(await ids('{ wardCode: "00337", withAvailable: OXYGEN }')).toEqual(['F-SAME-WARD', 'F-STANDBY', 'F-WRONG-TIER']);
  });

  it('rejects bad pagination arguments with a clear error', async () => {
    const tooMany = await gql(stack.gateway.url, ops.get('CapacityBoard')!, { district: '001', first: 1000 }, { token: partner });
    expect(tooMany.errors?.[0]).toMatchObject({ message: 'first must be between 0 and 100.', extensions: { code: 'BAD_USER_INPUT' } });
    const badCursor = await gql(stack.gateway.url, ops.get('CapacityBoard')!, { district: '001', after: 'garbage' }, { token: partner });
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers each district and ward named once, however often it is named, and refuses too long a list', async () => {
    const many = (code: string, n: number) => Array.from({ length: n }, () => code);
    const q = `query ($d: [ID!], $w: [ID!]!) { districts(codes: $d) { code } wards(codes: $w) { code } }`;
    const once = ok(await gql(stack.gateway.url, q, { d: [...many('001', 50), '002', '001'], w: [...many('00337', 500), '00001'] }, { token: partner }));
    expect(once.districts.map((d: { code: string }) => d.code)).toEqual(['001', '002']);
    expect(once.wards.map((w: { code: string }) => w.code)).toEqual(['00337', '00001']);
    const tooMany = await gql(stack.gateway.url, q, { d: many('001', 101), w: [] }, { token: partner });
    expect(tooMany.errors?.[0]).toMatchObject({ message: 'At most 100 district codes at once', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('FindBed ranks same ward, same district, city level, then the rest, most free beds first', async () => {
    const data = ok(await gql(stack.gateway.url, ops.get('FindBed')!, { ward: '00337', tier: 'TIER_2' }, { token: partner }));
    expect(data.bedFinder.map((m: { facility: { id: string }; available: number }) => [m.facility.id, m.available])).toEqual([
      ['F-SAME-WARD', 2],
      ['F-SAME-DISTRICT', 9],
      ['F-CITY', 30],
      ['F-ELSEWHERE-BIG', 40],
      ['F-ELSEWHERE-SMALL', 3],
    ]);
    expect(data.bedFinder[0]).toMatchObject({ bedKind: 'OXYGEN', facility: { district: { code: '008', name: 'Quận Hoàng Mai' } } });
    const unknown = await gql(stack.gateway.url, ops.get('FindBed')!, { ward: '99999', tier: 'TIER_2' }, { token: partner });
    expect(unknown.errors?.[0]).toMatchObject({ message: 'No ward has code 99999', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('rolls capacity up per ward, district and city, counting active facilities only', async () => {
    const data = ok(
      await gql(
        stack.gateway.url,
        `{ ward(code: "00337") { capacity { total occupied available byKind { kind total occupied } } mobileStations { needed active shortfall } }
           district(code: "002") { capacity { total occupied available occupancyRate } }
           cityCapacity { total } }`,
        {},
        { token: partner },
      ),
    );
    // 00337: SAME-WARD 2 + FULL 5 + WRONG-TIER 5 oxygen (STANDBY excluded).
    expect(data.ward.capacity).toEqual({
      total: 12,
      occupied: 5,
      available: 7,
      byKind: [
        { kind: 'GENERAL', total: 0, occupied: 0 },
        { kind: 'OXYGEN', total: 12, occupied: 5 },
        { kind: 'ICU', total: 0, occupied: 0 },
      ],
    });
    expect(data.ward.mobileStations.needed).toBeGreaterThanOrEqual(1);
    expect(data.district.capacity).toEqual({ total: 50, occupied: 0, available: 50, occupancyRate: 0 });
    expect(data.cityCapacity.total).toBe(50 * 24 + 50 + 2 + 9 + 30 + 40 + 3 + 5 + 5);
  });
});

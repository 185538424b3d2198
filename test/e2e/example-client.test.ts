/** The example script of the typed client runs FindBed and receives a LiveBeds event. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { ADMIT, registerPatient } from '../support/patients.js';
import { pollUntil } from '../support/wait.js';
import { spawnEntry } from '../../scripts/processes.js';

describe('scripts/example-client.ts', () => {
  let db: TestDatabase;
  let stack: Stack;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-EX', name: 'Cơ sở thu dung thử', wardCode: '00337', beds: { GENERAL: { total: 10 } } }]);
    stack = await startStack(db);
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('finds a bed, then prints the admission it sees live', async () => {
    const facilities = stack.subgraphs.facilities.runtime.bus.stats;
    const startedBefore = facilities.started;
    const child = spawnEntry('scripts/example-client.ts', {
      args: ['--url', stack.gateway.url, '--ward', '00337', '--tier', 'TIER_1', '--events', '1'],
      env: { ...process.env, HRG_TOKEN: await token('DASHBOARD') },
      stdio: 'pipe',
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await pollUntil(async () => output, (text) => text.includes('LiveBeds for district'), { timeoutMs: 30_000 });
    expect(output).toMatch(/10 free GENERAL\s+Cơ sở thu dung thử \(Quận Hoàng Mai\)/);
    // The script's LiveBeds subscription is live in the subgraph before the admission is made.
    expect(await pollUntil(async () => facilities.started, (n) => n > startedBefore, { timeoutMs: 30_000 })).toBe(startedBefore + 1);

    const city = await token('CITY_OFFICER');
    const patient = await registerPatient(stack.gateway.url, city, { nationalId: null });
    const admitted = ok(await gql(stack.gateway.url, ADMIT, { input: { patientId: patient.id, facilityId: 'CS-EX', bedKind: 'GENERAL' } }, { token: city }));
    expect(admitted.admitPatient.__typename).toBe('AdmitPatientSuccess');

    expect(await exited).toBe(0);
    expect(output).toMatch(/Cơ sở thu dung thử: GENERAL 1\/10 occupied \(ADMISSION\); district active cases 1/);
  }, 60_000);
});

/**
 * Keeps epidemic levels current; the only writer of assessments (reads of epidemicLevel never
 * write). An area is re-assessed when an event moves one of its inputs:
 *  - new cases and changes of a case (registration, tier, status, care setting): patients' own
 *    patient-registered / patient-updated events;
 *  - treatment beds (admissions, discharges, transfers, capacity changes): facilities'
 *    bed-occupancy events;
 * and every area of the city once a city day, shortly after midnight, which also picks up the
 * 7-day window sliding and vaccination coverage (the vaccination subgraph publishes no events).
 * One replica runs each day's assessment: the first to claim the day (a unique row per day).
 * Events are read by durable consumers, so each event marks its area in exactly one replica.
 *
 * The level depends on fields three subgraphs own; this service reads them through the gateway
 * as an internal client (population, treatment capacity, coverage), counts the cases itself and
 * records the result. A read of an area not assessed yet (a new database, in the seconds before
 * the first pass) takes the same facts from `factsForReads` and records nothing.
 */
import type { Kysely } from 'kysely';
import { TOPICS, type BedOccupancyPayload, type PatientStatePayload } from '../../common/events/catalog.js';
import type { Config } from '../../common/config.js';
import { registeredRequest } from '../../common/internal-documents.js';
import { issueDevToken } from '../../common/auth/dev-tokens.js';
import type { BackgroundService } from '../../common/runtime.js';
import type { Logger } from '../../common/log.js';
import { DISTRICTS, WARDS, findWard } from '../../common/admin-units.js';
import { cityDate, startOfCityDate } from '../../common/graphql/scalars.js';
import { assessLevel, assessmentInput } from '../domain/epidemic-level.js';
import type { AreaFactsOf, AreaFactsSource } from './area-facts.js';
import { claimDailyRun, recordAssessments, type NewAssessment } from '../db/epidemic.repository.js';
import { caseStatsByArea } from '../db/patient.repository.js';
import type { PatientsDB } from '../db/tables.js';
import type { PatientsRuntime } from '../context.js';
import { backgroundDb } from '../../common/report-cutoff.js';

export const CASE_INPUTS = 'patients.epidemic-inputs.cases';
export const BED_INPUTS = 'patients.epidemic-inputs.beds';

/**
 * What other subgraphs own of an area's level: its population and treatment beds (facilities)
 * and its vaccination coverage (vaccination). Read through the gateway as a query, not handed
 * over by `@requires` on every read of a level: a read serves the recorded assessment and needs
 * none of them (see schema/epidemic.ts).
 */
const LEVEL_FACTS = 'population vaccination { adults18PlusDose1Coverage over50FullyVaccinatedCoverage } capacity { covidDesignated occupied byKind { kind covidDesignated occupied } }';

/** Sent by id (registered in the trusted-documents manifest): a PARTNER credential may send no text in production. */
export const FACTS = `query EpidemicLevelFacts($wards: [ID!]!, $districts: [ID!]!) {
  wards(codes: $wards) { code ${LEVEL_FACTS} }
  districts(codes: $districts) { code ${LEVEL_FACTS} }
}`;

/** How long a read waits for the city's facts at most (an assessment pass waits 20 s). */
const READ_FACTS_TIMEOUT_MS = 5_000;

/**
 * A read's wait for the city's facts: half the gateway's upstream timeout, so that a slow facts
 * request fails the level and not the whole patients request, and READ_FACTS_TIMEOUT_MS at most.
 */
export const readFactsTimeoutMs = (upstreamTimeoutMs: number): number => Math.min(READ_FACTS_TIMEOUT_MS, Math.floor(upstreamTimeoutMs / 2));
/**
 * How long the city's facts fetched for reads are reused, a failure too: however many dashboards
 * read areas not assessed yet, the gateway gets at most one such request in this time, and the
 * assessor's own pass (under the same credential and rate limit) is not crowded out.
 */
export const READ_FACTS_REUSE_MS = 2_000;

export interface AssessorOptions {
  debounceMs: number;
  retryMs: number;
  /** Minutes after city midnight at which the daily assessment runs. */
  dailyAtMinute: number;
  /** Delay before the first daily check after start, unless the gateway is named sooner. */
  startupDelayMs: number;
}

const DEFAULTS: AssessorOptions = { debounceMs: 250, retryMs: 5_000, dailyAtMinute: 5, startupDelayMs: 2_000 };

export class EpidemicAssessor implements BackgroundService, AreaFactsSource {
  private gatewayUrl: string;
  private readonly options: AssessorOptions;
  private readonly dirtyWards = new Set<string>();
  private readonly dirtyDistricts = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private daily: NodeJS.Timeout | undefined;
  private startup: NodeJS.Timeout | undefined;
  private token: Promise<string> | undefined;
  private running: Promise<void> = Promise.resolve();
  private dailyCheck: Promise<void> | undefined;
  private stopped = false;
  private readonly db: Kysely<PatientsDB>;
  /** The city's facts as last fetched for reads (see factsForReads). */
  private readFacts: { since: number; facts: Promise<ReadonlyMap<string, AreaFactsOf>> } | undefined;

  constructor(
    private readonly runtime: PatientsRuntime,
    private readonly config: Config,
    private readonly log: Logger,
    options: Partial<AssessorOptions> = {},
  ) {
    this.gatewayUrl = config.gatewayUrl;
    this.options = { ...DEFAULTS, ...options };
    this.db = backgroundDb<PatientsDB>(runtime.database.pool);
    runtime.addConsumer({
      name: CASE_INPUTS,
      source: 'patients',
      topics: [TOPICS.patientRegistered, TOPICS.patientUpdated],
      handle: async (_trx, event) => {
        const p = event.payload as PatientStatePayload;
        this.mark(p.wardCode, p.districtCode);
      },
    });
    runtime.addConsumer({
      name: BED_INPUTS,
      source: 'facilities',
      topics: [TOPICS.bedOccupancy],
      handle: async (_trx, event) => {
        const b = event.payload as BedOccupancyPayload;
        this.mark(b.wardCode, b.districtCode);
      },
    });
  }

  useGateway(url: string): void {
    this.gatewayUrl = url;
    if (this.startup) {
      clearTimeout(this.startup);
      this.startup = undefined;
      this.checkDaily();
    }
    // Work that failed against the previous address is tried again now.
    if (this.dirtyWards.size || this.dirtyDistricts.size) this.schedule(0);
  }

  start(): void {
    this.startup = setTimeout(() => {
      this.startup = undefined;
      this.checkDaily();
    }, this.options.startupDelayMs).unref();
    this.scheduleDaily();
  }

  stop(): void {
    this.stopped = true;
    for (const t of [this.timer, this.daily, this.startup]) if (t) clearTimeout(t);
  }

  /** Marks every ward and district of the city for assessment (the daily run; operators). */
  assessCity(): void {
    for (const ward of WARDS) this.mark(ward.code, ward.districtCode);
  }

  /** Waits until the daily check and every assessment marked so far have been recorded (tests). */
  async settle(): Promise<void> {
    for (;;) {
      await this.dailyCheck;
      await this.running;
      if (!this.timer && !this.dirtyWards.size && !this.dirtyDistricts.size) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private mark(wardCode: string, districtCode: string): void {
    this.dirtyWards.add(wardCode);
    this.dirtyDistricts.add(districtCode);
    this.schedule(this.options.debounceMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.running = this.running.then(() => this.flush());
    }, delayMs).unref();
  }

  /** The next daily run: `dailyAtMinute` past the next city midnight. */
  private scheduleDaily(): void {
    if (this.stopped) return;
    const tomorrow = cityDate(new Date(Date.now() + 86_400_000));
    const at = startOfCityDate(tomorrow).getTime() + this.options.dailyAtMinute * 60_000;
    this.daily = setTimeout(() => {
      this.checkDaily();
      this.scheduleDaily();
    }, Math.max(1_000, at - Date.now())).unref();
  }

  /** Runs today's assessment of the whole city unless a replica has claimed it already. */
  private checkDaily(): void {
    if (this.stopped) return;
    const today = cityDate(new Date());
    this.dailyCheck = (async () => {
      try {
        if (await claimDailyRun(this.db, today)) {
          this.log.info({ day: today }, 'daily epidemic level assessment');
          this.assessCity();
        }
      } catch (error) {
        this.log.warn({ err: error }, 'daily epidemic level assessment could not be claimed; will retry');
        setTimeout(() => this.checkDaily(), this.options.retryMs).unref();
      }
    })();
  }

  /**
   * The service credential, or outside production a token of the least role that may read the
   * facts: a partner's, as the other internal clients use (internal-documents.ts). The facts are
   * read for any viewer's read of a level not assessed yet, so an officer's role here would be a
   * deputy that outranks the viewer.
   */
  private async credential(): Promise<string> {
    if (this.config.serviceToken) return this.config.serviceToken;
    this.token ??= issueDevToken(this.config, { role: 'PARTNER', subject: 'system:epidemic-assessor', ttlSeconds: 365 * 86_400 });
    return this.token;
  }

  private async flush(): Promise<void> {
    if (this.stopped) return;
    const wards = [...this.dirtyWards];
    const districts = [...this.dirtyDistricts];
    this.dirtyWards.clear();
    this.dirtyDistricts.clear();
    try {
      // The whole city fits one request (the query's cost does not grow with the codes; at most 600 wards).
      await this.assess(wards, districts);
    } catch (error) {
      // The gateway may not be up yet, or may be restarting: try these areas again later.
      if (this.stopped) return;
      this.log.warn({ err: error, wards: wards.length, districts: districts.length }, 'epidemic level assessment failed; will retry');
      for (const w of wards) this.dirtyWards.add(w);
      for (const d of districts) this.dirtyDistricts.add(d);
      this.schedule(this.options.retryMs);
    }
  }

  /**
   * The facts of these areas from the subgraphs that own them, through the gateway under the
   * assessor's service credential (they are area totals, no one's personal data). Throws unless
   * the answer is whole: a partial one (a subgraph down) would assess on missing inputs.
   */
  async facts(wards: readonly string[], districts: readonly string[], timeoutMs: number): Promise<{ wards: AreaFactsOf[]; districts: AreaFactsOf[] }> {
    const res = await fetch(this.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.credential()}` },
      body: JSON.stringify(registeredRequest(FACTS, { wards, districts })),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json()) as { data?: { wards: AreaFactsOf[]; districts: AreaFactsOf[] }; errors?: { message: string }[] };
    if (!res.ok || body.errors?.length || !body.data) throw new Error(`gateway answered ${res.status}: ${body.errors?.[0]?.message ?? 'no data'}`);
    return body.data;
  }

  /**
   * The facts of every ward and district, keyed `WARD:<code>` or `DISTRICT:<code>`, for reads of
   * areas not assessed yet: fetched as one request for the whole city and shared by every read for
   * READ_FACTS_REUSE_MS. The wait is bounded below the gateway's own upstream timeout, so a slow
   * answer fails this level, not the whole patients request.
   */
  factsForReads(): Promise<ReadonlyMap<string, AreaFactsOf>> {
    const now = Date.now();
    if (!this.readFacts || now - this.readFacts.since >= READ_FACTS_REUSE_MS) {
      const facts = this.facts(WARDS.map((w) => w.code), DISTRICTS.map((d) => d.code), readFactsTimeoutMs(this.config.upstreamTimeoutMs)).then(
        (f) => new Map([...f.wards.map((w) => [`WARD:${w.code}`, w] as const), ...f.districts.map((d) => [`DISTRICT:${d.code}`, d] as const)]),
        (error: unknown) => {
          this.log.warn({ err: error }, 'facts for areas not assessed yet could not be read; their levels fail for now');
          throw error;
        },
      );
      facts.catch(() => {});
      this.readFacts = { since: now, facts };
    }
    return this.readFacts.facts;
  }

  private async assess(wards: string[], districts: string[]): Promise<void> {
    const facts = await this.facts(wards, districts, 20_000);
    const db = this.db;
    const since = new Date(Date.now() - 7 * 86_400_000);
    const [wardCases, districtCases] = await Promise.all([
      caseStatsByArea(db, 'ward_code', wards, since),
      caseStatsByArea(db, 'district_code', districts, since),
    ]);
    const assessment = (scope: 'WARD' | 'DISTRICT', area: AreaFactsOf, newLast7Days: number, districtCode: string): NewAssessment => {
      const inputs = assessmentInput(area, newLast7Days);
      return { scope, code: area.code, districtCode, level: assessLevel(inputs).level, inputs };
    };
    // By code, not a search of the lists per area: a whole-city pass has 579 wards.
    const newCasesOf = (stats: typeof wardCases) => new Map(stats.map((s) => [s.area, s.newLast7Days]));
    const [wardNew, districtNew] = [newCasesOf(wardCases), newCasesOf(districtCases)];
    await recordAssessments(db, [
      ...facts.wards.map((w) => assessment('WARD', w, wardNew.get(w.code) ?? 0, findWard(w.code)?.districtCode ?? '')),
      ...facts.districts.map((d) => assessment('DISTRICT', d, districtNew.get(d.code) ?? 0, d.code)),
    ]);
  }
}

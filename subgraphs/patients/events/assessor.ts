/**
 * Keeps epidemic levels current. The level depends on fields three subgraphs own, so it can only
 * be computed through the gateway (the resolver records every change, see schema/epidemic.ts).
 * This service is an internal client of the graph: when cases change in a ward it asks the
 * gateway for a fresh assessment of that ward and its district (debounced), and it sweeps the
 * whole city every few minutes to catch changes in beds and vaccination.
 */
import { TOPICS, type PatientStatePayload } from '../../common/events/catalog.js';
import type { EventEnvelope } from '../../common/events/types.js';
import type { Config } from '../../common/config.js';
import { issueDevToken } from '../../common/auth/dev-tokens.js';
import type { BackgroundService } from '../../common/runtime.js';
import type { Logger } from '../../common/log.js';
import { WARDS } from '../../common/admin-units.js';
import type { PatientsRuntime } from '../context.js';

const ASSESS = `query Assess($wards: [ID!]!, $districts: [ID!]) {
  wards(codes: $wards) { code epidemicLevel { level } }
  districts(codes: $districts) { code epidemicLevel { level } }
}`;

export class EpidemicAssessor implements BackgroundService {
  private gatewayUrl: string;
  private iterator: AsyncIterableIterator<EventEnvelope<PatientStatePayload>> | undefined;
  private readonly dirtyWards = new Set<string>();
  private readonly dirtyDistricts = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private sweep: NodeJS.Timeout | undefined;
  private token: Promise<string> | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly runtime: PatientsRuntime,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly options = { debounceMs: 250, sweepMs: 5 * 60_000 },
  ) {
    this.gatewayUrl = config.gatewayUrl;
  }

  useGateway(url: string): void {
    this.gatewayUrl = url;
  }

  start(): void {
    this.iterator = this.runtime.bus.subscribe<PatientStatePayload>([TOPICS.patientRegistered, TOPICS.patientUpdated], { maxQueue: 10_000 });
    void (async () => {
      for await (const event of this.iterator!) this.mark(event.payload.wardCode, event.payload.districtCode);
    })();
    this.sweep = setInterval(() => this.assessCity(), this.options.sweepMs).unref();
  }

  stop(): void {
    this.stopped = true;
    void this.iterator?.return?.();
    if (this.timer) clearTimeout(this.timer);
    if (this.sweep) clearInterval(this.sweep);
  }

  /** Re-assess every ward and district of the city. */
  assessCity(): void {
    for (const ward of WARDS) this.mark(ward.code, ward.districtCode);
  }

  private mark(wardCode: string, districtCode: string): void {
    this.dirtyWards.add(wardCode);
    this.dirtyDistricts.add(districtCode);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.running = this.running.then(() => this.flush());
    }, this.options.debounceMs).unref();
  }

  /** Waits until pending assessments have been sent (tests). */
  async settle(): Promise<void> {
    while (this.timer || this.dirtyWards.size) await new Promise((r) => setTimeout(r, 20));
    await this.running;
  }

  private async credential(): Promise<string> {
    if (this.config.serviceToken) return this.config.serviceToken;
    this.token ??= issueDevToken(this.config, { role: 'CITY_OFFICER', subject: 'system:epidemic-assessor', ttlSeconds: 365 * 86_400 });
    return this.token;
  }

  private async flush(): Promise<void> {
    if (this.stopped) return;
    const wards = [...this.dirtyWards];
    const districts = [...this.dirtyDistricts];
    this.dirtyWards.clear();
    this.dirtyDistricts.clear();
    if (!wards.length && !districts.length) return;
    try {
      const res = await fetch(this.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.credential()}` },
        body: JSON.stringify({ query: ASSESS, variables: { wards, districts } }),
        signal: AbortSignal.timeout(20_000),
      });
      const body = (await res.json()) as { errors?: { message: string }[] };
      if (!res.ok || body.errors?.length) this.log.warn({ status: res.status, errors: body.errors?.slice(0, 3) }, 'epidemic level assessment incomplete');
    } catch (error) {
      // The gateway may not be up yet, or may be restarting: try these areas again later.
      if (this.stopped) return;
      this.log.warn({ err: error }, 'epidemic level assessment failed; will retry');
      for (const w of wards) this.dirtyWards.add(w);
      for (const d of districts) this.dirtyDistricts.add(d);
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.running = this.running.then(() => this.flush());
      }, 5_000).unref();
    }
  }
}

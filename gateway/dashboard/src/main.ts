/**
 * The dashboard page: the city's 30 districts, one district's facilities changing live, the
 * city's tier changes, and the last 30 days' trends of the city and the district (re-asked when
 * beds or tiers change), all through the typed client. Bundled by gateway/dashboard.ts.
 */
import {
  CapacityBoardDocument,
  LiveBedsDocument,
  createHrgClient,
  HrgRequestError,
  type CapacityBoardQuery,
  type DashboardCityQuery,
  type HrgClient,
} from '../../client/index.js';
import { DashboardCityDocument, DashboardTiersDocument, DashboardTrendsDocument } from './operations.js';
import { TIERS } from './tiers.js';
import { TrendCharts } from './trends.js';
import { HelpPanel } from './help-panel.js';
import { StockAlertsPanel } from './stock-alerts.js';

const TOKEN_KEY = 'hrg.dashboard.token';
const TREND_DAYS = 30;
/** Trends move with every bed and tier change: ask again at most this often. */
const TREND_REFRESH_MS = 2_000;
const KINDS = ['GENERAL', 'OXYGEN', 'ICU'] as const;

type District = DashboardCityQuery['districts'][number];
type Facility = CapacityBoardQuery['facilities']['edges'][number]['node'];

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

/** An element with text (never HTML) and attributes. */
function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

function flash(node: Element): void {
  node.classList.remove('changed');
  void (node as HTMLElement).offsetWidth; // restart the animation
  node.classList.add('changed');
}

const time = (iso: string) => iso.slice(11, 19);
const percent = (rate: number | null | undefined) => (rate == null ? '–' : `${Math.round(rate * 100)} %`);

class Dashboard {
  private client: HrgClient | undefined;
  private district = new URLSearchParams(location.search).get('district') ?? '';
  /** Ends the district's bed subscription, and the city's tier subscription. */
  private stopBeds: (() => void) | undefined;
  private stopTiers: (() => void) | undefined;
  private everConnected = false;
  private cityRefresh: ReturnType<typeof setTimeout> | undefined;
  private trendRefresh: ReturnType<typeof setTimeout> | undefined;
  private charts: TrendCharts | undefined;
  private help: HelpPanel | undefined;
  private stockAlerts = new StockAlertsPanel($('#stock-alerts'));

  start(token: string): void {
    this.stop();
    this.client = createHrgClient({
      url: new URL('/graphql', location.href).toString(),
      token,
      onConnection: (state) => this.connection(state),
    });
    this.help = new HelpPanel($('#help'), this.client, (error) => this.failed(error));
    void this.load().catch((error: unknown) => this.failed(error));
  }

  stop(): void {
    clearTimeout(this.trendRefresh);
    this.trendRefresh = undefined;
    this.stopBeds?.();
    this.stopTiers?.();
    this.stockAlerts.stop();
    this.stopBeds = this.stopTiers = undefined;
    this.help?.stop();
    this.help = undefined;
    void this.client?.dispose();
    this.client = undefined;
    this.everConnected = false;
  }

  private async load(): Promise<void> {
    await this.loadCity();
    $('#signin').hidden = true;
    $('#app').hidden = false;
    $('#sign-out').hidden = false;
    await this.loadDistrict();
    this.listen();
    // The charts come after the live tables: they are not needed to go live.
    await this.loadTrends();
  }

  private failed(error: unknown): void {
    // A request made before the page signed out may fail after it: the reason shown stays the first.
    if (!this.client) return;
    if (error instanceof HrgRequestError && (error.status === 401 || error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED'))) {
      signOut(`${this.everConnected ? 'Session ended' : 'Sign-in refused'}: ${error.message}`);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.connection('closed', message);
  }

  private connection(state: 'connecting' | 'connected' | 'closed', detail?: string): void {
    const box = $('#connection');
    box.className = `connection ${state === 'connected' ? 'live' : state === 'connecting' ? 'connecting' : 'offline'}`;
    box.querySelector('.label')!.textContent =
      state === 'connected' ? 'live' : state === 'connecting' ? 'connecting…' : `disconnected${detail ? `: ${detail}` : ', retrying'}`;
    if (state === 'connected') {
      // After a drop, events may have been missed: ask again for the current state.
      if (this.everConnected) void Promise.all([this.loadCity(), this.loadDistrict(), this.loadTrends()]).catch((error: unknown) => this.failed(error));
      this.everConnected = true;
    }
  }

  private async loadCity(): Promise<void> {
    const { districts } = await this.client!.request(DashboardCityDocument);
    const body = $('#city tbody');
    body.replaceChildren(...districts.map((d) => this.cityRow(d)));
    $('#city-updated').textContent = `updated ${new Date().toLocaleTimeString('vi-VN')}`;
    const select = $<HTMLSelectElement>('#district');
    if (select.options.length === 0) {
      select.append(...districts.map((d) => el('option', { value: d.code }, `${d.name} (${d.code})`)));
      select.addEventListener('change', () => {
        this.district = select.value;
        history.replaceState(null, '', `?district=${encodeURIComponent(this.district)}`);
        void Promise.all([this.loadDistrict(), this.loadTrends()]).then(() => this.listenBeds()).catch((error: unknown) => this.failed(error));
      });
    }
    if (!districts.some((d) => d.code === this.district)) this.district = districts[0]?.code ?? '';
    select.value = this.district;
  }

  private async loadTrends(): Promise<void> {
    if (!this.district) return;
    const { cityTrends, district } = await this.client!.request(DashboardTrendsDocument, { district: this.district, days: TREND_DAYS });
    this.charts ??= new TrendCharts($('#trends'));
    this.charts.show('city', cityTrends);
    if (district) {
      $('#trends-district').textContent = district.name;
      this.charts.show('district', district.trends);
    }
    $('#trends-updated').textContent = `updated ${new Date().toLocaleTimeString('vi-VN')}`;
  }

  /** Asks for the trends again after a change, at most once per TREND_REFRESH_MS. */
  private refreshTrends(): void {
    this.trendRefresh ??= setTimeout(() => {
      this.trendRefresh = undefined;
      void this.loadTrends().catch((error: unknown) => this.failed(error));
    }, TREND_REFRESH_MS);
  }

  private cityRow(d: District): HTMLElement {
    const bars = el(
      'div',
      { class: 'bars' },
      ...KINDS.map((kind) => {
        const k = d.capacity.byKind.find((b) => b.kind === kind);
        const share = k && k.total > 0 ? Math.min(100, (100 * k.occupied) / (k.occupied + k.available || 1)) : 0;
        const bar = el('div', { class: `bar ${kind}`, title: k ? `${kind}: ${k.occupied} occupied, ${k.available} free` : `${kind}: none` }, el('i'));
        (bar.firstChild as HTMLElement).style.width = `${share}%`;
        return bar;
      }),
    );
    const level = d.epidemicLevel;
    const byTier = (tier: string) => String(d.cases.byTier.find((t) => t.tier === tier)?.count ?? 0);
    const row = el(
      'tr',
      { 'data-district': d.code },
      el('td', {}, d.name),
      el('td', {}, el('span', { class: `level ${level ? level.colour : 'none'}`, title: level ? `${level.name} (assessed ${time(level.assessedAt)})` : 'not assessed' }, level ? String(level.level) : '–')),
      el('td', {}, bars),
      el('td', { class: 'num' }, `${d.capacity.occupied.toLocaleString('vi-VN')} · ${percent(d.capacity.occupancyRate)}`),
      el('td', { class: 'num', 'data-field': 'active' }, d.cases.active.toLocaleString('vi-VN')),
      ...TIERS.map((tier) => el('td', { class: 'num' }, byTier(tier))),
    );
    row.addEventListener('click', () => {
      const select = $<HTMLSelectElement>('#district');
      select.value = d.code;
      select.dispatchEvent(new Event('change'));
    });
    return row;
  }

  private async loadDistrict(): Promise<void> {
    if (!this.district) return;
    const { facilities } = await this.client!.request(CapacityBoardDocument, { district: this.district, first: 100 });
    const body = $('#facilities tbody');
    body.replaceChildren(...facilities.edges.map((e) => this.facilityRow(e.node)));
    const more = $('#facilities-more');
    more.hidden = !facilities.pageInfo.hasNextPage;
    more.textContent = `showing ${facilities.edges.length} of ${facilities.totalCount}`;
    for (const row of document.querySelectorAll('#city tr.selected')) row.classList.remove('selected');
    document.querySelector(`#city tr[data-district="${CSS.escape(this.district)}"]`)?.classList.add('selected');
    await this.help?.show(this.district);
  }

  private facilityRow(f: Facility): HTMLElement {
    return el(
      'tr',
      { 'data-facility': f.id },
      el('td', {}, f.name),
      el('td', { class: 'muted' }, f.kind.replaceAll('_', ' ').toLowerCase()),
      el('td', { class: 'muted' }, f.status.toLowerCase()),
      ...KINDS.map((kind) => {
        const bed = f.beds.find((b) => b.kind === kind);
        return el('td', { class: 'num', 'data-kind': kind }, bed ? this.bedText(bed.occupied, bed.available) : '–');
      }),
    );
  }

  private bedText(occupied: number, available: number): string {
    return `${occupied} / ${occupied + available}`;
  }

  private listen(): void {
    this.listenBeds();
    this.stopTiers = this.consume(this.client!.subscribe(DashboardTiersDocument, {}), ({ tierChanged: t }) => {
      const feed = $('#feed');
      feed.querySelector('.muted')?.remove();
      const up = TIERS.indexOf(t.to as (typeof TIERS)[number]) > TIERS.indexOf(t.from as (typeof TIERS)[number]);
      feed.prepend(
        el(
          'li',
          {},
          el('span', { class: 'muted' }, `${time(t.at)} `),
          `${t.patient.caseCode} (${t.patient.ward.name}): ${t.from.replace('TIER_', 'T')} ${up ? '↑' : '↓'} ${t.to.replace('TIER_', 'T')}`,
          // The clinician's reason comes to clinical roles of the ward only; a dashboard gets null.
          ...(t.reason ? [el('span', { class: 'muted' }, ` · ${t.reason}`)] : []),
        ),
      );
      while (feed.children.length > 30) feed.lastElementChild!.remove();
      this.refreshTrends();
    });
  }

  private listenBeds(): void {
    this.stopBeds?.();
    const district = this.district;
    void this.stockAlerts.follow(this.client!, district, (error) => this.failed(error)).catch((error: unknown) => this.failed(error));
    this.stopBeds = this.consume(this.client!.subscribe(LiveBedsDocument, { district }), ({ bedOccupancyChanged: e }) => {
      const cell = document.querySelector(`#facilities tr[data-facility="${CSS.escape(e.facility.id)}"] td[data-kind="${e.bedKind}"]`);
      if (cell) {
        cell.textContent = this.bedText(e.occupied, e.available);
        cell.classList.toggle('full', e.available === 0);
        flash(cell);
      }
      const cases = $('#district-cases');
      cases.textContent = `· ${e.facility.district.cases.active.toLocaleString('vi-VN')} active cases`;
      flash(cases);
      // City totals move with every bed: refresh them at most once a second.
      this.cityRefresh ??= setTimeout(() => {
        this.cityRefresh = undefined;
        void this.loadCity().catch((error: unknown) => this.failed(error));
      }, 1_000);
      this.refreshTrends();
    });
  }

  /** Runs a subscription until stopped; returns the stop function. */
  private consume<T>(events: AsyncIterableIterator<T>, onEvent: (event: T) => void): () => void {
    let stopped = false;
    void (async () => {
      try {
        for await (const event of events) {
          if (stopped) break;
          onEvent(event);
        }
      } catch (error) {
        if (!stopped) this.failed(error);
      }
    })();
    return () => {
      stopped = true;
      void events.return?.();
    };
  }
}

const dashboard = new Dashboard();

function signOut(message?: string): void {
  dashboard.stop();
  sessionStorage.removeItem(TOKEN_KEY);
  $('#app').hidden = true;
  $('#sign-out').hidden = true;
  $('#signin').hidden = false;
  const error = $('#signin-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  const box = $('#connection');
  box.className = 'connection offline';
  box.querySelector('.label')!.textContent = 'signed out';
}

function signIn(token: string): void {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  if (!trimmed) {
    signOut('Paste a token first.');
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, trimmed);
  $('#signin-error').hidden = true;
  dashboard.start(trimmed);
}

$('#signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn($<HTMLTextAreaElement>('#token').value);
});
$('#dev-login').addEventListener('click', async () => {
  const response = await fetch('/dashboard/dev-token', { method: 'POST' });
  if (!response.ok) return signOut('The development login is switched off here (production).');
  signIn(((await response.json()) as { token: string }).token);
});
$('#sign-out').addEventListener('click', () => signOut());

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) signIn(saved);

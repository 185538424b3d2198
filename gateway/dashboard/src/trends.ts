/**
 * The trend charts: for the city and the selected district, new cases a day, active cases by
 * tier and beds occupied by kind over the last days, drawn by uPlot (bundled with the page).
 * Each chart's container carries its latest day's values in data attributes, so tests and
 * tools can read what is drawn.
 */
import uPlot from 'uplot';
import type { DashboardTrendFragment } from '../../client/index.js';

const TIER_COLOURS = { TIER_1: '#16a34a', TIER_2: '#f59e0b', TIER_3: '#dc2626' } as const;
const KIND_COLOURS = { GENERAL: '#3b82f6', OXYGEN: '#f59e0b', ICU: '#dc2626' } as const;

type Kind = 'new' | 'tiers' | 'beds';

interface ChartSpec {
  title: string;
  series: { label: string; colour: string; value: (t: DashboardTrendFragment, i: number) => number; bars?: boolean }[];
}

const SPECS: Record<Kind, ChartSpec> = {
  new: {
    title: 'New cases a day',
    series: [{ label: 'new cases', colour: '#0f3d5e', bars: true, value: (t, i) => t.cases[i]!.newCases }],
  },
  tiers: {
    title: 'Active cases by tier',
    series: (['TIER_1', 'TIER_2', 'TIER_3'] as const).map((tier) => ({
      label: tier.replace('TIER_', 'T'),
      colour: TIER_COLOURS[tier],
      value: (t: DashboardTrendFragment, i: number) => t.cases[i]!.byTier.find((b) => b.tier === tier)?.count ?? 0,
    })),
  },
  beds: {
    title: 'Beds occupied by kind',
    series: (['GENERAL', 'OXYGEN', 'ICU'] as const).map((kind) => ({
      label: kind.toLowerCase(),
      colour: KIND_COLOURS[kind],
      value: (t: DashboardTrendFragment, i: number) => t.occupancy[i]!.byKind.find((b) => b.kind === kind)?.occupied ?? 0,
    })),
  },
};

/** Whole-number steps for the count axis. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];

/** A day's midnight in Hà Nội, in seconds (uPlot's time unit). */
const seconds = (date: string) => Date.parse(`${date}T00:00:00+07:00`) / 1000;

function dataOf(kind: Kind, t: DashboardTrendFragment): uPlot.AlignedData {
  const xs = t.cases.map((c) => seconds(c.date));
  return [xs, ...SPECS[kind].series.map((s) => xs.map((_x, i) => s.value(t, i)))];
}

class TrendChart {
  private plot: uPlot | undefined;

  constructor(
    private readonly box: HTMLElement,
    private readonly kind: Kind,
  ) {}

  update(t: DashboardTrendFragment): void {
    const data = dataOf(this.kind, t);
    const spec = SPECS[this.kind];
    const last = t.cases.length - 1;
    this.box.dataset.days = String(t.cases.length);
    this.box.dataset.latest = spec.series.map((s) => `${s.label}:${s.value(t, last)}`).join(',');
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    this.plot = new uPlot(
      {
        title: spec.title,
        width: this.width(),
        height: 170,
        cursor: { drag: { x: false, y: false } },
        legend: { show: true },
        // Half a day either side, so the first and last bars are whole; counts from zero.
        scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
        axes: [{ space: 50, values: (_u, ticks) => ticks.map((s) => new Date(s * 1000).toLocaleDateString('vi-VN', { day: '2-digit', month: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' })) }, { size: 50, incrs: COUNT_STEPS }],
        series: [
          { label: 'day', value: (_u, s) => (s == null ? '–' : new Date(s * 1000).toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })) },
          ...spec.series.map((s) => ({
            label: s.label,
            stroke: s.colour,
            width: s.bars ? 0 : 2,
            fill: s.bars ? s.colour : undefined,
            points: { show: false },
            ...(s.bars ? { paths: uPlot.paths.bars!({ size: [0.7, 40] }) } : {}),
          })),
        ],
      },
      data,
      this.box,
    );
  }

  resize(): void {
    this.plot?.setSize({ width: this.width(), height: 170 });
  }

  private width(): number {
    return Math.max(220, Math.floor(this.box.getBoundingClientRect().width || 300));
  }
}

/** The six charts of the trends panel: a row for the city, a row for the district. */
export class TrendCharts {
  private readonly charts = new Map<string, TrendChart>();

  constructor(root: HTMLElement) {
    for (const box of root.querySelectorAll<HTMLElement>('[data-chart]')) {
      const [, kind] = box.dataset.chart!.split('-') as [string, Kind];
      this.charts.set(box.dataset.chart!, new TrendChart(box, kind));
    }
    let pending: number | undefined;
    window.addEventListener('resize', () => {
      if (pending !== undefined) cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => this.charts.forEach((c) => c.resize()));
    });
  }

  show(scope: 'city' | 'district', trends: DashboardTrendFragment): void {
    for (const kind of Object.keys(SPECS) as Kind[]) this.charts.get(`${scope}-${kind}`)?.update(trends);
  }
}

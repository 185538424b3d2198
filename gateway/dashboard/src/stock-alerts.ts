/**
 * The "Stock alerts" panel: the selected district's stations whose stock is at or below its
 * threshold now, and the alerts as they happen (the stockLow subscription). Self-contained: the
 * page gives it a client and a district, and stops it with the page.
 */
import { DistrictSuppliesDocument, LiveStockAlertsDocument, type HrgClient, type LiveStockAlertsSubscription } from '../../client/index.js';

type Alert = LiveStockAlertsSubscription['stockLow'];

const ITEM_NAMES: Record<string, string> = {
  MEDICINE_PACKAGE_A: 'package A',
  MEDICINE_PACKAGE_B: 'package B',
  MEDICINE_PACKAGE_C: 'package C',
  RAPID_TEST_KIT: 'rapid tests',
  OXYGEN_CYLINDER: 'O₂ cylinders',
  OXYGEN_CONCENTRATOR: 'O₂ concentrators',
};

const item = (code: string) => ITEM_NAMES[code] ?? code;

function li(text: string, muted: string, attrs: Record<string, string> = {}): HTMLLIElement {
  const node = document.createElement('li');
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  const small = document.createElement('span');
  small.className = 'muted';
  small.textContent = muted;
  node.append(text, small);
  return node;
}

export class StockAlertsPanel {
  private stopFeed: (() => void) | undefined;
  private generation = 0;

  constructor(private readonly root: HTMLElement) {}

  /** Shows the district's low stock and follows its alerts, replacing any district followed before. */
  async follow(client: HrgClient, district: string, onError: (error: unknown) => void): Promise<void> {
    this.stop();
    const generation = this.generation;
    const events = client.subscribe(LiveStockAlertsDocument, { district });
    let stopped = false;
    this.stopFeed = () => {
      stopped = true;
      void events.return?.();
    };
    void (async () => {
      try {
        for await (const event of events) {
          if (stopped) break;
          this.alert(event.stockLow);
        }
      } catch (error) {
        if (!stopped) onError(error);
      }
    })();
    const current = () => generation === this.generation;
    // An answer (or a failure) that arrives after the page moved on or signed out is not news.
    const answer = await client.request(DistrictSuppliesDocument, { district }).catch((error: unknown) => {
      if (current()) throw error;
    });
    if (!answer || !current()) return;
    const { districts, facilities } = answer;
    const low = facilities.edges.flatMap(({ node }) => node.stock.filter((s) => s.low).map((s) => ({ station: node, stock: s })));
    const list = this.root.querySelector('ol.low')!;
    list.replaceChildren(
      ...(low.length
        ? low.map(({ station, stock }) =>
            li(`${station.name}: ${item(stock.item)} ${stock.onHand}`, ` (threshold ${stock.lowThreshold})`, { 'data-facility': station.id, 'data-item': stock.item }),
          )
        : [li('', 'no station is low on anything')]),
    );
    const coverage = districts[0]?.supplies.medicinePackageCoverage;
    this.root.querySelector('.coverage')!.textContent = coverage
      ? `${Math.round(coverage.share * 100)} % of ${coverage.homePatients.toLocaleString('vi-VN')} home patients received a medicine package`
      : '';
  }

  private alert(a: Alert): void {
    const feed = this.root.querySelector('ol.live')!;
    feed.querySelector('.waiting')?.remove();
    const place = a.stock.facility;
    feed.prepend(li(`${place.name ?? place.id}: ${item(a.stock.item)} down to ${a.stock.onHand}`, ` · ${a.at.slice(11, 19)}`, { 'data-facility': place.id, 'data-item': a.stock.item }));
    while (feed.children.length > 20) feed.lastElementChild!.remove();
  }

  stop(): void {
    this.generation += 1;
    this.stopFeed?.();
    this.stopFeed = undefined;
  }
}

/**
 * The "Open help requests" panel: for the selected district, how many citizens wait for an answer,
 * the longest wait, how many escalated to the district, and the wards they wait in. Live: every
 * change of a help request in the district asks for the counts again (at most once a second).
 * No personal data: the dashboard reads aggregates only.
 */
import type { HrgClient } from '../../client/index.js';
import { DashboardHelpChangesDocument, DashboardHelpDocument } from './operations.js';

const REFRESH_MS = 1_000;

/** "3 h 05 min", "12 min", "40 s": how long someone has waited. */
export function waited(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const since = (iso: string | null | undefined, now: number) => (iso ? waited((now - Date.parse(iso)) / 1000) : '–');

function cell(tag: string, text: string, attrs: Record<string, string> = {}): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.textContent = text;
  return node;
}

export class HelpPanel {
  private district = '';
  private stopLive: (() => void) | undefined;
  private refresh: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly client: HrgClient,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Shows `district` and follows its changes (replacing the district followed before). */
  async show(district: string): Promise<void> {
    if (district !== this.district) {
      this.district = district;
      this.listen();
    }
    await this.load();
  }

  stop(): void {
    clearTimeout(this.refresh);
    this.refresh = undefined;
    this.stopLive?.();
    this.stopLive = undefined;
  }

  private async load(): Promise<void> {
    if (!this.district) return;
    const { district } = await this.client.request(DashboardHelpDocument, { district: this.district });
    if (!district) return;
    const now = Date.now();
    const desk = district.helpDesk;
    const stat = (name: string, value: string, label: string) => {
      const box = this.root.querySelector<HTMLElement>(`[data-help="${name}"]`)!;
      box.replaceChildren(cell('b', value), cell('span', label, { class: 'muted' }));
      box.classList.toggle('alert', name === 'escalated' && desk.escalated > 0);
    };
    stat('open', String(desk.open), 'open');
    stat('unacknowledged', String(desk.unacknowledged), 'waiting for an answer');
    stat('escalated', String(desk.escalated), 'escalated to the district');
    stat('oldest', since(desk.oldestUnacknowledgedAt, now), 'longest wait');
    const response = desk.medianFirstResponseSeconds == null ? '–' : `${waited(desk.medianFirstResponseSeconds)} · p90 ${waited(desk.p90FirstResponseSeconds ?? 0)}`;
    stat('response', response, 'first answer (7 days)');
    const waiting = district.wards.filter((w) => w.helpDesk.open > 0).sort((a, b) => b.helpDesk.unacknowledged - a.helpDesk.unacknowledged || b.helpDesk.open - a.helpDesk.open);
    this.root.querySelector('tbody')!.replaceChildren(
      ...waiting.map((w) => {
        const row = cell('tr', '', { 'data-ward': w.code });
        row.append(
          cell('td', w.name),
          cell('td', String(w.helpDesk.open), { class: 'num' }),
          cell('td', String(w.helpDesk.unacknowledged), { class: 'num' }),
          cell('td', String(w.helpDesk.escalated), { class: `num${w.helpDesk.escalated > 0 ? ' full' : ''}` }),
          cell('td', since(w.helpDesk.oldestUnacknowledgedAt, now), { class: 'num' }),
        );
        return row;
      }),
    );
    this.root.querySelector<HTMLElement>('.help-none')!.hidden = waiting.length > 0;
    this.root.querySelector('#help-district')!.textContent = district.name;
  }

  private listen(): void {
    this.stopLive?.();
    const events = this.client.subscribe(DashboardHelpChangesDocument, { district: this.district });
    let stopped = false;
    void (async () => {
      try {
        for await (const _event of events) {
          if (stopped) break;
          this.refresh ??= setTimeout(() => {
            this.refresh = undefined;
            void this.load().catch(this.onError);
          }, REFRESH_MS);
        }
      } catch (error) {
        if (!stopped) this.onError(error);
      }
    })();
    this.stopLive = () => {
      stopped = true;
      void events.return?.();
    };
  }
}

import { h, uid, visible } from './dom.js';

/**
 * The viewer's "Streams" tab: a customer's IT admin wires their own SIEM (an https endpoint,
 * Splunk HEC or Datadog) to their organization's trail, sends a test event and watches the last
 * deliveries: the server confines it all to the token's organization. Shown only when the
 * viewer token carries the `streams` scope; the tenant may still refuse it per organization
 * (streams_forbidden, shown as such).
 */

export interface StreamsStrings {
  eventsTab: string;
  streamsTab: string;
  intro: string;
  destinations: string;
  none: string;
  newDestination: string;
  kindLabel: string;
  urlLabel: string;
  nameLabel: string;
  secretLabel: string;
  create: string;
  created: string;
  signingSecret: string;
  sendTest: string;
  pause: string;
  resume: string;
  remove: string;
  confirmRemove: string;
  deliveries: string;
  noDeliveries: string;
  time: string;
  kind: string;
  result: string;
  latency: string;
  ok: string;
  failed: string;
  lastSuccess: string;
  lastError: string;
  upToDate: string;
  catchingUp: string;
  never: string;
  testSent: string;
  testFailed: string;
  forbidden: string;
  error: string;
}

export const STREAMS_STRINGS: StreamsStrings = {
  eventsTab: 'Events',
  streamsTab: 'Streams',
  intro: 'Send your organization\'s audit events to your SIEM as they happen. Deliveries are signed (Standard Webhooks).',
  destinations: 'Destinations',
  none: 'No destination yet.',
  newDestination: 'New destination',
  kindLabel: 'Type',
  urlLabel: 'URL',
  nameLabel: 'Name',
  secretLabel: 'Token or API key',
  create: 'Create destination',
  created: 'Destination created. Copy its signing secret now: it is not shown again.',
  signingSecret: 'Signing secret',
  sendTest: 'Send test event',
  pause: 'Pause',
  resume: 'Resume',
  remove: 'Delete',
  confirmRemove: 'Delete this destination and its delivery log?',
  deliveries: 'Last deliveries',
  noDeliveries: 'No delivery yet.',
  time: 'Time',
  kind: 'Kind',
  result: 'Result',
  latency: 'Latency',
  ok: 'Delivered',
  failed: 'Failed',
  lastSuccess: 'Last success',
  lastError: 'Last error',
  upToDate: 'Up to date',
  catchingUp: 'Catching up',
  never: 'never',
  testSent: 'Test event delivered.',
  testFailed: 'Test event failed',
  forbidden: 'Your administrator has not enabled streams for your organization.',
  error: 'Something went wrong; try again.',
};

interface Destination {
  id: string;
  name: string;
  kind: string;
  url: string;
  status: 'active' | 'paused' | 'disabled';
  health: { last_success_at: string | null; last_error: string | null; consecutive_failures: number; lag_events: number };
}

interface Delivery {
  id: string;
  kind: string;
  succeeded: boolean;
  response_status: number | null;
  error: string | null;
  latency_ms: number;
  created_at: string;
}

class StreamsError extends Error {}

const CSS = `
.streams { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 14px; }
.streams h3 { font-size: 1em; margin: 0 0 6px; }
.streams p { margin: 0; }
.streams .dest { border: 1px solid var(--vt-border); border-radius: var(--vt-radius); padding: 8px 10px; display: flex; flex-direction: column; gap: 6px; }
.streams .row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.streams .url { font-family: var(--vt-mono); overflow-wrap: anywhere; color: var(--vt-muted); }
.streams .new { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; }
.streams .new label { display: flex; flex-direction: column; font-size: .85em; color: var(--vt-muted); gap: 2px; }
.streams .new input[name="url"] { width: 22em; max-width: 100%; }
.streams table { border-collapse: collapse; font-size: .9em; }
.streams th, .streams td { text-align: left; padding: 2px 10px 2px 0; }
.streams .ok { color: var(--vt-ok); }
.streams .bad { color: var(--vt-bad); }
.streams code { font-family: var(--vt-mono); overflow-wrap: anywhere; }
.tabs { display: flex; gap: 4px; padding: 6px 12px 0; border-bottom: 1px solid var(--vt-border); background: var(--vt-subtle); }
.tabs button { border-bottom-left-radius: 0; border-bottom-right-radius: 0; border-bottom: 0; }
.tabs button[aria-selected="true"] { background: var(--vt-bg); font-weight: 600; }
`;

/** The tab bar and the Streams panel, mounted into the viewer's layout. */
export class StreamsTab {
  private readonly panel: HTMLElement;
  private readonly list: HTMLElement;
  private readonly status: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly eventsPanel: HTMLElement[];

  /**
   * Keeps the tab in step with the viewer: mounted when the token carries `streams` (again after
   * the viewer rebuilt its layout), removed when a new token does not.
   */
  static sync(current: StreamsTab | undefined, main: HTMLElement, opts: { token: string; baseUrl: string; scopes: string[]; strings?: Partial<StreamsStrings> }): StreamsTab | undefined {
    const wanted = opts.scopes.includes('streams') && opts.token !== '';
    if (current && (!wanted || current.main !== main || current.token !== opts.token || current.baseUrl !== opts.baseUrl)) current.unmount();
    if (!wanted) return undefined;
    if (current && current.main === main && current.token === opts.token && current.baseUrl === opts.baseUrl) return current;
    return new StreamsTab(main, opts.token, opts.baseUrl, { ...STREAMS_STRINGS, ...opts.strings });
  }

  private constructor(
    private readonly main: HTMLElement,
    private readonly token: string,
    private readonly baseUrl: string,
    private readonly t: StreamsStrings,
  ) {
    // What the events view shows now (the viewer's own tab list stays hidden when it has no tabs).
    this.eventsPanel = ([...main.children] as HTMLElement[]).filter((el) => !el.hidden);
    const eventsId = uid('vt-tab');
    const streamsId = uid('vt-tab');
    const panelId = uid('vt-streams');
    const eventsButton = h('button', { type: 'button', role: 'tab', id: eventsId, 'aria-selected': 'true' }, t.eventsTab);
    const streamsButton = h('button', { type: 'button', role: 'tab', id: streamsId, 'aria-selected': 'false', 'aria-controls': panelId }, t.streamsTab);
    this.tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': `${t.eventsTab} / ${t.streamsTab}` }, eventsButton, streamsButton);
    this.list = h('div', { class: 'list' });
    this.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.panel = h(
      'section',
      { class: 'streams', role: 'tabpanel', id: panelId, 'aria-labelledby': streamsId, hidden: true },
      h('style', {}, CSS),
      h('p', {}, t.intro),
      this.createForm(),
      this.status,
      h('div', {}, h('h3', {}, t.destinations), this.list),
    );
    main.prepend(this.tabs);
    main.append(this.panel);
    const select = (streams: boolean) => {
      eventsButton.setAttribute('aria-selected', String(!streams));
      streamsButton.setAttribute('aria-selected', String(streams));
      for (const el of this.eventsPanel) el.hidden = streams;
      this.panel.hidden = !streams;
      if (streams) void this.refresh();
    };
    eventsButton.addEventListener('click', () => select(false));
    streamsButton.addEventListener('click', () => select(true));
    this.tabs.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      const next = (e.target as HTMLElement) === eventsButton ? streamsButton : eventsButton;
      next.focus();
      select(next === streamsButton);
    });
  }

  private unmount(): void {
    this.tabs.remove();
    this.panel.remove();
    for (const el of this.eventsPanel) el.hidden = false;
  }

  // ------------------------------------------------------------------ API

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        credentials: 'omit',
        headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch {
      throw new StreamsError('network');
    }
    if (res.status === 204) return undefined as T;
    const json = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    if (!res.ok) throw new StreamsError(json.error?.code ?? `http_${res.status}`);
    return json as T;
  }

  private say(text: string, bad = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('bad', bad);
  }

  private fail(err: unknown): void {
    const code = err instanceof StreamsError ? err.message : 'error';
    this.say(code === 'streams_forbidden' ? this.t.forbidden : `${this.t.error} (${code})`, true);
  }

  // ------------------------------------------------------------------ UI

  private createForm(): HTMLElement {
    const t = this.t;
    const kind = h('select', { name: 'kind' }, h('option', { value: 'https' }, 'HTTPS'), h('option', { value: 'splunk_hec' }, 'Splunk HEC'), h('option', { value: 'datadog' }, 'Datadog'));
    const url = h('input', { type: 'url', name: 'url', required: true, placeholder: 'https://siem.example.com/hook', autocomplete: 'off' });
    const name = h('input', { type: 'text', name: 'name', maxlength: 128, autocomplete: 'off' });
    const secret = h('input', { type: 'password', name: 'secret', autocomplete: 'off' });
    const secretLabel = h('label', { hidden: true }, t.secretLabel, secret);
    kind.addEventListener('change', () => (secretLabel.hidden = kind.value === 'https'));
    const form = h(
      'form',
      { class: 'new', 'aria-label': t.newDestination },
      h('label', {}, t.kindLabel, kind),
      h('label', {}, t.urlLabel, url),
      h('label', {}, t.nameLabel, name),
      secretLabel,
      h('button', { type: 'submit', class: 'primary' }, t.create),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const body: Record<string, unknown> = { kind: kind.value, url: url.value.trim() };
      if (name.value.trim()) body.name = name.value.trim();
      if (kind.value === 'splunk_hec') body.credentials = { token: secret.value };
      if (kind.value === 'datadog') body.credentials = { api_key: secret.value };
      void this.call<Destination & { secret: string }>('POST', '/v1/webhooks', body)
        .then(async (d) => {
          form.reset();
          secretLabel.hidden = true;
          await this.refresh();
          this.say(`${t.created} ${t.signingSecret}: ${d.secret}`);
        })
        .catch((err) => this.fail(err));
    });
    return h('div', {}, h('h3', {}, t.newDestination), form);
  }

  private async refresh(): Promise<void> {
    try {
      const page = await this.call<{ data: Destination[] }>('GET', '/v1/webhooks?limit=50');
      this.list.replaceChildren(...(page.data.length ? page.data.map((d) => this.destination(d)) : [h('p', {}, this.t.none)]));
      await Promise.all(page.data.map((d) => this.loadDeliveries(d.id)));
    } catch (err) {
      this.list.replaceChildren();
      this.fail(err);
    }
  }

  private destination(d: Destination): HTMLElement {
    const t = this.t;
    const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : t.never);
    const test = h('button', { type: 'button' }, t.sendTest);
    const toggle = h('button', { type: 'button' }, d.status === 'active' ? t.pause : t.resume);
    const remove = h('button', { type: 'button' }, t.remove);
    test.addEventListener('click', () => {
      void this.call<Delivery>('POST', `/v1/webhooks/${encodeURIComponent(d.id)}/test`)
        .then(async (r) => {
          this.say(r.succeeded ? t.testSent : `${t.testFailed}: ${r.error ?? r.response_status ?? ''}`, !r.succeeded);
          await this.loadDeliveries(d.id);
        })
        .catch((err) => this.fail(err));
    });
    toggle.addEventListener('click', () => {
      void this.call('PATCH', `/v1/webhooks/${encodeURIComponent(d.id)}`, { status: d.status === 'active' ? 'paused' : 'active' })
        .then(() => this.refresh())
        .catch((err) => this.fail(err));
    });
    remove.addEventListener('click', () => {
      if (!confirm(t.confirmRemove)) return;
      void this.call('DELETE', `/v1/webhooks/${encodeURIComponent(d.id)}`)
        .then(() => this.refresh())
        .catch((err) => this.fail(err));
    });
    const health = d.health;
    return h(
      'div',
      { class: 'dest', 'data-id': d.id },
      h('div', { class: 'row' }, h('strong', {}, visible(d.name)), h('span', { class: d.status === 'active' ? 'ok' : 'bad' }, d.status), h('span', { class: 'url' }, visible(d.url))),
      h(
        'div',
        { class: 'row status' },
        `${t.lastSuccess}: ${when(health.last_success_at)}`,
        ' · ',
        health.lag_events === 0 ? t.upToDate : t.catchingUp,
        health.last_error ? h('span', { class: 'bad' }, ` · ${t.lastError}: ${visible(health.last_error)}`) : null,
      ),
      h('div', { class: 'row' }, test, toggle, remove),
      h('div', { class: 'deliveries' }),
    );
  }

  private async loadDeliveries(id: string): Promise<void> {
    const t = this.t;
    const box = [...this.list.querySelectorAll<HTMLElement>('.dest')].find((el) => el.dataset.id === id)?.querySelector('.deliveries');
    if (!box) return;
    const page = await this.call<{ data: Delivery[] }>('GET', `/v1/webhooks/${encodeURIComponent(id)}/deliveries?limit=10`);
    if (page.data.length === 0) return void box.replaceChildren(h('p', { class: 'status' }, t.noDeliveries));
    const row = (d: Delivery) =>
      h(
        'tr',
        {},
        h('td', {}, new Date(d.created_at).toLocaleString()),
        h('td', {}, visible(d.kind)),
        h('td', { class: d.succeeded ? 'ok' : 'bad' }, d.succeeded ? t.ok : `${t.failed} ${visible(d.error ?? d.response_status ?? '')}`),
        h('td', {}, `${d.latency_ms} ms`),
      );
    box.replaceChildren(
      h(
        'table',
        {},
        h('caption', { class: 'sr-only' }, t.deliveries),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t.time), h('th', { scope: 'col' }, t.kind), h('th', { scope: 'col' }, t.result), h('th', { scope: 'col' }, t.latency))),
        h('tbody', {}, ...page.data.map(row)),
      ),
    );
  }
}

// Above ~400 lines on purpose: the viewer web component (browser code): its state, feed,
// chips, drawer and badge share one shadow root and one load generation; rendering helpers
// already live in the sibling files.
import { ApiError, tokenExpiry, ViewerApi, type SealStatus, type ViewerEvent } from './api.js';
import { h, uid, visible } from './dom.js';
import { eventDetails } from './drawer.js';
import { relativeTime } from './format.js';
import { HistogramView } from './histogram.js';
import { CHIP_KEYS, checkFilter, listFilters, parseSearch, QUALIFIER_OF, type ChipKey, type Problem } from './query.js';
import { renderRow } from './rows.js';
import { DEFAULT_STRINGS, fill, type ViewerStrings } from './strings.js';
import { STYLES } from './styles.js';
import { registeredTabs, registerTab, type TokenClaims } from './tabs.js';
import { checkEvent, parseKeys, type LocalCheck } from './verify.js';
import { decodeView, encodeView, EMPTY_VIEW, type ViewState } from './view-state.js';
import { StreamsTab } from './streams-tab.js';

/**
 * <veritrail-viewer token="…" base-url="https://audit.example.com" theme="light|dark|auto">
 *
 * A framework-free audit-log viewer: search with qualifiers and removable filter chips, pivots
 * (click an actor, target, IP, action or organization to filter by it), a histogram of volume by
 * outcome that can be brushed to narrow the time range, rows grouped by day, infinite scroll over
 * the API's cursor, an event drawer with everything about the event and copy-as-JSON, export, a
 * "verified" badge, and the view saved in the host page's URL (`view-param`, default `vt`;
 * `view-param=""` leaves the URL alone). It calls the ordinary read API with its viewer token;
 * the server narrows every read to the token's scope.
 * Events: `veritrail-token-expired` (set a fresh `token` attribute to continue),
 * `veritrail-error` (detail.code).
 */

// The origin that served this module is the API unless base-url says otherwise.
const SCRIPT_ORIGIN = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return '';
  }
})();

type Filters = { q?: string; actor_id?: string; action?: string; outcome?: string; ip?: string; target_id?: string; organization_id?: string; from?: string; to?: string };
type Fatal = 'expired' | 'invalid' | 'origin';

let sheet: CSSStyleSheet | undefined;

export class VeritrailViewer extends HTMLElement {
  static observedAttributes = ['token', 'base-url', 'page-size', 'locale', 'checkpoint-keys'];
  /** Buckets the histogram asks for over the range. */
  static histogramBuckets = 60;
  /** Adds a view beside the events (src/viewer/ui/tabs.ts); shown when the token allows it. */
  static registerTab = registerTab;

  /** Replace some or all strings (translations): `el.strings = { title: 'Journal d’audit' }`. */
  set strings(value: Partial<ViewerStrings>) {
    this.t = { ...DEFAULT_STRINGS, ...value };
    if (this.isConnected) this.build();
  }
  get strings(): ViewerStrings {
    return this.t;
  }

  private t: ViewerStrings = { ...DEFAULT_STRINGS };
  private readonly root: ShadowRoot;
  private api: ViewerApi | undefined;
  private filters: Filters = {};
  /** What the user asked for: the URL, the search box, the chips and fields are views of it. */
  private view: ViewState = { ...EMPTY_VIEW, chips: {} };
  private viewRead = false;
  private lastDay: string | undefined;
  private histogram!: HistogramView;
  private clockTimer: ReturnType<typeof setInterval> | undefined;
  private cursor: string | null = null;
  private done = false;
  private loading = false;
  private generation = 0;
  private fatal: Fatal | undefined;
  private readonly events = new Map<string, ViewerEvent>();
  private readonly seals = new Map<string, SealStatus>();
  /** What this browser found checking each event's proof (with `checkpoint-keys` and a token that may read proofs). */
  private readonly local = new Map<string, LocalCheck>();
  private localCheckpoint: number | undefined;
  private checkpoint: number | undefined;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private resealTimer: ReturnType<typeof setTimeout> | undefined;
  private observer: IntersectionObserver | undefined;
  private lastFocus: HTMLElement | undefined;
  /** The Streams tab (streams-tab.ts), while the token carries the streams scope. */
  private streams: StreamsTab | undefined;
  private el!: {
    main: HTMLElement;
    tablist: HTMLElement;
    eventsView: HTMLElement;
    form: HTMLFormElement;
    search: HTMLInputElement;
    actor: HTMLInputElement;
    action: HTMLInputElement;
    from: HTMLInputElement;
    to: HTMLInputElement;
    outcome: HTMLSelectElement;
    showTrail: HTMLInputElement;
    badge: HTMLElement;
    chips: HTMLElement;
    exportBox: HTMLElement;
    format: HTMLSelectElement;
    exportButton: HTMLButtonElement;
    exportStatus: HTMLElement;
    scroll: HTMLElement;
    feed: HTMLElement;
    status: HTMLElement;
    more: HTMLElement;
    drawer: HTMLElement;
  };

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
  }

  connectedCallback(): void {
    if (!this.hasAttribute('theme')) this.setAttribute('theme', 'auto');
    if (!this.viewRead) {
      this.viewRead = true;
      const saved = this.viewParam() && new URLSearchParams(location.search).get(this.viewParam()!);
      if (saved) this.view = decodeView(saved);
    }
    this.build();
    clearInterval(this.clockTimer);
    // Relative times ("5 minutes ago") move on while the page stays open.
    this.clockTimer = setInterval(() => this.refreshTimes(), 30_000);
  }

  disconnectedCallback(): void {
    this.generation++;
    clearTimeout(this.expiryTimer);
    clearTimeout(this.resealTimer);
    clearInterval(this.clockTimer);
    this.observer?.disconnect();
  }

  /** The host page's query parameter holding the view, or undefined when the URL is left alone. */
  private viewParam(): string | undefined {
    const p = this.getAttribute('view-param');
    return p === null ? 'vt' : p || undefined;
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    // An element upgraded with its attributes already set gets these calls before
    // connectedCallback has built anything: build() reads the attributes itself.
    if (!this.isConnected || this.el === undefined || old === value) return;
    if (name === 'token' || name === 'base-url') this.restart();
    else if (name === 'page-size' || name === 'locale' || name === 'checkpoint-keys') this.reload();
  }

  // ------------------------------------------------------------------ layout

  private build(): void {
    const t = this.t;
    if ('adoptedStyleSheets' in this.root) {
      sheet ??= new CSSStyleSheet();
      sheet.replaceSync(STYLES);
      this.root.adoptedStyleSheets = [sheet];
    }
    const searchId = uid('vt-search');
    const titleId = uid('vt-title');
    const search = h('input', { type: 'search', id: searchId, name: 'q', placeholder: t.searchPlaceholder, autocomplete: 'off', maxlength: 512 });
    const chips = h('ul', { class: 'chips', 'aria-label': t.activeFilters, hidden: true });
    const field = (label: string, input: HTMLElement) => h('label', {}, label, input);
    const actor = h('input', { type: 'text', name: 'actor_id', maxlength: 256, autocomplete: 'off' });
    const action = h('input', { type: 'text', name: 'action', maxlength: 128, autocomplete: 'off', placeholder: 'user.*' });
    const from = h('input', { type: 'date', name: 'from' });
    const to = h('input', { type: 'date', name: 'to' });
    const outcome = h(
      'select',
      { name: 'outcome' },
      h('option', { value: '' }, t.outcomeAny),
      h('option', { value: 'success' }, t.outcomeSuccess),
      h('option', { value: 'failure' }, t.outcomeFailure),
      h('option', { value: 'unknown' }, t.outcomeUnknown),
    );
    // Veritrail's own entries (exports, revocations, …) are hidden unless asked for.
    const showTrail = h('input', { type: 'checkbox', name: 'show_trail' });
    const clear = h('button', { type: 'button' }, t.clearFilters);
    const badge = h('span', { class: 'badge', hidden: true });
    const format = h('select', { 'aria-label': t.exportFormatLabel }, h('option', { value: 'csv' }, 'CSV'), h('option', { value: 'ndjson' }, 'NDJSON'));
    const exportButton = h('button', { type: 'button' }, t.exportButton);
    const exportStatus = h('span', { class: 'status', role: 'status' });
    const exportBox = h('div', { class: 'export' }, format, exportButton, exportStatus);
    const form = h(
      'form',
      { role: 'search', 'aria-label': t.searchLabel },
      h('div', { class: 'search' }, h('label', { for: searchId, class: 'sr-only' }, t.searchLabel), chips, search, h('button', { type: 'submit', class: 'primary' }, t.searchButton)),
      h(
        'fieldset',
        { class: 'filters' },
        h('legend', { class: 'sr-only' }, t.filtersLabel),
        field(t.actorLabel, actor),
        field(t.actionLabel, action),
        field(t.fromLabel, from),
        field(t.toLabel, to),
        field(t.outcomeLabel, outcome),
        h('label', { class: 'toggle' }, showTrail, t.showTrailEntries),
        clear,
      ),
    );
    const feed = h('div', { role: 'feed', 'aria-labelledby': titleId, 'aria-busy': 'false' });
    const status = h('div', { class: 'message', role: 'status', 'aria-live': 'polite' });
    const more = h('div', { class: 'more', hidden: true }, h('button', { type: 'button' }, t.loadMore));
    const scroll = h('div', { class: 'scroll' }, feed, status, more);
    const header = h('header', {}, h('h2', { id: titleId }, t.title), badge, h('span', { class: 'spacer' }), exportBox, form);
    this.histogram = new HistogramView(t, (ms, withTime) => this.shortTime(ms, withTime), (lo, hi) => {
      this.view.range = { from: new Date(lo).toISOString(), to: new Date(hi).toISOString() };
      this.applyView();
    });
    const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': t.tabsLabel, hidden: true });
    const eventsView = h('div', { class: 'view', id: uid('vt-panel') }, header, this.histogram.el, scroll);
    const main = h('div', { class: 'root' }, tablist, eventsView);
    const drawer = h('div', { hidden: true });
    this.root.replaceChildren(...(this.root.adoptedStyleSheets?.length ? [] : [h('style', {}, STYLES)]), main, drawer);
    this.el = { main, tablist, eventsView, form, search, chips, actor, action, from, to, outcome, showTrail, badge, exportBox, format, exportButton, exportStatus, scroll, feed, status, more, drawer };
    const v = this.view;
    search.value = v.text;
    actor.value = v.actor;
    action.value = v.action;
    outcome.value = v.outcome;
    from.value = v.from;
    to.value = v.to;
    showTrail.checked = v.trail;

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.applyForm();
    });
    for (const input of [actor, action]) input.addEventListener('change', () => this.applyForm());
    for (const input of [from, to, outcome, showTrail]) input.addEventListener('change', () => this.applyForm());
    clear.addEventListener('click', () => {
      form.reset();
      this.view = { ...EMPTY_VIEW, chips: {} };
      this.applyForm();
    });
    search.addEventListener('keydown', (e) => {
      // Backspace in an empty box removes the last chip, as in most chip inputs.
      if (e.key === 'Backspace' && search.value === '' && !search.selectionStart) {
        const last = [...this.chipList()].pop();
        if (last) this.removeChip(last[0]);
      }
    });
    chips.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest('button');
      if (b?.dataset.chip) this.removeChip(b.dataset.chip as ChipKey | 'range');
    });
    exportButton.addEventListener('click', () => void this.exportNow());
    more.firstElementChild!.addEventListener('click', () => void this.loadPage());
    feed.addEventListener('keydown', (e) => this.onFeedKey(e));
    feed.addEventListener('click', (e) => {
      const target = e.target as HTMLElement;
      const p = target.closest<HTMLElement>('button.pivot');
      if (p) return this.pivot(p.dataset.pivot as ChipKey, p.dataset.value!);
      const article = target.closest('article');
      if (article) void this.openDetails(article);
    });
    drawer.addEventListener('click', (e) => {
      const p = (e.target as HTMLElement).closest<HTMLElement>('button.pivot');
      if (p) this.pivot(p.dataset.pivot as ChipKey, p.dataset.value!);
    });
    this.observer?.disconnect();
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((en) => en.isIntersecting)) void this.loadPage();
    }, { root: scroll, rootMargin: '300px' });
    this.observer.observe(more);
    this.computeFilters();
    this.restart();
  }

  // ------------------------------------------------------------------ data

  private restart(): void {
    clearTimeout(this.expiryTimer);
    this.fatal = undefined;
    const token = this.getAttribute('token') ?? '';
    const base = (this.getAttribute('base-url') ?? SCRIPT_ORIGIN).replace(/\/+$/, '');
    this.api = token ? new ViewerApi(base, token) : undefined;
    this.el.exportBox.hidden = !scopesOf(token).includes('exports');
    // Streams tab (self-service destinations, streams-tab.ts): only with the streams scope.
    this.streams = StreamsTab.sync(this.streams, this.el.main, { token, baseUrl: base, scopes: scopesOf(token) });
    const exp = tokenExpiry(token);
    if (exp !== undefined) this.expiryTimer = setTimeout(() => this.fail('expired'), Math.max(0, Math.min(exp - Date.now(), 2 ** 31 - 1)));
    this.renderTabs(claimsOf(token));
    this.reload();
  }

  // ------------------------------------------------------------------ tabs

  private tabGeneration = 0;

  /** A tab list (Events + the registered tabs this token may use), or none when there are none. */
  private renderTabs(claims: TokenClaims): void {
    const { tablist, eventsView, main } = this.el;
    const gen = ++this.tabGeneration;
    main.querySelectorAll('.tab-panel').forEach((p) => p.remove());
    const tabs = this.api ? registeredTabs().filter((x) => x.available(claims)) : [];
    tablist.hidden = tabs.length === 0;
    eventsView.hidden = false;
    if (tabs.length === 0) {
      tablist.replaceChildren();
      eventsView.removeAttribute('role');
      eventsView.removeAttribute('aria-labelledby');
      return;
    }
    const entries = [{ id: 'events', label: this.t.eventsTab, panel: eventsView, render: undefined as undefined | ((p: HTMLElement) => void | Promise<void>) }].concat(
      tabs.map((tab) => ({
        id: tab.id,
        label: tab.label(this.t),
        panel: h('div', { class: 'view tab-panel', id: uid('vt-panel'), hidden: true }),
        render: (p: HTMLElement) => tab.render(p, { api: this.api!, strings: this.t, claims, locale: this.getAttribute('locale') ?? undefined, live: () => gen === this.tabGeneration && this.isConnected }),
      })),
    );
    const rendered = new Set<string>(['events']);
    const buttons = entries.map((e) => {
      const b = h('button', { type: 'button', role: 'tab', id: uid('vt-tab'), 'aria-controls': e.panel.id, 'data-tab': e.id }, e.label);
      e.panel.setAttribute('role', 'tabpanel');
      e.panel.setAttribute('aria-labelledby', b.id);
      return b;
    });
    const select = (i: number, focus = false) => {
      entries.forEach((e, j) => {
        buttons[j]!.setAttribute('aria-selected', String(i === j));
        buttons[j]!.tabIndex = i === j ? 0 : -1;
        e.panel.hidden = i !== j;
      });
      const e = entries[i]!;
      if (!rendered.has(e.id) && e.render) {
        rendered.add(e.id);
        void e.render(e.panel);
      }
      if (focus) buttons[i]!.focus();
    };
    tablist.replaceChildren(...buttons);
    main.append(...entries.slice(1).map((e) => e.panel));
    buttons.forEach((b, i) => b.addEventListener('click', () => select(i)));
    tablist.onkeydown = (e) => {
      const i = buttons.indexOf(this.root.activeElement as HTMLButtonElement);
      if (i < 0) return;
      const n = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : undefined;
      if (n === undefined) return;
      e.preventDefault();
      select((n + buttons.length) % buttons.length, true);
    };
    select(0);
  }

  private reload(): void {
    this.generation++;
    this.cursor = null;
    this.done = false;
    this.loading = false;
    this.events.clear();
    this.seals.clear();
    this.local.clear();
    this.localCheckpoint = undefined;
    this.checkpoint = undefined;
    clearTimeout(this.resealTimer);
    this.el.feed.replaceChildren();
    this.lastDay = undefined;
    this.renderBadge();
    this.renderChips();
    void this.loadPage();
    void this.loadHistogram(this.generation);
  }

  /** The search box and fields into the view: qualifiers typed in the box become chips. */
  private applyForm(): void {
    const e = this.el;
    const parsed = parseSearch(e.search.value);
    if (!parsed.ok) return this.invalid(parsed.problem);
    const fieldAction = e.action.value.trim().toLowerCase();
    if (fieldAction && !checkFilter('action', fieldAction).ok) return this.invalid('bad_action');
    const { q, ...qualifiers } = parsed.query;
    const v = this.view;
    Object.assign(v.chips, qualifiers);
    v.text = q ?? '';
    e.search.value = v.text;
    v.actor = e.actor.value.trim();
    v.action = fieldAction;
    v.outcome = e.outcome.value;
    // A date typed in a field replaces a brushed range.
    if (e.from.value !== v.from || e.to.value !== v.to) v.range = undefined;
    v.from = e.from.value;
    v.to = e.to.value;
    v.trail = e.showTrail.checked;
    this.applyView();
  }

  private invalid(problem: Problem): void {
    const t = this.t;
    this.message(fill(t.invalidQuery, { detail: problem === 'bad_action' ? t.badAction : problem === 'bad_ip' ? t.badIp : t.badOutcome }), true);
  }

  /** The view into the filters the API gets (chips win over the fields), saved in the URL. */
  private computeFilters(): void {
    const v = this.view;
    const f: Filters = {};
    if (v.text) f.q = v.text.slice(0, 256);
    const actor = v.chips.actor_id ?? v.actor;
    const action = v.chips.action ?? v.action;
    const outcome = v.chips.outcome ?? v.outcome;
    if (actor) f.actor_id = actor;
    if (action) f.action = action;
    if (outcome) f.outcome = outcome;
    for (const k of ['ip', 'target_id', 'organization_id'] as const) if (v.chips[k]) f[k] = v.chips[k];
    if (v.range) {
      f.from = v.range.from;
      f.to = v.range.to;
    } else {
      // Dates are the viewer's local days: from midnight to the next midnight.
      if (v.from) f.from = localDay(v.from, 0);
      if (v.to) f.to = localDay(v.to, 1);
    }
    this.filters = f;
  }

  private applyView(): void {
    this.computeFilters();
    const param = this.viewParam();
    if (param) {
      try {
        const url = new URL(location.href);
        const saved = encodeView(this.view);
        if (saved) url.searchParams.set(param, saved);
        else url.searchParams.delete(param);
        if (url.href !== location.href) history.replaceState(history.state, '', url.href);
      } catch {
        // a sandboxed page without history: the view is not saved
      }
    }
    this.reload();
  }

  /** A click on an actor, target, IP, action or organization: filter by it. */
  private pivot(key: ChipKey, value: string): void {
    const checked = CHIP_KEYS.includes(key) ? checkFilter(key, value) : undefined;
    if (!checked?.ok) return;
    this.view.chips[key] = checked.value;
    this.closeDetails();
    this.applyView();
    this.el.search.focus();
  }

  private removeChip(key: ChipKey | 'range'): void {
    if (key === 'range') this.view.range = undefined;
    else delete this.view.chips[key];
    this.applyView();
    this.el.search.focus();
  }

  private chipList(): [ChipKey | 'range', string][] {
    const v = this.view;
    const out: [ChipKey | 'range', string][] = CHIP_KEYS.filter((k) => v.chips[k]).map((k) => [k, `${QUALIFIER_OF[k]}:${v.chips[k]}`]);
    if (v.range) {
      const withTime = true;
      out.push(['range', `${this.t.timeRange}:${this.shortTime(Date.parse(v.range.from), withTime)} – ${this.shortTime(Date.parse(v.range.to), withTime)}`]);
    }
    return out;
  }

  private renderChips(): void {
    const list = this.chipList();
    this.el.chips.replaceChildren(
      ...list.map(([key, label]) =>
        h('li', { class: 'chip', 'data-key': key }, h('span', {}, visible(label)), h('button', { type: 'button', 'data-chip': key, 'aria-label': fill(this.t.removeFilter, { filter: visible(label) }), title: fill(this.t.removeFilter, { filter: visible(label) }) }, '×')),
      ),
    );
    this.el.chips.hidden = list.length === 0;
  }

  private async loadHistogram(gen: number): Promise<void> {
    if (!this.api || this.fatal) return this.histogram.clear();
    const { limit: _l, ...params } = { ...this.query(), limit: '' } as Record<string, string>;
    params.buckets = String(VeritrailViewer.histogramBuckets);
    try {
      const data = await this.api.histogram(params);
      if (gen !== this.generation) return;
      if (data.buckets.length === 0) this.histogram.clear();
      else this.histogram.render(data);
    } catch (err) {
      if (gen !== this.generation) return;
      this.histogram.clear();
      if (err instanceof ApiError && (err.status === 401 || err.code === 'origin_not_allowed')) this.handleError(err);
    }
  }

  private shortTime(ms: number, withTime: boolean): string {
    return new Intl.DateTimeFormat(this.getAttribute('locale') ?? undefined, withTime ? { dateStyle: 'short', timeStyle: 'short' } : { dateStyle: 'medium' }).format(ms);
  }

  private localText(id: string): string | undefined {
    const l = this.local.get(id);
    return l ? (l.ok ? this.t.checkedHere : `${this.t.notVerified} (${l.reason})`) : undefined;
  }

  private refreshTimes(): void {
    const now = Date.now();
    const locale = this.getAttribute('locale') ?? undefined;
    this.el?.feed.querySelectorAll<HTMLElement>('.rel').forEach((el) => (el.textContent = relativeTime(Number(el.dataset.ms), now, locale)));
  }

  /** The filters as sent: what the list shows is what an export contains. */
  private query(): Filters & { exclude_action?: string } {
    return listFilters(this.filters, this.el.showTrail.checked);
  }

  private async loadPage(): Promise<void> {
    if (!this.api || this.loading || this.done || this.fatal) {
      if (!this.api && !this.fatal) this.fail('invalid');
      return;
    }
    const gen = this.generation;
    let failed = false;
    this.loading = true;
    this.el.feed.setAttribute('aria-busy', 'true');
    if (this.events.size === 0) this.message(this.t.loading);
    const size = Math.min(Math.max(Number(this.getAttribute('page-size')) || 50, 1), 200);
    const params: Record<string, string> = { ...this.query(), limit: String(size), include: 'client' } as Record<string, string>;
    if (this.cursor) params.cursor = this.cursor;
    const locale = this.displayLocale();
    if (locale) params.locale = locale;
    try {
      const page = await this.api.listEvents(params);
      if (gen !== this.generation) return;
      this.cursor = page.next_cursor;
      this.done = page.next_cursor === null;
      const fresh = page.data.filter((ev) => !this.events.has(ev.id));
      for (const ev of fresh) this.events.set(ev.id, ev);
      this.el.feed.append(...fresh.map((ev) => this.row(ev)));
      this.el.feed.querySelectorAll('article').forEach((a, i) => a.setAttribute('aria-posinset', String(i + 1)));
      this.message(this.events.size === 0 ? this.t.empty : this.done ? this.t.endOfList : '');
      void this.verify(fresh.map((ev) => ev.id), gen);
    } catch (err) {
      failed = true;
      if (gen === this.generation) this.handleError(err);
    } finally {
      if (gen === this.generation) {
        this.loading = false;
        this.el.feed.setAttribute('aria-busy', 'false');
        // Nothing to load more of on an empty list, and after an error the message offers a retry instead.
        this.el.more.hidden = this.done || !!this.fatal || failed || this.events.size === 0;
        // An observer reports changes only: when the end of the list is still (or again) in view
        // once this page is in — the reader scrolled to the new bottom before the next frame was
        // laid out — no change is ever reported and the list would stop growing. Observing
        // afresh reports the current state, so the next page follows.
        if (!this.el.more.hidden && this.observer) {
          this.observer.unobserve(this.el.more);
          this.observer.observe(this.el.more);
        }
      }
    }
  }

  private async verify(ids: string[], gen: number, round = 0): Promise<void> {
    if (!this.api || ids.length === 0) return;
    try {
      const r = await this.api.verify(ids.slice(0, 100));
      if (gen !== this.generation) return;
      if (r.checkpoint) this.checkpoint = r.checkpoint.number;
      for (const e of r.events) {
        this.seals.set(e.id, e.status);
        const mark = this.el.feed.querySelector(`article[data-id="${e.id}"] .seal`);
        if (mark) this.sealMark(mark as HTMLElement, e.status);
      }
      this.renderBadge();
      void this.checkLocally(r.events.filter((e) => e.status === 'verified' || e.status === 'failed').map((e) => e.id), gen);
      const pending = r.events.filter((e) => e.status === 'unsealed').map((e) => e.id);
      // Fresh events are sealed within seconds: look again a few times.
      if (pending.length && round < 3) this.resealTimer = setTimeout(() => void this.verify(pending, gen, round + 1), 8000);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.code === 'origin_not_allowed')) this.handleError(err);
    }
  }

  /**
   * Checks sealed events in this browser — proof, checkpoint signature against the pinned keys,
   * event against its seal — when the page pins keys and the token may read proofs.
   */
  private async checkLocally(ids: string[], gen: number): Promise<void> {
    const keys = parseKeys(this.getAttribute('checkpoint-keys'));
    if (!this.api || keys.length === 0 || claimsOf(this.getAttribute('token') ?? '').prf !== true) return;
    const queue = ids.filter((id) => !this.local.has(id));
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const ev = this.events.get(id);
        if (!ev || !this.api) continue;
        let result: LocalCheck;
        try {
          result = await checkEvent(ev as unknown as Record<string, unknown>, await this.api.proof(id), keys);
        } catch (err) {
          if (err instanceof ApiError && (err.status === 401 || err.code === 'origin_not_allowed')) return this.handleError(err);
          continue; // not sealed yet, or not allowed: the server's word stands
        }
        if (gen !== this.generation) return;
        this.local.set(id, result);
        if (result.ok) this.localCheckpoint = Math.max(this.localCheckpoint ?? 0, result.checkpoint);
        const mark = this.el.feed.querySelector(`article[data-id="${id}"] .seal`);
        if (mark) this.sealMark(mark as HTMLElement, this.seals.get(id), result);
        this.renderBadge();
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }

  private handleError(err: unknown): void {
    const e = err instanceof ApiError ? err : new ApiError(0, 'network');
    if (e.code === 'token_expired') this.fail('expired');
    else if (e.status === 401) this.fail('invalid');
    else if (e.code === 'origin_not_allowed') this.fail('origin');
    else {
      this.message(this.t.error, true, true);
      this.emit('veritrail-error', { code: e.code });
    }
  }

  private fail(kind: Fatal): void {
    if (this.fatal) return;
    this.fatal = kind;
    this.generation++;
    clearTimeout(this.resealTimer);
    this.closeDetails();
    this.el.feed.replaceChildren();
    this.el.more.hidden = true;
    this.el.badge.hidden = true;
    this.el.exportBox.hidden = true;
    this.histogram.clear();
    // Back to the events view, where the message is; no tab outlives its token.
    this.tabGeneration++;
    this.el.main.querySelectorAll('.tab-panel').forEach((p) => p.remove());
    this.el.tablist.hidden = true;
    this.el.eventsView.hidden = false;
    this.message(kind === 'expired' ? this.t.expired : kind === 'origin' ? this.t.originNotAllowed : this.t.invalidToken, true);
    this.el.status.setAttribute('data-state', kind);
    this.emit(kind === 'expired' ? 'veritrail-token-expired' : 'veritrail-error', { code: kind });
  }

  private message(text: string, error = false, retry = false): void {
    const s = this.el.status;
    s.className = error ? 'message error' : 'message';
    s.removeAttribute('data-state');
    s.replaceChildren(text);
    if (retry) {
      const b = h('button', { type: 'button' }, this.t.retry);
      b.addEventListener('click', () => this.reload());
      s.append(' ', b);
    }
    s.hidden = text === '';
  }

  private emit(type: string, detail: Record<string, unknown>): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  // ------------------------------------------------------------------ rows and badge

  private row(ev: ViewerEvent): HTMLElement {
    const seal = h('span', { class: 'seal' });
    this.sealMark(seal, this.seals.get(ev.id));
    const row = renderRow(ev, { t: this.t, locale: this.getAttribute('locale') ?? undefined, now: Date.now(), previousDay: this.lastDay, seal });
    this.lastDay = row.dataset.day || this.lastDay;
    return row;
  }

  /** The locale attribute when the API accepts it as a display locale (de, pt-BR), else none. */
  private displayLocale(): string | undefined {
    const l = this.getAttribute('locale') ?? undefined;
    return l && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/.test(l) ? l : undefined;
  }

  private sealMark(el: HTMLElement, status: SealStatus | undefined, local = el.closest<HTMLElement>('article') ? this.local.get(el.closest<HTMLElement>('article')!.dataset.id!) : undefined): void {
    const t = this.t;
    // The browser's own finding wins over the server's word.
    const state = local ? (local.ok ? 'verified' : 'failed') : status;
    el.className = `seal ${state ?? ''}${local ? ' local' : ''}`;
    const label =
      local && !local.ok ? `${t.eventFailed} (${t.notVerified})` : state === 'verified' ? (local ? `${t.eventVerified} (${t.checkedHere})` : t.eventVerified) : state === 'failed' ? t.eventFailed : state === 'unsealed' ? t.eventUnsealed : '';
    el.textContent = state === 'verified' ? '✓' : state === 'failed' ? '✗' : state === 'unsealed' ? '…' : '';
    if (label) {
      el.setAttribute('title', label);
      el.setAttribute('role', 'img');
      el.setAttribute('aria-label', label);
    }
  }

  private renderBadge(): void {
    const b = this.el.badge;
    const values = [...this.seals.values()];
    const failed = values.filter((s) => s === 'failed').length;
    const verified = values.filter((s) => s === 'verified').length;
    const unsealed = values.filter((s) => s === 'unsealed').length;
    b.hidden = failed + verified + unsealed === 0;
    const local = [...this.local.values()];
    const notVerified = local.filter((l) => !l.ok).length;
    b.removeAttribute('data-local');
    if (notVerified) {
      b.className = 'badge bad';
      b.textContent = `✗ ${this.t.notVerifiedBadge}`;
      b.title = fill(this.t.notVerifiedBadgeTitle, { n: notVerified });
      b.setAttribute('data-state', 'not-verified');
      b.setAttribute('data-local', 'true');
      return;
    }
    if (!failed && verified && local.length >= verified) {
      b.className = 'badge ok';
      b.textContent = `✓ ${this.t.localVerifiedBadge}`;
      b.title = fill(this.t.localVerifiedBadgeTitle, { n: this.localCheckpoint ?? '' });
      b.setAttribute('data-state', 'verified');
      b.setAttribute('data-local', 'true');
      return;
    }
    if (failed) {
      b.className = 'badge bad';
      b.textContent = `✗ ${this.t.tamperedBadge}`;
      b.title = fill(this.t.tamperedBadgeTitle, { n: failed });
    } else if (verified) {
      b.className = 'badge ok';
      b.textContent = `✓ ${this.t.verifiedBadge}`;
      b.title = fill(this.t.verifiedBadgeTitle, { n: this.checkpoint ?? '' });
    } else {
      b.className = 'badge warn';
      b.textContent = this.t.sealingBadge;
      b.title = this.t.sealingBadgeTitle;
    }
    b.setAttribute('data-state', failed ? 'failed' : verified ? 'verified' : 'unsealed');
  }

  private time(iso: string | undefined): string {
    if (!iso) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return visible(iso);
    return new Intl.DateTimeFormat(this.getAttribute('locale') ?? undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
  }

  // ------------------------------------------------------------------ keyboard

  private onFeedKey(e: KeyboardEvent): void {
    const current = (e.target as HTMLElement).closest('article');
    if (!current) return;
    const all = [...this.el.feed.querySelectorAll('article')];
    const i = all.indexOf(current);
    let next: HTMLElement | undefined;
    if (e.key === 'ArrowDown' || e.key === 'PageDown') next = all[i + 1];
    else if (e.key === 'ArrowUp' || e.key === 'PageUp') next = all[i - 1];
    else if (e.key === 'Home') next = all[0];
    else if (e.key === 'End') next = all[all.length - 1];
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      void this.openDetails(current);
      return;
    } else return;
    e.preventDefault();
    next?.focus();
    if (all.length - all.indexOf(next ?? current) <= 5) void this.loadPage();
  }

  // ------------------------------------------------------------------ details drawer

  private async openDetails(article: HTMLElement): Promise<void> {
    const id = article.dataset.id!;
    let ev = this.events.get(id);
    if (!ev || !this.api) return;
    this.lastFocus = article;
    try {
      ev = await this.api.getEvent(id, this.displayLocale()); // an audited read of the one event
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.code === 'origin_not_allowed')) return this.handleError(err);
    }
    this.renderDrawer(ev);
  }

  private renderDrawer(ev: ViewerEvent): void {
    const t = this.t;
    const titleId = uid('vt-dlg');
    const close = h('button', { type: 'button', 'aria-label': t.close }, '✕');
    const json = JSON.stringify(ev, null, 2);
    const copy = h('button', { type: 'button', class: 'copy' }, t.copyJson);
    const copyStatus = h('span', { class: 'status', role: 'status' });
    const body = h('div', { class: 'body' });
    body.append(...eventDetails(ev, { t, locale: this.getAttribute('locale') ?? undefined, now: Date.now(), seal: this.seals.get(ev.id), localCheck: this.localText(ev.id), time: (iso) => this.time(iso) }));
    copy.addEventListener('click', () => {
      const done = (ok: boolean) => {
        copyStatus.textContent = ok ? t.copied : t.copyFailed;
        if (!ok && !body.querySelector('textarea')) body.append(h('textarea', { readonly: true, 'aria-label': t.copyJson, rows: 12, class: 'json' }, json));
      };
      navigator.clipboard?.writeText(json).then(() => done(true), () => done(false)) ?? done(false);
    });
    const dialog = h(
      'div',
      { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId },
      h('div', { class: 'head' }, h('h3', { id: titleId }, visible(ev.display?.message ?? ev.action)), copyStatus, copy, close),
      body,
    );
    const backdrop = h('div', { class: 'backdrop' });
    const drawer = this.el.drawer;
    drawer.replaceChildren(backdrop, dialog);
    drawer.hidden = false;
    this.el.main.setAttribute('inert', '');
    this.el.main.setAttribute('aria-hidden', 'true');
    close.addEventListener('click', () => this.closeDetails());
    backdrop.addEventListener('click', () => this.closeDetails());
    dialog.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.closeDetails();
      } else if (e.key === 'Tab') {
        // Focus stays in the dialog.
        const focusable = [close, ...dialog.querySelectorAll<HTMLElement>('a[href], button, [tabindex="0"]')].filter((x, i, a) => a.indexOf(x) === i);
        const first = focusable[0]!;
        const last = focusable[focusable.length - 1]!;
        if (e.shiftKey && this.root.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && this.root.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }
    });
    close.focus();
  }

  private closeDetails(): void {
    const drawer = this.el?.drawer;
    if (!drawer || drawer.hidden) return;
    drawer.hidden = true;
    drawer.replaceChildren();
    this.el.main.removeAttribute('inert');
    this.el.main.removeAttribute('aria-hidden');
    this.lastFocus?.focus();
  }

  // ------------------------------------------------------------------ export

  private async exportNow(): Promise<void> {
    if (!this.api) return;
    const { exportButton: button, exportStatus: status, format } = this.el;
    const gen = this.generation;
    button.disabled = true;
    status.replaceChildren(this.t.exportPreparing);
    try {
      let job = await this.api.createExport({ format: format.value, ...this.query() });
      for (let i = 0; i < 600 && (job.status === 'queued' || job.status === 'running'); i++) {
        await new Promise((r) => setTimeout(r, Math.min(500 + i * 100, 2000)));
        if (gen !== this.generation && this.fatal) return;
        job = await this.api.getExport(job.id);
      }
      if (job.status !== 'succeeded' || !job.download_link) throw new ApiError(0, 'export_failed');
      const link = h('a', { href: job.download_link.url, download: '', rel: 'noopener' }, this.t.exportDownload);
      status.replaceChildren(`${this.t.exportReady} `, link);
      link.click();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.code === 'origin_not_allowed')) this.handleError(err);
      else status.replaceChildren(this.t.exportFailed);
    } finally {
      button.disabled = false;
    }
  }
}

function claimsOf(token: string): { scp?: unknown; prf?: unknown } {
  try {
    return JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { scp?: unknown; prf?: unknown };
  } catch {
    return {};
  }
}

function localDay(value: string, plusDays: number): string {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
}

function scopesOf(token: string): string[] {
  const scp = claimsOf(token).scp;
  return Array.isArray(scp) ? (scp as string[]) : [];
}

if (!customElements.get('veritrail-viewer')) customElements.define('veritrail-viewer', VeritrailViewer);

declare global {
  interface HTMLElementTagNameMap {
    'veritrail-viewer': VeritrailViewer;
  }
}

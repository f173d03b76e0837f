import { ApiError, tokenExpiry, ViewerApi, type SealStatus, type ViewerEvent } from './api.js';
import { actorLabel } from './actor-label.js';
import { h, uid, visible } from './dom.js';
import { listFilters, parseSearch } from './query.js';
import { DEFAULT_STRINGS, fill, type ViewerStrings } from './strings.js';
import { STYLES } from './styles.js';
import { StreamsTab } from './streams-tab.js';

/**
 * <veritrail-viewer token="…" base-url="https://audit.example.com" theme="light|dark|auto">
 *
 * A framework-free audit-log viewer: search, filters, infinite scroll over the API's cursor,
 * an event drawer with a before/after diff, export, and a "verified" badge. It calls the
 * ordinary read API with its viewer token; the server narrows every read to the token's scope.
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

type Filters = { q?: string; actor_id?: string; action?: string; outcome?: string; from?: string; to?: string };
type Fatal = 'expired' | 'invalid' | 'origin';

let sheet: CSSStyleSheet | undefined;

export class VeritrailViewer extends HTMLElement {
  static observedAttributes = ['token', 'base-url', 'page-size', 'locale'];

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
  private cursor: string | null = null;
  private done = false;
  private loading = false;
  private generation = 0;
  private fatal: Fatal | undefined;
  private readonly events = new Map<string, ViewerEvent>();
  private readonly seals = new Map<string, SealStatus>();
  private checkpoint: number | undefined;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private resealTimer: ReturnType<typeof setTimeout> | undefined;
  private observer: IntersectionObserver | undefined;
  private lastFocus: HTMLElement | undefined;
  /** The Streams tab (streams-tab.ts), while the token carries the streams scope. */
  private streams: StreamsTab | undefined;
  private el!: {
    main: HTMLElement;
    form: HTMLFormElement;
    search: HTMLInputElement;
    actor: HTMLInputElement;
    action: HTMLInputElement;
    from: HTMLInputElement;
    to: HTMLInputElement;
    outcome: HTMLSelectElement;
    showTrail: HTMLInputElement;
    badge: HTMLElement;
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
    this.build();
  }

  disconnectedCallback(): void {
    this.generation++;
    clearTimeout(this.expiryTimer);
    clearTimeout(this.resealTimer);
    this.observer?.disconnect();
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    // An element upgraded with its attributes already set gets these calls before
    // connectedCallback has built anything: build() reads the attributes itself.
    if (!this.isConnected || this.el === undefined || old === value) return;
    if (name === 'token' || name === 'base-url') this.restart();
    else if (name === 'page-size' || name === 'locale') this.reload();
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
      h('div', { class: 'search' }, h('label', { for: searchId, class: 'sr-only' }, t.searchLabel), search, h('button', { type: 'submit', class: 'primary' }, t.searchButton)),
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
    const main = h('div', { class: 'root' }, header, scroll);
    const drawer = h('div', { hidden: true });
    this.root.replaceChildren(...(this.root.adoptedStyleSheets?.length ? [] : [h('style', {}, STYLES)]), main, drawer);
    this.el = { main, form, search, actor, action, from, to, outcome, showTrail, badge, exportBox, format, exportButton, exportStatus, scroll, feed, status, more, drawer };

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.applyForm();
    });
    for (const input of [actor, action]) input.addEventListener('change', () => this.applyForm());
    for (const input of [from, to, outcome, showTrail]) input.addEventListener('change', () => this.applyForm());
    clear.addEventListener('click', () => {
      form.reset();
      this.applyForm();
    });
    exportButton.addEventListener('click', () => void this.exportNow());
    more.firstElementChild!.addEventListener('click', () => void this.loadPage());
    feed.addEventListener('keydown', (e) => this.onFeedKey(e));
    feed.addEventListener('click', (e) => {
      const article = (e.target as HTMLElement).closest('article');
      if (article) void this.openDetails(article);
    });
    this.observer?.disconnect();
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((en) => en.isIntersecting)) void this.loadPage();
    }, { root: scroll, rootMargin: '300px' });
    this.observer.observe(more);
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
    this.reload();
  }

  private reload(): void {
    this.generation++;
    this.cursor = null;
    this.done = false;
    this.loading = false;
    this.events.clear();
    this.seals.clear();
    this.checkpoint = undefined;
    clearTimeout(this.resealTimer);
    this.el.feed.replaceChildren();
    this.renderBadge();
    void this.loadPage();
  }

  private applyForm(): void {
    const e = this.el;
    const parsed = parseSearch(e.search.value);
    if (!parsed.ok) {
      this.message(fill(this.t.invalidQuery, { detail: parsed.problem === 'bad_action' ? this.t.badAction : this.t.outcomeLabel }), true);
      return;
    }
    // Qualifiers stay in the search box (clearing the box drops them) and win over the
    // filter fields while they are there; the fields are never rewritten behind the user's back.
    const fieldAction = e.action.value.trim().toLowerCase();
    if (fieldAction && !parseSearch(`action:${fieldAction}`).ok) {
      this.message(fill(this.t.invalidQuery, { detail: this.t.badAction }), true);
      return;
    }
    const f: Filters = {};
    if (parsed.query.q) f.q = parsed.query.q;
    const actor = parsed.query.actor_id ?? e.actor.value.trim();
    const action = parsed.query.action ?? fieldAction;
    const outcome = parsed.query.outcome ?? e.outcome.value;
    if (actor) f.actor_id = actor;
    if (action) f.action = action;
    if (outcome) f.outcome = outcome;
    // Dates are the viewer's local days: from midnight to the next midnight.
    if (e.from.value) f.from = localDay(e.from.value, 0);
    if (e.to.value) f.to = localDay(e.to.value, 1);
    this.filters = f;
    this.reload();
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
    const params: Record<string, string> = { ...this.query(), limit: String(size) } as Record<string, string>;
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
      const pending = r.events.filter((e) => e.status === 'unsealed').map((e) => e.id);
      // Fresh events are sealed within seconds: look again a few times.
      if (pending.length && round < 3) this.resealTimer = setTimeout(() => void this.verify(pending, gen, round + 1), 8000);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.code === 'origin_not_allowed')) this.handleError(err);
    }
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
    const labelId = uid('vt-ev');
    const failed = ev.outcome === 'failure';
    const who = [actorLabel(ev.actor, this.t), ev.targets?.length ? `→ ${ev.targets.map((x) => x.name ?? x.id).join(', ')}` : ''].filter(Boolean).join(' ');
    const seal = h('span', { class: 'seal' });
    this.sealMark(seal, this.seals.get(ev.id));
    return h(
      'article',
      { tabindex: 0, 'aria-labelledby': labelId, 'aria-setsize': -1, 'data-id': ev.id },
      h('span', { class: 'time' }, this.time(ev.occurred_at)),
      // The display message is text (never markup); the action stays visible as its title.
      h('span', { class: `action${failed ? ' outcome-failure' : ''}`, id: labelId, title: ev.display ? ev.action : undefined, 'data-action': ev.action }, visible(ev.display?.message ?? ev.action)),
      h('span', { class: 'who' }, visible(who)),
      h('span', { class: 'marks' }, failed ? h('span', { class: 'pill failure' }, this.t.outcomeFailure) : null, seal),
    );
  }

  /** The locale attribute when the API accepts it as a display locale (de, pt-BR), else none. */
  private displayLocale(): string | undefined {
    const l = this.getAttribute('locale') ?? undefined;
    return l && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/.test(l) ? l : undefined;
  }

  private sealMark(el: HTMLElement, status: SealStatus | undefined): void {
    el.className = `seal ${status ?? ''}`;
    const label = status === 'verified' ? this.t.eventVerified : status === 'failed' ? this.t.eventFailed : status === 'unsealed' ? this.t.eventUnsealed : '';
    el.textContent = status === 'verified' ? '✓' : status === 'failed' ? '✗' : status === 'unsealed' ? '…' : '';
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
    const body = h('div', { class: 'body' });
    const dl = (rows: [string, unknown][]) =>
      h('dl', {}, ...rows.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, visible(v))]));
    const seal = this.seals.get(ev.id);
    body.append(
      dl([
        // Under a display message the action code stays readable in the drawer.
        [t.actionLabel, ev.display ? ev.action : undefined],
        [t.occurredAt, this.time(ev.occurred_at)],
        [t.receivedAt, this.time(ev.received_at)],
        [t.outcome, ev.outcome],
        [t.organization, ev.organization_id],
        [t.eventId, ev.id],
        [t.integrity, seal === 'verified' ? t.eventVerified : seal === 'failed' ? t.eventFailed : seal === 'unsealed' ? t.eventUnsealed : undefined],
      ]),
    );
    if (ev.changes?.length) {
      body.append(
        h('h4', {}, t.changes),
        h(
          'table',
          {},
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t.field), h('th', { scope: 'col' }, t.before), h('th', { scope: 'col' }, t.after))),
          h(
            'tbody',
            {},
            ...ev.changes.map((c) => {
              const same = JSON.stringify(c.before) === JSON.stringify(c.after);
              const cell = (v: unknown, cls: string) => h('td', { class: same ? 'same' : cls }, h('pre', {}, v === undefined || v === null ? t.empty_value : visible(v)));
              return h('tr', {}, h('th', { scope: 'row' }, h('code', {}, visible(c.field))), cell(c.before, 'before'), cell(c.after, 'after'));
            }),
          ),
        ),
      );
    }
    body.append(h('h4', {}, t.actor), dl([['type', ev.actor?.type], ['id', ev.actor?.id], ['name', ev.actor?.name], ['email', ev.actor?.email]]));
    for (const [title, p] of [[t.onBehalfOf, ev.actor?.on_behalf_of], [t.impersonator, ev.actor?.impersonator]] as const) {
      if (p) body.append(h('h4', {}, title), dl([['type', p.type], ['id', p.id], ['name', p.name]]));
    }
    if (ev.targets?.length) body.append(h('h4', {}, t.targets), ...ev.targets.map((x) => dl([['type', x.type], ['id', x.id], ['name', x.name]])));
    if (ev.context && Object.keys(ev.context).length) body.append(h('h4', {}, t.context), dl(Object.entries(ev.context)));
    if (ev.metadata && Object.keys(ev.metadata).length) body.append(h('h4', {}, t.metadata), h('pre', {}, visible(ev.metadata)));
    const dialog = h(
      'div',
      { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId },
      h('div', { class: 'head' }, h('h3', { id: titleId }, visible(ev.display?.message ?? ev.action)), close),
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

function localDay(value: string, plusDays: number): string {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
}

function scopesOf(token: string): string[] {
  try {
    const scp = (JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { scp?: unknown }).scp;
    return Array.isArray(scp) ? (scp as string[]) : [];
  } catch {
    return [];
  }
}

if (!customElements.get('veritrail-viewer')) customElements.define('veritrail-viewer', VeritrailViewer);

declare global {
  interface HTMLElementTagNameMap {
    'veritrail-viewer': VeritrailViewer;
  }
}

import type { ViewerEvent } from './api.js';
import { actorLabel } from './actor-label.js';
import { h, uid, visible } from './dom.js';
import { countryName, dayKey, dayLabel, relativeTime } from './format.js';
import type { ChipKey } from './query.js';
import type { ViewerStrings } from './strings.js';

export interface RowContext {
  t: ViewerStrings;
  locale: string | undefined;
  now: number;
  /** The day of the row above (undefined for the first row): a new day starts a group. */
  previousDay: string | undefined;
  seal: HTMLElement;
}

/** A button that filters the list by one value (the feed's click handler reads data-pivot). */
export function pivot(key: ChipKey, value: string, text: string, title: string, cls = ''): HTMLButtonElement {
  return h('button', { type: 'button', class: `pivot ${cls}`.trim(), 'data-pivot': key, 'data-value': value, title }, visible(text));
}

/** "Chrome 131 on Windows 10", "Firefox", "" */
export function clientLabel(ev: ViewerEvent, t: ViewerStrings): string {
  const c = ev.client;
  if (!c?.browser && !c?.os) return '';
  if (c.browser && c.os) return `${c.browser} ${t.on} ${c.os}`;
  return (c.browser ?? c.os)!;
}

/**
 * One event as a row of the feed: time (absolute and relative), the message (else the action),
 * who did it (with delegation) to what, from where (IP, country, browser and OS), the outcome
 * and seal. Actor, targets, IP and action are pivots. The first row of a day names the day.
 */
export function renderRow(ev: ViewerEvent, c: RowContext): HTMLElement {
  const { t } = c;
  const labelId = uid('vt-ev');
  const failed = ev.outcome === 'failure';
  const ms = Date.parse(ev.occurred_at);
  const valid = !Number.isNaN(ms);
  const day = valid ? dayKey(ms) : '';
  const who = h('span', { class: 'who' });
  if (ev.actor) who.append(pivot('actor_id', ev.actor.id, actorLabel(ev.actor, t), t.pivotActor));
  if (ev.targets?.length) {
    who.append(' → ');
    ev.targets.forEach((x, i) => who.append(...(i ? [', '] : []), pivot('target_id', x.id, x.name ?? x.id, t.pivotTarget)));
  }
  const ip = ev.context?.ip;
  const client = clientLabel(ev, t);
  const where = h(
    'span',
    { class: 'where' },
    ip ? pivot('ip', ip, ip, t.pivotIp) : null,
    ev.client?.country ? h('span', { class: 'country', title: countryName(ev.client.country, c.locale) }, ev.client.country) : null,
    client ? h('span', { class: 'ua' }, visible(client)) : null,
    pivot('action', ev.action, ev.action, t.pivotAction, 'code'),
  );
  const time = valid
    ? h(
        'span',
        { class: 'time' },
        h('time', { datetime: new Date(ms).toISOString(), title: new Intl.DateTimeFormat(c.locale, { dateStyle: 'full', timeStyle: 'long' }).format(ms) }, new Intl.DateTimeFormat(c.locale, { timeStyle: 'medium' }).format(ms)),
        h('span', { class: 'rel', 'data-ms': ms }, relativeTime(ms, c.now, c.locale)),
      )
    : h('span', { class: 'time' }, visible(ev.occurred_at ?? ''));
  return h(
    'article',
    { tabindex: 0, 'aria-labelledby': labelId, 'aria-setsize': -1, 'data-id': ev.id, 'data-day': day },
    day && day !== c.previousDay ? h('h3', { class: 'day' }, dayLabel(ms, c.now, c.locale, { today: t.today, yesterday: t.yesterday })) : null,
    time,
    // The display message is text (never markup); the action stays visible as its title.
    h('span', { class: `action${failed ? ' outcome-failure' : ''}`, id: labelId, title: ev.display ? ev.action : undefined, 'data-action': ev.action }, visible(ev.display?.message ?? ev.action)),
    who,
    where,
    h('span', { class: 'marks' }, failed ? h('span', { class: 'pill failure' }, t.outcomeFailure) : ev.outcome === 'success' ? h('span', { class: 'pill success' }, t.outcomeSuccess) : null, c.seal),
  );
}

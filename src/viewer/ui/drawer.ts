import type { SealStatus, ViewerEvent } from './api.js';
import { h, visible } from './dom.js';
import { countryName, relativeTime } from './format.js';
import { clientLabel, pivot } from './rows.js';
import type { ViewerStrings } from './strings.js';

export interface DetailsContext {
  t: ViewerStrings;
  locale: string | undefined;
  now: number;
  seal: SealStatus | undefined;
  /** What the browser itself found checking the event's proof, when it did. */
  localCheck?: string;
  time: (iso: string | undefined) => string;
}

type Row = [string, unknown, Node?];

/** A definition list of the rows that have a value; a row's node (a pivot) replaces its text. */
function dl(rows: Row[]): HTMLElement {
  return h(
    'dl',
    {},
    ...rows.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v, node]) => [h('dt', {}, k), h('dd', {}, node ?? visible(v))]),
  );
}

/** One side of a change: the old value on red, the new on green, unchanged ones muted. */
function diffCell(v: unknown, cls: string, same: boolean, t: ViewerStrings): HTMLElement {
  return h('td', { class: same ? 'same' : cls }, h('pre', {}, v === undefined || v === null ? t.empty_value : visible(v)));
}

/** Everything about one event, for the drawer. Event data only ever becomes text. */
export function eventDetails(ev: ViewerEvent, c: DetailsContext): Node[] {
  const { t } = c;
  const out: Node[] = [];
  const ms = Date.parse(ev.occurred_at);
  const sealText = c.seal === 'verified' ? t.eventVerified : c.seal === 'failed' ? t.eventFailed : c.seal === 'unsealed' ? t.eventUnsealed : undefined;
  out.push(
    dl([
      // Under a display message the action code stays readable in the drawer.
      [t.actionLabel, ev.action, pivot('action', ev.action, ev.action, t.pivotAction, 'code')],
      [t.occurredAt, ev.occurred_at && `${c.time(ev.occurred_at)}${Number.isNaN(ms) ? '' : ` (${relativeTime(ms, c.now, c.locale)})`}`],
      [t.receivedAt, c.time(ev.received_at)],
      [t.outcome, ev.outcome],
      [t.organization, ev.organization_id, ev.organization_id ? pivot('organization_id', ev.organization_id, ev.organization_id, t.pivotOrganization) : undefined],
      [t.eventId, ev.id],
      [t.integrity, [sealText, c.localCheck].filter(Boolean).join(' · '), h('span', { class: `seal-text ${c.seal ?? ''}` }, [sealText, c.localCheck].filter(Boolean).join(' · '))],
      [t.flags, ev.flags?.length ? ev.flags.join(', ') : undefined],
    ]),
  );
  if (ev.changes?.length) {
    out.push(
      h('h4', {}, t.changes),
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t.field), h('th', { scope: 'col' }, t.before), h('th', { scope: 'col' }, t.after))),
        h(
          'tbody',
          {},
          ...ev.changes.map((ch) => {
            const same = JSON.stringify(ch.before) === JSON.stringify(ch.after);
            return h('tr', {}, h('th', { scope: 'row' }, h('code', {}, visible(ch.field))), diffCell(ch.before, 'before', same, t), diffCell(ch.after, 'after', same, t));
          }),
        ),
      ),
    );
  }
  const a = ev.actor;
  out.push(h('h4', {}, t.actor), dl([['type', a?.type], ['id', a?.id, a ? pivot('actor_id', a.id, a.id, t.pivotActor) : undefined], ['name', a?.name], ['email', a?.email]]));
  if (a?.metadata !== undefined) out.push(h('pre', {}, visible(a.metadata)));
  for (const [title, p] of [[t.onBehalfOf, a?.on_behalf_of], [t.impersonator, a?.impersonator]] as const) {
    if (p) out.push(h('h4', {}, title), dl([['type', p.type], ['id', p.id, pivot('actor_id', p.id, p.id, t.pivotActor)], ['name', p.name]]));
  }
  if (ev.targets?.length) out.push(h('h4', {}, t.targets), ...ev.targets.map((x) => dl([['type', x.type], ['id', x.id, pivot('target_id', x.id, x.id, t.pivotTarget)], ['name', x.name]])));
  const ctx = ev.context ?? {};
  if (Object.keys(ctx).length || ev.client) {
    const client = clientLabel(ev, t);
    const country = ev.client?.country;
    out.push(
      h('h4', {}, t.context),
      dl([
        ['ip', ctx.ip, ctx.ip ? pivot('ip', ctx.ip, ctx.ip, t.pivotIp) : undefined],
        [t.location, country ? `${countryName(country, c.locale)} (${country})` : undefined],
        [t.client, client || undefined],
        ...Object.entries(ctx).filter(([k]) => k !== 'ip').map(([k, v]): Row => [k, v]),
      ]),
    );
  }
  if (ev.metadata && Object.keys(ev.metadata).length) out.push(h('h4', {}, t.metadata), h('pre', {}, visible(ev.metadata)));
  return out;
}

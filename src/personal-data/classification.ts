import type { EventInput } from '../events/event.schema.js';

/**
 * Field classification (GDPR): which values of an event are personal data and how they are
 * kept. `sensitive` values are encrypted with the data subject's own key (readable by every
 * credential of the tenant that may read events; unreadable for good once the key is erased);
 * `restricted` values likewise, and are shown only to credentials holding the `privacy` scope;
 * `unrestricted` values are stored as sent. Pure code: no I/O, unit-tested beside it.
 */
export const TIERS = ['sensitive', 'restricted', 'unrestricted'] as const;
export type Tier = (typeof TIERS)[number];
export type ProtectedTier = Exclude<Tier, 'unrestricted'>;

/** The settings document (`classification` in PUT /v1/settings/privacy). */
export interface ClassificationSettings {
  /** Field → tier, over the defaults. */
  fields?: Record<string, Tier>;
  /** Action (`user.email.updated` or `user.*`) → field → tier, over `fields`. */
  actions?: Record<string, Record<string, Tier>>;
  /** Target types that are data subjects (their name/metadata belong to them). */
  subject_target_types?: string[];
}

/**
 * Field names a classification may name. Target fields apply only to targets whose type is a
 * data-subject type; `changes.<field>` classifies the before/after values of that change.
 */
export const FIELD_PATH_PATTERN =
  '^(actor\\.(name|email|metadata\\.[^.]{1,128}|on_behalf_of\\.name|impersonator\\.name)|targets\\.(name|metadata\\.[^.]{1,128})|context\\.(ip|user_agent|location|session_id|request_id)|metadata\\.[^.]{1,128}|changes\\.[^\\s]{1,256})$';

/**
 * What a tenant gets without configuring anything: names and e-mail addresses of people, and
 * the usual personal fields when they change, are sensitive. IP addresses and user agents stay
 * unrestricted (security teams filter on them); tenants can classify them.
 */
export const DEFAULT_FIELD_TIERS: Readonly<Record<string, Tier>> = Object.freeze({
  'actor.name': 'sensitive',
  'actor.email': 'sensitive',
  // Delegation parties (docs/api.md "Delegation"): each name belongs to its own party.
  'actor.on_behalf_of.name': 'sensitive',
  'actor.impersonator.name': 'sensitive',
  'targets.name': 'sensitive',
  ...Object.fromEntries(
    [
      'email',
      'name',
      'first_name',
      'last_name',
      'full_name',
      'display_name',
      'phone',
      'phone_number',
      'mobile',
      'address',
      'postal_address',
      'date_of_birth',
      'birthdate',
      'national_id',
      'tax_id',
      'iban',
    ].map((f) => [`changes.${f}`, 'sensitive' as Tier]),
  ),
});
export const DEFAULT_SUBJECT_TARGET_TYPES: readonly string[] = Object.freeze(['user']);

export interface ClassificationPolicy {
  readonly base: ReadonlyMap<string, Tier>;
  /** Applied in order: prefixes (shortest first), then exact actions, later ones winning. */
  readonly actions: readonly { action: string; prefix: boolean; tiers: ReadonlyMap<string, Tier> }[];
  readonly subjectTargetTypes: ReadonlySet<string>;
  /** Effective tiers per action, memoised. */
  readonly byAction: Map<string, ReadonlyMap<string, Tier>>;
}

export function classificationPolicy(s: ClassificationSettings | undefined): ClassificationPolicy {
  const base = new Map<string, Tier>(Object.entries(DEFAULT_FIELD_TIERS));
  for (const [k, v] of Object.entries(s?.fields ?? {})) base.set(k, v);
  const actions = Object.entries(s?.actions ?? {})
    .map(([a, tiers]) => ({ action: a.endsWith('.*') ? a.slice(0, -1) : a, prefix: a.endsWith('.*'), tiers: new Map(Object.entries(tiers)) }))
    .sort((x, y) => Number(y.prefix) - Number(x.prefix) || x.action.length - y.action.length);
  return { base, actions, subjectTargetTypes: new Set(s?.subject_target_types ?? DEFAULT_SUBJECT_TARGET_TYPES), byAction: new Map() };
}

/** Field → tier in force for one action. */
export function tiersFor(policy: ClassificationPolicy, action: string): ReadonlyMap<string, Tier> {
  const hit = policy.byAction.get(action);
  if (hit) return hit;
  let tiers: ReadonlyMap<string, Tier> = policy.base;
  const matching = policy.actions.filter((a) => (a.prefix ? action.startsWith(a.action) : action === a.action));
  if (matching.length > 0) {
    const merged = new Map(policy.base);
    for (const m of matching) for (const [k, v] of m.tiers) merged.set(k, v);
    tiers = merged;
  }
  if (policy.byAction.size > 5_000) policy.byAction.clear();
  policy.byAction.set(action, tiers);
  return tiers;
}

export type Path = (string | number)[];

/** One value to protect: where it is, how, and whose it is. */
export interface Slot {
  path: Path;
  tier: ProtectedTier;
  /** The data subject the value belongs to (an actor or target id). */
  subject: string;
  /** The classification key that matched (`actor.email`, `changes.email`, …). */
  field: string;
}

export interface Classified {
  slots: Slot[];
  /** Whose personal data the changes are: the first data-subject target, else the actor. */
  changeSubject: string;
  /** Names of changed fields that are classified (sensitive or restricted). */
  classifiedChanges: string[];
}

/** Whose personal data an event's changes are: its first data-subject target, else its actor. */
export function changeSubjectOf(event: { actor: { id: string }; targets?: readonly { type: string; id: string }[] }, subjectTargetTypes: ReadonlySet<string>): string {
  return event.targets?.find((t) => subjectTargetTypes.has(t.type))?.id ?? event.actor.id;
}

/** Every classified value of an event, with its data subject. */
export function classifyEvent(input: EventInput, policy: ClassificationPolicy): Classified {
  const tiers = tiersFor(policy, input.action);
  const slots: Slot[] = [];
  const add = (path: Path, field: string, subject: string, value: unknown) => {
    if (value === undefined || value === null) return;
    const tier = tiers.get(field);
    if (tier === 'sensitive' || tier === 'restricted') slots.push({ path, tier, subject, field });
  };
  const actor = input.actor.id;
  add(['actor', 'name'], 'actor.name', actor, input.actor.name);
  add(['actor', 'email'], 'actor.email', actor, input.actor.email);
  for (const [k, v] of Object.entries(input.actor.metadata ?? {})) add(['actor', 'metadata', k], `actor.metadata.${k}`, actor, v);
  for (const role of ['on_behalf_of', 'impersonator'] as const) {
    const party = input.actor[role];
    if (party !== undefined) add(['actor', role, 'name'], `actor.${role}.name`, party.id, party.name);
  }
  const changeSubject = changeSubjectOf(input, policy.subjectTargetTypes);
  input.targets?.forEach((t, i) => {
    if (!policy.subjectTargetTypes.has(t.type)) return;
    add(['targets', i, 'name'], 'targets.name', t.id, t.name);
    for (const [k, v] of Object.entries(t.metadata ?? {})) add(['targets', i, 'metadata', k], `targets.metadata.${k}`, t.id, v);
  });
  const ctx = input.context as Record<string, unknown> | undefined;
  for (const k of ['ip', 'user_agent', 'location', 'session_id', 'request_id']) add(['context', k], `context.${k}`, actor, ctx?.[k]);
  for (const [k, v] of Object.entries(input.metadata ?? {})) add(['metadata', k], `metadata.${k}`, actor, v);
  const classifiedChanges = new Set<string>();
  input.changes?.forEach((c, i) => {
    const field = `changes.${c.field}`;
    const tier = tiers.get(field);
    if (tier !== 'sensitive' && tier !== 'restricted') return;
    classifiedChanges.add(c.field);
    add(['changes', i, 'before'], field, changeSubject, c.before);
    add(['changes', i, 'after'], field, changeSubject, c.after);
  });
  return { slots, changeSubject, classifiedChanges: [...classifiedChanges] };
}

/**
 * A copy of the event with each slot's value replaced (the input is not modified). Only the
 * objects on the slots' paths are copied (shallowly); the rest is shared with the input.
 */
export function replaceSlots(input: EventInput, slots: readonly Slot[], replace: (slot: Slot, value: unknown) => unknown): EventInput {
  if (slots.length === 0) return input;
  const out = { ...input } as unknown as Record<string | number, unknown>;
  const copies = new Set<unknown>([out]);
  for (const slot of slots) {
    let parent = out;
    const last = slot.path.length - 1;
    for (let d = 0; d < last; d++) {
      const k = slot.path[d]!;
      let child = parent[k];
      if (child === null || typeof child !== 'object') break;
      if (!copies.has(child)) {
        child = Array.isArray(child) ? child.slice() : { ...(child as Record<string, unknown>) };
        copies.add(child);
        parent[k] = child;
      }
      parent = child as Record<string | number, unknown>;
    }
    const key = slot.path[last]!;
    parent[key] = replace(slot, parent[key]);
  }
  return out as unknown as EventInput;
}

/**
 * Words a sensitive value can be found by with `q` (blind index): the whole value and each
 * word of it, lower-cased, at most 16. `Ann Lee <ann@example.com>` → whole, ann, lee,
 * ann@example.com, example, com…
 */
export function searchWords(value: unknown): string[] {
  if (typeof value !== 'string' && typeof value !== 'number') return [];
  const text = String(value).toLowerCase().trim();
  if (text === '') return [];
  const words = new Set<string>([text]);
  for (const w of text.split(/\s+/)) if (w) words.add(w);
  for (const w of text.split(/[^\p{L}\p{N}]+/u)) if (w.length >= 2) words.add(w);
  return [...words].slice(0, 16);
}

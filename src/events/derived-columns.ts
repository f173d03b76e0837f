import { toClickhouseDateTime64 } from '../common/time.js';
import { contextCutSearchText } from '../storage/clickhouse/ddl.js';

/**
 * The derived columns of `events_v1` re-derived from the hashed payload, in ClickHouse SQL, so
 * verification can tell a row whose filter columns no longer say what its sealed payload says
 * (PEN-08: an event moved into another organization's view, another actor's, a later time, …).
 * It sits beside `buildStoredEvent` (stored-event.ts), which writes these columns: change both
 * together. Run over every sealed event in the verifier's chunked join, in the same pass as the
 * payload hash, so nothing but a short list of column names leaves ClickHouse.
 *
 * What is compared:
 * - exactly: id, received_at, occurred_at, organization_id, action, outcome, actor_type,
 *   actor_id, on_behalf_of_id, impersonator_id ('' when the payload has no such party),
 *   target_ids, target_types, flags, leaf_hash; `ip` is the payload's context.ip, or
 *   '' when that value is encrypted (its blind token is in pii_tokens instead);
 * - search_text: the same words as the payload's searchable values (order-insensitive: the
 *   text is built from the request's key order, which canonical JSON does not keep); for a text
 *   cut at its 16 KB cap, every word kept must come from the payload;
 * - pii_tokens / pii_subjects: keyed HMACs of plaintext (not derivable from ciphertext): only
 *   that they pair up, and that an event holding no sensitive ciphertext has none.
 * An erasure with `blank_context` empties `ip` and cuts the context values out of `search_text`
 * of the subject's own events received up to the erasure (storage/clickhouse/ddl.ts): for those
 * rows — and only those, as the completed erasures in PostgreSQL say — that is what is expected.
 * Not derivable, hence not compared: tenant_id (the payload does not name the tenant; a row
 * moved to another tenant is missing from this tenant's log and unsealed in the other's).
 */

/** Columns a mismatch can name, in report order. */
export const DERIVED_COLUMNS = [
  'id',
  'received_at',
  'occurred_at',
  'organization_id',
  'action',
  'outcome',
  'actor_type',
  'actor_id',
  'on_behalf_of_id',
  'impersonator_id',
  'target_ids',
  'target_types',
  'ip',
  'flags',
  'search_text',
  'pii_tokens',
  'leaf_hash',
] as const;
export type DerivedColumn = (typeof DERIVED_COLUMNS)[number];

/** One JSON parse of the payload into every member a derived column comes from. */
const PAYLOAD_TUPLE =
  'Tuple(id String, received_at String, occurred_at String, organization_id String, action String, outcome String, ' +
  'actor Tuple(type String, id String, name String, email String, metadata String, ' +
  'on_behalf_of Tuple(type String, id String, name String), impersonator Tuple(type String, id String, name String)), ' +
  'targets Array(Tuple(type String, id String, name String)), ' +
  'context Tuple(ip String, user_agent String, request_id String, session_id String, location String), ' +
  'changes String, metadata String, flags Array(String))';

/** JSON tokens of free-form members: strings (keys end with ':'), numbers, booleans. */
const JSON_TOKEN = String.raw`"(?:[^"\\]|\\.)*":?|-?[0-9][-+.eE0-9]*|true|false`;
const SEARCH_TEXT_LIMIT = 16 * 1024;
/**
 * Numbers come back from ClickHouse's JSON functions in its own spelling (1.5e21 where the
 * payload and JavaScript say 1.5e+21): number-like words compare as the double they denote, on
 * both sides.
 */
const NUMBER_WORD = `if(match(x, '^-?[0-9][-+.eE0-9]*$') AND isNotNull(toFloat64OrNull(x)), toString(toFloat64(x)), x)`;

/**
 * Marker in `derived_mismatch` for a payload ClickHouse's fast JSON parser (simdjson) refused —
 * it refuses integers beyond 64 bits, which JavaScript writes in full below 1e21. The caller
 * re-reads such rows with `allow_simdjson = 0`.
 */
export const UNPARSED = 'payload_unparsed';

/** Completed erasures with blank_context: subject id → the erasure's time (epoch ms). */
export type ContextErasureBounds = ReadonlyMap<string, number>;

/** The query parameters {@link derivedMismatchSql} reads the erasures from. */
export function contextErasureParams(erasures: ContextErasureBounds): { ce_subjects: string[]; ce_until: string[] } {
  const subjects = [...erasures.keys()];
  return { ce_subjects: subjects, ce_until: subjects.map((s) => toClickhouseDateTime64(erasures.get(s)!)) };
}

function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A SELECT-list fragment over a row of events_v1 (columns unqualified) defining
 * `payload_leaf_hash` (SHA-256(0x00 ‖ payload), hex) and `derived_mismatch`: the names of the
 * columns that do not match the payload (empty when all do). Helper aliases start with `dc_`.
 */
export function derivedMismatchSql(): string {
  // Mirrors searchText() in stored-event.ts, in its order: action, organization, actor id/name/
  // email, on_behalf_of id/name, impersonator id/name, target type/id/name, every value of context, each change's field, before and after,
  // actor metadata, metadata; empty and encrypted values skipped; lower-cased; one per line.
  // Only the order of object keys can differ (the request's, not canonical JSON's): the exact
  // text is compared first, the sorted words only when it differs.
  const leaves = (raw: string) =>
    `if(${raw} = '', [], arrayMap(x -> if(startsWith(x, '"'), JSONExtractString(x), x), arrayFilter(x -> NOT endsWith(x, ':'), extractAll(${raw}, ${sqlString(JSON_TOKEN)}))))`;
  const changes = `arrayFlatten(arrayMap(c -> arrayConcat([JSONExtractString(c, 'field')], ${leaves("JSONExtractRaw(c, 'before')")}, ${leaves("JSONExtractRaw(c, 'after')")}), JSONExtractArrayRaw(dc_p.changes)))`;
  return `lower(hex(SHA256(concat(char(0), payload)))) AS payload_leaf_hash,
  JSONExtract(payload, ${sqlString(PAYLOAD_TUPLE)}) AS dc_p,
  indexOf({ce_subjects:Array(String)}, actor_id) AS dc_ce,
  dc_ce > 0 AND received_at <= arrayElement({ce_until:Array(DateTime64(3))}, dc_ce) AND NOT startsWith(action, 'veritrail.') AS dc_blanked,
  lowerUTF8(arrayStringConcat(arrayFilter(x -> x != '' AND NOT startsWith(x, 'vt-enc:'), arrayConcat(
    [dc_p.action, dc_p.organization_id, dc_p.actor.id, dc_p.actor.name, dc_p.actor.email,
     dc_p.actor.on_behalf_of.id, dc_p.actor.on_behalf_of.name, dc_p.actor.impersonator.id, dc_p.actor.impersonator.name],
    arrayFlatten(arrayMap(t -> [t.type, t.id, t.name], dc_p.targets)),
    [dc_p.context.ip, dc_p.context.user_agent, dc_p.context.request_id, dc_p.context.session_id, dc_p.context.location],
    ${changes},
    ${leaves('dc_p.actor.metadata')},
    ${leaves('dc_p.metadata')})), '\\n')) AS dc_full_text,
  if(dc_blanked, ${contextCutSearchText('dc_full_text')}, dc_full_text) AS dc_text,
  arrayMap(x -> ${NUMBER_WORD}, splitByChar('\\n', dc_text)) AS dc_words,
  arrayMap(x -> ${NUMBER_WORD}, splitByChar('\\n', search_text)) AS dc_stored_words,
  arrayFilter(x -> x != '', [
    if(dc_p.id = '', '${UNPARSED}', ''),
    if(dc_p.id != toString(id), 'id', ''),
    if(parseDateTime64BestEffortOrNull(dc_p.received_at, 3, 'UTC') IS DISTINCT FROM received_at, 'received_at', ''),
    if(parseDateTime64BestEffortOrNull(dc_p.occurred_at, 3, 'UTC') IS DISTINCT FROM occurred_at, 'occurred_at', ''),
    if(dc_p.organization_id != organization_id, 'organization_id', ''),
    if(dc_p.action != action, 'action', ''),
    if(dc_p.outcome != toString(outcome), 'outcome', ''),
    if(dc_p.actor.type != toString(actor_type), 'actor_type', ''),
    if(dc_p.actor.id != actor_id, 'actor_id', ''),
    if(dc_p.actor.on_behalf_of.id != on_behalf_of_id, 'on_behalf_of_id', ''),
    if(dc_p.actor.impersonator.id != impersonator_id, 'impersonator_id', ''),
    if(arrayMap(t -> t.id, dc_p.targets) != target_ids, 'target_ids', ''),
    if(arrayMap(t -> t.type, dc_p.targets) != target_types, 'target_types', ''),
    if(if(dc_blanked OR startsWith(dc_p.context.ip, 'vt-enc:'), '', dc_p.context.ip) != ip, 'ip', ''),
    if(dc_p.flags != flags, 'flags', ''),
    if(search_text != dc_text AND if(length(dc_text) < ${SEARCH_TEXT_LIMIT},
          arraySort(dc_words) != arraySort(dc_stored_words),
          NOT arrayAll(x -> has(dc_words, x), arrayPopBack(dc_stored_words))), 'search_text', ''),
    if(length(pii_tokens) != length(pii_subjects) OR (notEmpty(pii_tokens) AND position(payload, '"vt-enc:v1:s:') = 0), 'pii_tokens', ''),
    if(payload_leaf_hash != leaf_hash, 'leaf_hash', '')
  ]) AS derived_mismatch`;
}

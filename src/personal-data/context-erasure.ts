/**
 * Read-time blanking of the context of erased subjects' events (erasure option blank_context).
 * The stored payload is what the Merkle leaf hashes, so it cannot change; every read path puts
 * `[erased]` in place of each `context` value of the events the subject performed and that were
 * received up to the erasure. Pure code on stored texts: one canonical JSON event, or NDJSON.
 */

/** Erased subjects of one tenant: actor id → erasure time (ms); events received up to it are blanked. */
export type ContextErasures = ReadonlyMap<string, number>;

const ERASED_VALUE = '"[erased]"';

/** Blanks the context of the events in `text` (one event or NDJSON lines) whose actor was erased with blank_context. */
export function blankErasedContext(text: string, erasures: ContextErasures): string {
  if (erasures.size === 0 || !text.includes('"context":{')) return text;
  if (!text.includes('\n')) return blankLine(text, erasures);
  return text
    .split('\n')
    .map((line) => blankLine(line, erasures))
    .join('\n');
}

function blankLine(line: string, erasures: ContextErasures): string {
  if (!line.includes('"context":{')) return line;
  let e: { actor?: { id?: unknown }; received_at?: unknown; context?: unknown };
  try {
    e = JSON.parse(line) as typeof e;
  } catch {
    return line;
  }
  const actorId = e.actor?.id;
  if (typeof actorId !== 'string') return line;
  const until = erasures.get(actorId);
  if (until === undefined) return line;
  const received = typeof e.received_at === 'string' ? Date.parse(e.received_at) : NaN;
  if (!(received <= until)) return line; // the person came back: later events are new data
  const span = topLevelObjectSpan(line, 'context');
  if (!span || e.context === null || typeof e.context !== 'object') return line;
  // Context values are strings (plain or sealed); keys keep their canonical order.
  const blanked = `{${Object.keys(e.context)
    .map((k) => `${JSON.stringify(k)}:${ERASED_VALUE}`)
    .join(',')}}`;
  return line.slice(0, span[0]) + blanked + line.slice(span[1]);
}

/**
 * [start, end) of the object value of a top-level key in a JSON object text, found with a
 * scanner that knows strings and nesting: a key of the same name deeper down (e.g. in
 * metadata) is not taken. Undefined when absent or not an object.
 */
export function topLevelObjectSpan(json: string, key: string): [number, number] | undefined {
  const needle = JSON.stringify(key);
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      const end = stringEnd(json, i);
      if (depth === 1 && expectKey && json.slice(i, end) === needle && json[end] === ':') {
        const start = end + 1;
        if (json[start] !== '{') return undefined;
        return [start, valueEnd(json, start)];
      }
      i = end - 1;
      expectKey = false;
    } else if (c === '{') {
      depth++;
      expectKey = depth === 1;
    } else if (c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1) {
      expectKey = true;
    }
  }
  return undefined;
}

/** Index just after the closing quote of the string starting at `i`. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '"') return j + 1;
  }
  return s.length;
}

/** Index just after the object or array starting at `i`. */
function valueEnd(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === '"') j = stringEnd(s, j) - 1;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return s.length;
}

import Bowser from 'bowser';
import { canonicalJson } from '../common/canonical.js';
import { countryOf } from '../common/geo.js';

/** What `include=client` adds to an event read: derived from its context when read, never stored or sealed. */
export interface ClientInfo {
  /** ISO 3166-1 alpha-2 country of context.ip (offline GeoLite2 data). */
  country?: string;
  /** Browser and major version parsed from context.user_agent ("Chrome 131"). */
  browser?: string;
  /** Operating system parsed from context.user_agent ("Windows 10", "macOS"). */
  os?: string;
}

const UA_CACHE_MAX = 500;
const uaCache = new Map<string, Pick<ClientInfo, 'browser' | 'os'>>();

/** Browser and OS of a User-Agent (bowser, MIT); user agents repeat, so the last few hundred are cached. */
export function parseUserAgent(ua: string): Pick<ClientInfo, 'browser' | 'os'> {
  const hit = uaCache.get(ua);
  if (hit) return hit;
  const out: Pick<ClientInfo, 'browser' | 'os'> = {};
  try {
    const p = Bowser.parse(ua);
    if (p.browser.name) out.browser = [p.browser.name, p.browser.version?.split('.')[0]].filter(Boolean).join(' ');
    if (p.os.name) out.os = [p.os.name, p.os.versionName].filter(Boolean).join(' ');
  } catch {
    // an unparseable agent has no browser or OS
  }
  if (uaCache.size >= UA_CACHE_MAX) uaCache.delete(uaCache.keys().next().value!);
  uaCache.set(ua, out);
  return out;
}

const familyCache = new Map<string, string | undefined>();

/**
 * The family of a User-Agent: browser and operating system names without versions ("Chrome on
 * Windows"), so that an update is not a new client; undefined when neither can be parsed.
 */
export function userAgentFamily(ua: string): string | undefined {
  if (!ua) return undefined;
  if (familyCache.has(ua)) return familyCache.get(ua);
  let family: string | undefined;
  try {
    const p = Bowser.parse(ua);
    const browser = p.browser.name;
    const os = p.os.name;
    family = browser && os ? `${browser} on ${os}` : browser || os || undefined;
  } catch {
    // an unparseable agent has no family
  }
  if (familyCache.size >= UA_CACHE_MAX) familyCache.delete(familyCache.keys().next().value!);
  familyCache.set(ua, family);
  return family;
}

export function clientInfo(context: unknown): ClientInfo | undefined {
  if (!context || typeof context !== 'object') return undefined;
  const { ip, user_agent: ua } = context as { ip?: unknown; user_agent?: unknown };
  const info: ClientInfo = {};
  if (typeof ip === 'string') {
    const c = countryOf(ip);
    if (c) info.country = c;
  }
  if (typeof ua === 'string' && ua) Object.assign(info, parseUserAgent(ua));
  return Object.keys(info).length ? info : undefined;
}

/** Payloads with `client` where their context yields something (untouched otherwise). */
export function withClientInfo(payloads: string[]): string[] {
  return payloads.map((p) => {
    // Cheap test first: most events without a context need no parse.
    if (!p.includes('"context":')) return p;
    const event = JSON.parse(p) as Record<string, unknown>;
    const info = clientInfo(event.context);
    return info ? canonicalJson({ ...event, client: info }) : p;
  });
}

import { createPrivateKey, X509Certificate } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import { isIP, Socket, type LookupFunction } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { cefLine, escapeCefHeader, escapeCefValue } from '../exports/formats/cef.js';
import type { ExportedEvent } from '../exports/formats/exported-event.js';
import { leefLine, leefNotice } from '../exports/formats/leef.js';
import { checkDestinationUrl, type UrlProblem } from './ssrf.js';
import type { SendResult } from './webhook-sender.js';
import type { OutgoingMessage } from './webhook-messages.js';

/**
 * The `syslog` destination: RFC 5424 messages over TCP (RFC 6587) or TLS (RFC 5425), each
 * framed by octet counting (`<length> <message>`), one message per event, the event as CEF or
 * LEEF 2.0 in MSG, and its id and tenant in structured data so a receiver can deduplicate a
 * redelivered batch (at least once).
 */

export type SyslogFormat = 'cef' | 'leef';

export interface SyslogTarget {
  tls: boolean;
  host: string;
  port: number;
}

/** TLS material of a syslog destination (sealed with its credentials). */
export interface SyslogTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/** Parses `syslog+tls://host[:6514]` or `syslog+tcp://host[:601]`; undefined when it is not one. */
export function parseSyslogUrl(raw: string): SyslogTarget | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const tls = url.protocol === 'syslog+tls:';
  if (!tls && url.protocol !== 'syslog+tcp:') return undefined;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '' && url.pathname !== '/')) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') return undefined;
  return { tls, host, port: url.port === '' ? (tls ? 6514 : 601) : Number(url.port) };
}

/**
 * Checks a syslog URL at registration: the scheme and shape, then the host through the same SSRF
 * rules as an https URL (checkDestinationUrl, which also normalises every IPv4 spelling — a
 * syslog+ URL is not a special scheme, so the URL parser leaves its host as written). Returns the
 * URL as stored: scheme, normalised host, explicit port.
 */
export function checkSyslogUrl(raw: string, allowPrivate: boolean): { url: URL } | { problem: UrlProblem } {
  const target = parseSyslogUrl(raw);
  if (!target) return { problem: { code: 'webhook_url_invalid', message: 'A syslog destination URL is syslog+tls://<host>[:port] or syslog+tcp://<host>[:port].' } };
  const bracketed = isIP(target.host) === 6 ? `[${target.host}]` : target.host;
  const r = checkDestinationUrl(`https://${bracketed}:${target.port}/`, allowPrivate);
  if ('problem' in r) return r;
  return { url: new URL(`${target.tls ? 'syslog+tls' : 'syslog+tcp'}://${r.url.hostname}:${target.port}`) };
}

export type TlsProblem = { field: string; message: string };

/** Checks PEM material at registration: parsable certificates, a key that matches the certificate, both or neither. */
export function checkSyslogTls(t: SyslogTls): TlsProblem | undefined {
  if ((t.cert === undefined) !== (t.key === undefined)) return { field: t.cert === undefined ? 'tls.cert' : 'tls.key', message: 'A client certificate needs its key, and a key its certificate.' };
  let cert: X509Certificate | undefined;
  if (t.ca !== undefined) {
    try {
      new X509Certificate(t.ca);
    } catch {
      return { field: 'tls.ca', message: 'Not a PEM certificate.' };
    }
  }
  if (t.cert !== undefined) {
    try {
      cert = new X509Certificate(t.cert);
    } catch {
      return { field: 'tls.cert', message: 'Not a PEM certificate.' };
    }
  }
  if (t.key !== undefined) {
    let key;
    try {
      key = createPrivateKey(t.key);
    } catch {
      return { field: 'tls.key', message: 'Not an unencrypted PEM private key.' };
    }
    if (cert && !cert.checkPrivateKey(key)) return { field: 'tls.key', message: 'The key does not belong to the certificate.' };
  }
  return undefined;
}

/** RFC 5424 HOSTNAME: printable US-ASCII, at most 255 characters; NILVALUE when there is none. */
const HOSTNAME = (() => {
  const h = osHostname().replace(/[^\x21-\x7e]/g, '').slice(0, 255);
  return h === '' ? '-' : h;
})();

/**
 * SD-ID of our structured data. Private SD-IDs are name@<IANA private enterprise number>;
 * Veritrail has none registered, so it uses 32473, the number RFC 5612 reserves for examples
 * and documentation (docs/webhooks.md "syslog").
 */
export const SD_ID = 'veritrail@32473';

/** RFC 5424 §6.3.3: inside PARAM-VALUE, `"`, `\` and `]` are escaped with a backslash. */
export function sdValue(s: string): string {
  return s.replace(/["\\\]]/g, (c) => `\\${c}`);
}

// Facility 13 (log audit, RFC 5424 table 1); severity 4 (warning) for failures, 6 (informational) otherwise.
const FACILITY = 13;
function pri(severity: number): number {
  return FACILITY * 8 + severity;
}

/** One RFC 5424 message (without framing). */
export function syslogMessage(o: { severity: number; timestamp: string; msgId: string; sd: [string, string][]; msg: string }): string {
  const params = o.sd.map(([k, v]) => ` ${k}="${sdValue(v)}"`).join('');
  return `<${pri(o.severity)}>1 ${o.timestamp} ${HOSTNAME} veritrail - ${o.msgId} [${SD_ID}${params}] ${o.msg}`;
}

/** Octet-counting framing (RFC 6587 §3.4.1, RFC 5425 §4.3): `<byte length> <message>`. */
export function frame(message: string): Buffer {
  const bytes = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${bytes.length} `), bytes]);
}

/**
 * The framed messages of one outgoing message: one per event (already masked), or one for a
 * checkpoint or a test. `tenant` and `messageId` go into every message's structured data.
 */
export function syslogFrames(m: OutgoingMessage, events: string[], format: SyslogFormat, tenant: string, messageId: string, productVersion: string, nowMs = Date.now()): Buffer {
  const out: Buffer[] = [];
  if (m.kind === 'events' || events.length > 0) {
    for (const payload of events) {
      const parsed = JSON.parse(payload) as Partial<ExportedEvent>;
      // Masking may have dropped any field: the mapping still gets the shape it reads.
      const ev = { ...parsed, id: parsed.id ?? '', occurred_at: parsed.occurred_at ?? new Date(nowMs).toISOString(), received_at: parsed.received_at ?? '', action: parsed.action ?? '', outcome: parsed.outcome ?? 'unknown', actor: parsed.actor ?? { type: '', id: '' } } as ExportedEvent;
      const sd: [string, string][] = [
        ['event_id', ev.id],
        ['tenant', tenant],
      ];
      if (ev.organization_id) sd.push(['organization', ev.organization_id]);
      sd.push(['message_id', messageId]);
      const line = format === 'leef' ? leefLine(ev, productVersion) : cefLine(ev, productVersion);
      out.push(
        frame(
          syslogMessage({
            severity: ev.outcome === 'failure' ? 4 : 6,
            timestamp: ev.occurred_at,
            msgId: m.kind === 'events' ? 'audit' : m.kind,
            sd,
            msg: line.slice(0, -1),
          }),
        ),
      );
    }
    return Buffer.concat(out);
  }
  // A checkpoint or a test: one message describing it.
  const attrs: [string, string][] =
    m.kind === 'checkpoint.sealed' && m.checkpoint
      ? [
          ['checkpoint', String(m.checkpoint.number)],
          ['tree_size', String(m.checkpoint.tree_size)],
          ['root', m.checkpoint.root],
          ['sealed_at', m.checkpoint.sealed_at],
        ]
      : [['webhook_id', m.webhookId ?? '']];
  const signature = `veritrail.${m.kind}`;
  const msg =
    format === 'leef'
      ? leefNotice(signature, attrs, productVersion).slice(0, -1)
      : `CEF:0|Veritrail|Veritrail|${escapeCefHeader(productVersion)}|${escapeCefHeader(signature)}|${escapeCefHeader(signature)}|2|${attrs.map(([k, v], i) => `cs${i + 1}Label=${k} cs${i + 1}=${escapeCefValue(v)}`).join(' ')}`;
  return frame(
    syslogMessage({
      severity: 6,
      timestamp: new Date(nowMs).toISOString(),
      msgId: m.kind,
      sd: [
        ['tenant', tenant],
        ['message_id', messageId],
      ],
      msg,
    }),
  );
}

/**
 * Sends framed messages over one connection: connect (TLS: CA bundle, server-name check,
 * optional client certificate), write everything, half-close, and wait for the receiver to close
 * its side. A receiver closes only after reading to the end of the stream, so success means it
 * has read every message; a refused connection, a TLS failure, a reset or no close within the
 * timeout is a failed attempt, and the whole batch is sent again (receivers deduplicate on
 * event_id).
 */
export function deliverSyslog(
  target: SyslogTarget,
  tls: SyslogTls,
  payload: Buffer,
  lookup: LookupFunction,
  timeouts: { connectMs: number; totalMs: number },
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    let socket: Socket | TLSSocket;
    const finish = (r: Omit<SendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      clearTimeout(connectTimer);
      socket.destroy();
      resolve({ ...r, latencyMs: elapsed() });
    };
    const servername = isIP(target.host) === 0 ? target.host : undefined;
    if (target.tls) {
      socket = tlsConnect({
        host: target.host,
        port: target.port,
        servername,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        lookup,
        minVersion: 'TLSv1.2',
      });
    } else {
      socket = new Socket();
      socket.connect({ host: target.host, port: target.port, lookup });
    }
    const total = setTimeout(() => finish({ ok: false, error: 'timeout' }), timeouts.totalMs);
    const connectTimer = setTimeout(() => finish({ ok: false, error: 'connect_timeout' }), timeouts.connectMs);
    let tcpConnected = false;
    let secured = false;
    socket.once('connect', () => (tcpConnected = true));
    const ready = () => {
      secured = true;
      clearTimeout(connectTimer);
      socket.end(payload);
    };
    if (target.tls) socket.once('secureConnect', ready);
    else socket.once('connect', ready);
    // The receiver sends nothing on a syslog stream; whatever it does send is ignored.
    socket.on('data', () => undefined);
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code =
        err.code === 'ssrf_blocked' || /forbidden address/.test(err.message)
          ? 'ssrf_blocked'
          : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
            ? 'dns_failed'
            : // Connected, but the handshake failed: certificate chain, server name, protocol version, client certificate refused.
              target.tls && tcpConnected && !secured
              ? 'tls_failed'
              : 'connection_failed';
      finish({ ok: false, error: code });
    });
    socket.once('close', (hadError) => {
      if (hadError) return finish({ ok: false, error: 'connection_failed' });
      // Closed before everything was written: not delivered.
      if (socket.writableFinished) finish({ ok: true, body: `${payload.length} bytes` });
      else finish({ ok: false, error: 'connection_failed' });
    });
  });
}

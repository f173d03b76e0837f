import { describe, expect, it } from 'vitest';
import { checkSyslogUrl, frame, parseSyslogUrl, sdValue, syslogMessage } from './syslog-destination.js';

describe('syslog destination', () => {
  it('parses syslog+tls and syslog+tcp URLs with their default ports, refuses anything else', () => {
    expect(parseSyslogUrl('syslog+tls://siem.example.com')).toEqual({ tls: true, host: 'siem.example.com', port: 6514 });
    expect(parseSyslogUrl('syslog+tcp://siem.example.com')).toEqual({ tls: false, host: 'siem.example.com', port: 601 });
    expect(parseSyslogUrl('syslog+tcp://[2001:db8::1]:1514')).toEqual({ tls: false, host: '2001:db8::1', port: 1514 });
    for (const bad of ['syslog+udp://h:514', 'syslog://h', 'https://h/', 'syslog+tls://u:p@h', 'syslog+tls://h/x', 'syslog+tls://h?x=1', 'syslog+tls://', 'nonsense']) {
      expect(parseSyslogUrl(bad), bad).toBeUndefined();
    }
  });

  it('applies the SSRF rules to the host in every IPv4 spelling (syslog+ URLs are not normalised by the URL parser)', () => {
    for (const host of ['127.0.0.1', '0177.0.0.1', '2130706433', '0x7f.1', '10.0.0.1', '169.254.169.254', '[::1]', '[::ffff:127.0.0.1]', 'localhost', 'metadata.google.internal', 'intranet']) {
      const r = checkSyslogUrl(`syslog+tls://${host}:6514`, false);
      expect('problem' in r && r.problem.code, host).toBe('webhook_url_not_allowed');
    }
    const ok = checkSyslogUrl('syslog+tls://93.184.216.34', false);
    expect('url' in ok && ok.url.href).toBe('syslog+tls://93.184.216.34:6514');
    const lifted = checkSyslogUrl('syslog+tcp://127.0.0.1:601', true);
    expect('url' in lifted && lifted.url.href).toBe('syslog+tcp://127.0.0.1:601');
  });

  it('escapes ", \\ and ] in structured-data values (RFC 5424 §6.3.3) and frames by byte length (RFC 6587 octet counting)', () => {
    expect(sdValue('a"b\\c]d')).toBe('a\\"b\\\\c\\]d');
    const m = syslogMessage({ severity: 6, timestamp: '2026-12-06T00:00:00.000Z', msgId: 'audit', sd: [['event_id', 'é]']], msg: 'CEF:0|x' });
    expect(m).toMatch(/^<110>1 2026-12-06T00:00:00\.000Z \S+ veritrail - audit \[veritrail@32473 event_id="é\\]"\] CEF:0\|x$/);
    const f = frame(m);
    const sp = f.indexOf(0x20);
    expect(Number(f.subarray(0, sp).toString())).toBe(Buffer.byteLength(m));
    expect(f.length).toBe(sp + 1 + Buffer.byteLength(m));
  });
});

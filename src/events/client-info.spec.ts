import { describe, expect, it } from 'vitest';
import { clientInfo, parseUserAgent, userAgentFamily, withClientInfo } from './client-info.js';

describe('client info of an event read (include=client)', () => {
  it('names the browser and OS of common user agents', () => {
    expect(parseUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).toEqual({ browser: 'Chrome 131', os: 'Windows 10' });
    expect(parseUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toEqual({ browser: 'Firefox 133', os: 'Linux' });
    expect(parseUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1')).toMatchObject({ browser: 'Safari 17', os: 'iOS' });
    expect(parseUserAgent('')).toEqual({});
    expect(parseUserAgent('\u0000\u202e<script>')).toEqual({});
  });

  it('adds the country of a public IP, none for private or malformed ones', () => {
    expect(clientInfo({ ip: '81.2.69.142' })).toEqual({ country: 'GB' });
    expect(clientInfo({ ip: '10.0.0.1' })).toBeUndefined();
    expect(clientInfo({ ip: 'nonsense' })).toBeUndefined();
    expect(clientInfo(undefined)).toBeUndefined();
  });

  it('adds `client` to payloads with a context and leaves the others byte for byte', () => {
    const plain = '{"action":"user.login","id":"1"}';
    const withCtx = '{"action":"user.login","context":{"ip":"8.8.8.8","user_agent":"curl/8.0"},"id":"2"}';
    const [a, b] = withClientInfo([plain, withCtx]);
    expect(a).toBe(plain);
    expect(JSON.parse(b!)).toEqual({ action: 'user.login', context: { ip: '8.8.8.8', user_agent: 'curl/8.0' }, id: '2', client: { country: 'US' } });
  });

  it('a user agent\'s family is its browser and OS without versions: an update is the same client', () => {
    const chrome = (v: string) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v} Safari/537.36`;
    expect(userAgentFamily(chrome('126.0.0.0'))).toBe('Chrome on Windows');
    expect(userAgentFamily(chrome('131.0.0.0'))).toBe(userAgentFamily(chrome('126.0.0.0')));
    expect(userAgentFamily('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1')).toBe('Safari on iOS');
    expect(userAgentFamily('')).toBeUndefined();
    expect(userAgentFamily('\u0000\u202e<script>')).toBeUndefined();
  });
});

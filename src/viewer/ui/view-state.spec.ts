import { describe, expect, it } from 'vitest';
import { decodeView, EMPTY_VIEW, encodeView, type ViewState } from './view-state.js';

describe('viewer: saved views in the URL', () => {
  it('round-trips every part of the view', () => {
    const v: ViewState = {
      text: 'quarterly plan',
      chips: { ip: '203.0.113.5', target_id: 'doc 9', actor_id: 'u_1' },
      actor: 'u_2',
      action: 'user.*',
      outcome: 'failure',
      from: '2026-11-01',
      to: '2026-11-03',
      range: { from: '2026-11-02T10:00:00.000Z', to: '2026-11-02T12:00:00.000Z' },
      trail: true,
    };
    expect(decodeView(encodeView(v))).toEqual(v);
    expect(encodeView(EMPTY_VIEW)).toBe('');
    expect(decodeView('')).toEqual(EMPTY_VIEW);
  });

  it('a crafted link sets only valid filters', () => {
    const v = decodeView('ip=not-an-ip&action=x%27%20OR%201&outcome=maybe&f.from=yesterday&range=2026-11-02T12:00Z/2026-11-02T10:00Z&trail=yes&token=stolen');
    expect(v).toEqual(EMPTY_VIEW);
  });
});

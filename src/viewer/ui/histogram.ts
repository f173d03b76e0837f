import type { Histogram } from './api.js';
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 1000;
const H = 64;
/** The outcomes stacked in each bar, bottom up. */
const LAYERS = ['success', 'unknown', 'failure'] as const;

function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export interface HistogramStrings {
  histogramLabel: string;
  histogramHint: string;
  outcomeSuccess: string;
  outcomeFailure: string;
  outcomeUnknown: string;
}

/**
 * Event volume over the range, one stacked bar per bucket by outcome, in plain SVG (no charting
 * library). Dragging across it selects a sub-range: `onBrush(fromMs, toMs)`, snapped to buckets.
 */
export class HistogramView {
  readonly el: HTMLElement;
  private data: Histogram | undefined;

  constructor(
    private readonly t: HistogramStrings,
    private readonly format: (ms: number, withTime: boolean) => string,
    private readonly onBrush: (fromMs: number, toMs: number) => void,
  ) {
    this.el = h('div', { class: 'hist', hidden: true });
  }

  clear(): void {
    this.data = undefined;
    this.el.hidden = true;
    this.el.replaceChildren();
  }

  render(data: Histogram): void {
    this.data = data;
    const from = Date.parse(data.from);
    const to = Date.parse(data.to);
    const span = to - from;
    const max = Math.max(1, ...data.buckets.map((b) => b.success + b.failure + b.unknown));
    const total = data.buckets.reduce((n, b) => n + b.success + b.failure + b.unknown, 0);
    const failures = data.buckets.reduce((n, b) => n + b.failure, 0);
    const withTime = data.bucket_ms < 86_400_000;
    const label = `${this.t.histogramLabel}: ${total} (${this.t.outcomeFailure}: ${failures}), ${this.format(from, withTime)} – ${this.format(to, withTime)}`;
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label });
    const bw = Math.max(1, (data.bucket_ms / span) * W);
    for (const b of data.buckets) {
      const x = ((Date.parse(b.start) - from) / span) * W;
      const g = s('g', { 'data-start': b.start });
      let y = H;
      for (const k of LAYERS) {
        if (!b[k]) continue;
        const hgt = (b[k] / max) * (H - 2);
        y -= hgt;
        g.append(s('rect', { class: k, x: Math.max(0, x) + 0.5, y, width: Math.max(0.5, bw - 1), height: hgt }));
      }
      const title = s('title', {});
      title.textContent = `${this.format(Date.parse(b.start), withTime)}: ${this.t.outcomeSuccess} ${b.success}, ${this.t.outcomeFailure} ${b.failure}, ${this.t.outcomeUnknown} ${b.unknown}`;
      g.append(title);
      svg.append(g);
    }
    const brush = s('rect', { class: 'brush', x: 0, y: 0, width: 0, height: H, visibility: 'hidden' });
    svg.append(brush);
    const axis = h('div', { class: 'axis' }, h('span', {}, this.format(from, withTime)), h('span', { class: 'hint' }, this.t.histogramHint), h('span', {}, this.format(to, withTime)));
    this.el.replaceChildren(svg, axis);
    this.el.hidden = false;
    this.brushable(svg, brush);
  }

  private brushable(svg: SVGSVGElement, brush: SVGRectElement): void {
    let start: number | undefined;
    const frac = (e: PointerEvent) => {
      const r = svg.getBoundingClientRect();
      return Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
    };
    const show = (a: number, b: number) => {
      brush.setAttribute('x', String(Math.min(a, b) * W));
      brush.setAttribute('width', String(Math.abs(b - a) * W));
      brush.setAttribute('visibility', 'visible');
    };
    svg.addEventListener('pointerdown', (e) => {
      start = frac(e);
      svg.setPointerCapture?.(e.pointerId);
      show(start, start);
    });
    svg.addEventListener('pointermove', (e) => {
      if (start !== undefined) show(start, frac(e));
    });
    const end = (e: PointerEvent) => {
      if (start === undefined || !this.data) return;
      const a = Math.min(start, frac(e));
      const b = Math.max(start, frac(e));
      start = undefined;
      brush.setAttribute('visibility', 'hidden');
      // A click is not a selection: at least half a bucket wide.
      const from = Date.parse(this.data.from);
      const span = Date.parse(this.data.to) - from;
      const w = this.data.bucket_ms;
      if ((b - a) * span < w / 2) return;
      const lo = Math.max(from, Math.floor((from + a * span) / w) * w);
      const hi = Math.min(from + span, Math.ceil((from + b * span) / w) * w);
      if (hi > lo) this.onBrush(lo, hi);
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', () => {
      start = undefined;
      brush.setAttribute('visibility', 'hidden');
    });
  }
}

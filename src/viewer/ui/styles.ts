/**
 * Themes are CSS custom properties on the host: set `theme="dark"` (or "auto" to follow the
 * system), or override any --vt-* variable from the page, e.g.
 *   veritrail-viewer { --vt-accent: #0a7d5a; --vt-font: "Inter", sans-serif; }
 */
export const STYLES = `
:host {
  --vt-bg: #ffffff; --vt-fg: #1b1f24; --vt-muted: #57606a; --vt-border: #d0d7de; --vt-subtle: #f6f8fa;
  --vt-accent: #0b57d0; --vt-accent-fg: #ffffff; --vt-ok: #116329; --vt-ok-bg: #dafbe1; --vt-bad: #a40e26;
  --vt-bad-bg: #ffebe9; --vt-warn: #7a4e00; --vt-warn-bg: #fff8c5; --vt-focus: #0b57d0;
  --vt-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; --vt-mono: ui-monospace, SFMono-Regular, Menlo, monospace;
  --vt-radius: 8px; --vt-font-size: 14px;
  display: block; position: relative; height: 600px; min-height: 320px; overflow: hidden;
  font: var(--vt-font-size)/1.45 var(--vt-font); color: var(--vt-fg); background: var(--vt-bg);
  border: 1px solid var(--vt-border); border-radius: var(--vt-radius); color-scheme: light;
}
:host([theme="dark"]) {
  --vt-bg: #0d1117; --vt-fg: #e6edf3; --vt-muted: #9da7b3; --vt-border: #30363d; --vt-subtle: #161b22;
  --vt-accent: #4493f8; --vt-accent-fg: #0d1117; --vt-ok: #56d364; --vt-ok-bg: #12261e; --vt-bad: #ff7b72;
  --vt-bad-bg: #2d1215; --vt-warn: #e3b341; --vt-warn-bg: #2b2111; --vt-focus: #4493f8; color-scheme: dark;
}
@media (prefers-color-scheme: dark) {
  :host([theme="auto"]) {
    --vt-bg: #0d1117; --vt-fg: #e6edf3; --vt-muted: #9da7b3; --vt-border: #30363d; --vt-subtle: #161b22;
    --vt-accent: #4493f8; --vt-accent-fg: #0d1117; --vt-ok: #56d364; --vt-ok-bg: #12261e; --vt-bad: #ff7b72;
    --vt-bad-bg: #2d1215; --vt-warn: #e3b341; --vt-warn-bg: #2b2111; --vt-focus: #4493f8; color-scheme: dark;
  }
}
* { box-sizing: border-box; }
.root { display: flex; flex-direction: column; height: 100%; }
.view { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.tab-panel { overflow-y: auto; padding: 12px; }
.tabs { display: flex; gap: 4px; padding: 6px 12px 0; border-bottom: 1px solid var(--vt-border); background: var(--vt-subtle); }
.tabs [role="tab"] { border: 1px solid transparent; border-bottom: 0; border-radius: 6px 6px 0 0; background: none; margin-bottom: -1px; }
.tabs [role="tab"][aria-selected="true"] { background: var(--vt-bg); border-color: var(--vt-border); font-weight: 600; }
header { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 10px 12px; border-bottom: 1px solid var(--vt-border); background: var(--vt-subtle); }
h2 { font-size: 1.05em; margin: 0 8px 0 0; }
form { display: contents; }
.search { flex: 1 1 260px; display: flex; gap: 6px; }
input, select, button { font: inherit; color: inherit; background: var(--vt-bg); border: 1px solid var(--vt-border); border-radius: 6px; padding: 4px 8px; min-height: 30px; }
input[type="search"] { flex: 1; min-width: 0; }
button { cursor: pointer; }
button.primary { background: var(--vt-accent); color: var(--vt-accent-fg); border-color: var(--vt-accent); }
:focus-visible { outline: 2px solid var(--vt-focus); outline-offset: 2px; }
.filters { border: 0; margin: 0; padding: 0; min-width: 0; display: flex; flex-wrap: wrap; gap: 8px; align-items: end; width: 100%; }
.filters label { display: flex; flex-direction: column; font-size: .85em; color: var(--vt-muted); gap: 2px; }
.filters input { width: 9.5em; }
.filters label.toggle { flex-direction: row; align-items: center; gap: 6px; padding-bottom: .45em; }
.filters label.toggle input { width: auto; margin: 0; }
.badge { display: inline-flex; align-items: center; gap: 4px; font-size: .85em; padding: 2px 8px; border-radius: 999px; border: 1px solid transparent; }
.badge.ok { color: var(--vt-ok); background: var(--vt-ok-bg); border-color: var(--vt-ok); }
.badge.bad { color: var(--vt-bad); background: var(--vt-bad-bg); border-color: var(--vt-bad); }
.badge.warn { color: var(--vt-warn); background: var(--vt-warn-bg); border-color: var(--vt-warn); }
.spacer { flex: 1; }
.export { display: flex; gap: 6px; align-items: center; }
[hidden] { display: none !important; } /* the hidden attribute wins over display rules (e.g. the export box of a read-only token) */
.status { font-size: .9em; color: var(--vt-muted); }
.status a { color: var(--vt-accent); }
.scroll { flex: 1; overflow-y: auto; }
[role="feed"] { margin: 0; padding: 0; }
article { display: grid; grid-template-columns: 8.5em minmax(0, 1fr) auto; align-items: baseline; gap: 2px 12px; padding: 8px 12px; border-bottom: 1px solid var(--vt-border); cursor: pointer; }
article:hover { background: var(--vt-subtle); }
article:focus-visible { outline-offset: -2px; }
article .day { grid-column: 1 / -1; margin: 4px 0 6px; font-size: .85em; font-weight: 600; color: var(--vt-muted); }
article .time { grid-row: span 3; color: var(--vt-muted); font-size: .9em; font-variant-numeric: tabular-nums; display: flex; flex-direction: column; }
article .rel { font-size: .9em; }
article .action { grid-column: 2; font-weight: 600; overflow-wrap: anywhere; }
article .who, article .where { grid-column: 2; color: var(--vt-muted); font-size: .92em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
article .where { display: flex; flex-wrap: wrap; gap: 2px 8px; align-items: baseline; white-space: normal; }
article .marks { grid-row: span 3; grid-column: 3; display: flex; gap: 6px; align-items: center; }
button.pivot { border: 0; background: none; padding: 0 2px; min-height: 0; color: var(--vt-fg); border-radius: 3px; text-decoration: underline dotted; text-underline-offset: 2px; max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: baseline; }
button.pivot:hover { background: var(--vt-border); text-decoration-style: solid; }
button.pivot.code, .country { font-family: var(--vt-mono); font-size: .9em; }
.country { padding: 0 4px; border: 1px solid var(--vt-border); border-radius: 3px; }
.chips { display: contents; list-style: none; margin: 0; padding: 0; }
.chip { display: inline-flex; align-items: center; gap: 2px; padding: 0 0 0 8px; border: 1px solid var(--vt-accent); border-radius: 999px; font-size: .85em; max-width: 18em; white-space: nowrap; }
.chip span { overflow: hidden; text-overflow: ellipsis; }
.chip button { border: 0; background: none; min-height: 0; padding: 2px 8px; border-radius: 999px; line-height: 1; }
.search { flex-wrap: wrap; }
input[type="search"] { flex: 1 1 10em; }
.hist { padding: 6px 12px 4px; border-bottom: 1px solid var(--vt-border); }
.hist svg { display: block; width: 100%; height: 56px; cursor: crosshair; touch-action: none; }
.hist rect.success { fill: var(--vt-ok); }
.hist rect.failure { fill: var(--vt-bad); }
.hist rect.unknown { fill: var(--vt-muted); }
.hist rect.brush { fill: var(--vt-accent); fill-opacity: .25; stroke: var(--vt-accent); }
.hist .axis { display: flex; justify-content: space-between; gap: 8px; font-size: .8em; color: var(--vt-muted); }
.hist .hint { text-align: center; }
[role="dialog"] .head .status { font-size: .85em; }
textarea.json { width: 100%; margin-top: 12px; font: .85em/1.4 var(--vt-mono); color: inherit; background: var(--vt-subtle); border: 1px solid var(--vt-border); }
.seal-text.verified { color: var(--vt-ok); }
.seal-text.failed { color: var(--vt-bad); }
.outcome-failure { color: var(--vt-bad); }
.pill { font-size: .8em; padding: 1px 6px; border-radius: 4px; border: 1px solid var(--vt-border); }
.pill.failure { color: var(--vt-bad); border-color: var(--vt-bad); }
.pill.success { color: var(--vt-muted); }
.seal { font-size: .9em; }
.seal.verified { color: var(--vt-ok); }
.seal.failed { color: var(--vt-bad); }
.seal.unsealed { color: var(--vt-muted); }
.message { padding: 24px; text-align: center; color: var(--vt-muted); }
.message.error { color: var(--vt-bad); }
.more { display: flex; justify-content: center; padding: 12px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.backdrop { position: absolute; inset: 0; background: rgba(0, 0, 0, .35); }
[role="dialog"] { position: absolute; top: 0; right: 0; bottom: 0; width: min(560px, 92%); background: var(--vt-bg); border-left: 1px solid var(--vt-border); display: flex; flex-direction: column; box-shadow: -8px 0 24px rgba(0, 0, 0, .2); }
[role="dialog"] > .head { display: flex; align-items: center; gap: 8px; padding: 10px 12px; border-bottom: 1px solid var(--vt-border); }
[role="dialog"] h3 { margin: 0; font-size: 1em; font-family: var(--vt-mono); flex: 1; overflow-wrap: anywhere; }
[role="dialog"] .body { overflow-y: auto; padding: 12px; }
h4 { margin: 16px 0 6px; font-size: .9em; text-transform: uppercase; letter-spacing: .04em; color: var(--vt-muted); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; }
dt { color: var(--vt-muted); }
dd { margin: 0; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; font-size: .92em; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid var(--vt-border); overflow-wrap: anywhere; }
td.before { background: var(--vt-bad-bg); }
td.after { background: var(--vt-ok-bg); }
td.same { color: var(--vt-muted); }
pre { margin: 0; font: .9em/1.4 var(--vt-mono); white-space: pre-wrap; overflow-wrap: anywhere; }
code { font-family: var(--vt-mono); font-size: .92em; }
`;

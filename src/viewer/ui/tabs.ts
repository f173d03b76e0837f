import type { ViewerApi } from './api.js';
import type { ViewerStrings } from './strings.js';

/** The claims of the viewer token, as the page may read them (the server verifies them). */
export interface TokenClaims {
  scp?: unknown;
  prf?: unknown;
  [claim: string]: unknown;
}

export interface TabContext {
  api: ViewerApi;
  strings: ViewerStrings;
  claims: TokenClaims;
  locale: string | undefined;
  /** False once the token changed or the element was removed: stop updating the panel. */
  live: () => boolean;
}

/**
 * A view beside the event list (e.g. the organization's SIEM destinations). A tab lives in its
 * own file and registers itself; the element shows a tab list only when the token makes at
 * least one registered tab available.
 */
export interface ViewerTab {
  id: string;
  label: (t: ViewerStrings) => string;
  /** Whether this token may use the tab (a capability in its claims); the server decides anyway. */
  available: (claims: TokenClaims) => boolean;
  /** Fills the tab's panel: on first selection after each token change. Event data only as text. */
  render: (panel: HTMLElement, ctx: TabContext) => void | Promise<void>;
}

const registry: ViewerTab[] = [];

export function registerTab(tab: ViewerTab): void {
  const i = registry.findIndex((x) => x.id === tab.id);
  if (i >= 0) registry[i] = tab;
  else registry.push(tab);
}

export function registeredTabs(): readonly ViewerTab[] {
  return registry;
}

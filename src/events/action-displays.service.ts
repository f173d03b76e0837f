import { Injectable } from '@nestjs/common';
import { canonicalJson } from '../common/canonical.js';
import { NotFoundError, UnprocessableError, ValidationError, type ErrorDetail } from '../common/errors.js';
import { SharedLoads } from '../common/shared-loads.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { ActionDisplaysRepository, type DisplayRow } from './action-displays.repository.js';
import { AuditTrailService, keyActor, type RequestMeta } from './audit-trail.service.js';
import { defaultMessage, LOCALE_PATTERN, parseTemplate, pickLocale, renderTemplate, TemplateError, TEMPLATE_LIMITS, type Part } from './display-template.js';

/** How many actions of one tenant may have a template. */
export const DISPLAY_TEMPLATES_PER_TENANT = 1000;
/** How long a process trusts its copy of a tenant's templates (a change on another replica shows after this). */
export const DISPLAY_INDEX_TTL_MS = 5_000;
const LOCALE = new RegExp(LOCALE_PATTERN);

interface Compiled {
  parts: Part[];
  locales: Record<string, Part[]>;
}

/** A tenant's templates, parsed; renders the message of any event (a default without a template). */
export class TenantDisplays {
  constructor(private readonly byAction: Map<string, Compiled>) {}

  get size(): number {
    return this.byAction.size;
  }

  /** The plain-text message of a parsed event, in `locale` when the template has it. */
  message(event: { action?: unknown }, locale?: string): string {
    const action = typeof event.action === 'string' ? event.action : '';
    const c = this.byAction.get(action);
    if (!c) return defaultMessage(action);
    return renderTemplate(pickLocale(c.locales, c.parts, locale), event);
  }
}

export interface DisplayView {
  action: string;
  template: string;
  locales: Record<string, string>;
  updated_at: string;
}

const view = (r: DisplayRow): DisplayView => ({ action: r.action, template: r.template, locales: r.locales, updated_at: r.updatedAt.toISOString() });

/**
 * Per-action display templates (docs/api.md "Display templates"): stored per tenant, parsed once
 * per process and cached, rendered into `display.message` of events as they are read, and into
 * CEF `msg` / OCSF `message` in exports. A tenant without templates is never touched: its events
 * are still served as stored, unparsed.
 */
@Injectable()
export class ActionDisplaysService {
  private readonly cache = new Map<string, { fetchedAt: number; displays: TenantDisplays | undefined }>();
  /** Loads in flight, per tenant. */
  private readonly loading = new SharedLoads<string, TenantDisplays | undefined>();

  constructor(
    private readonly repo: ActionDisplaysRepository,
    private readonly trail: AuditTrailService,
  ) {}

  /** PUT /v1/actions/{action}/display: checks the templates and stores them (replacing any). */
  async put(principal: ApiKeyPrincipal, action: string, body: { template: string; locales?: Record<string, string> }, meta: RequestMeta): Promise<DisplayView> {
    const scope = TenantScope.of(principal);
    const locales = body.locales ?? {};
    checkTemplates(body.template, locales);
    const existing = await this.repo.get(scope, action);
    if (!existing && (await this.repo.all(scope, DISPLAY_TEMPLATES_PER_TENANT)).length >= DISPLAY_TEMPLATES_PER_TENANT) {
      throw new UnprocessableError('display_template_limit', `A tenant keeps templates for at most ${DISPLAY_TEMPLATES_PER_TENANT} actions.`);
    }
    const row = await this.repo.put(scope, action, body.template, locales);
    this.cache.delete(scope.tenantId);
    this.loading.forget(scope.tenantId);
    await this.trail.record(
      scope,
      { action: 'veritrail.action_display.updated', actor: keyActor(principal), targets: [{ type: 'action', id: action }], metadata: { locales: Object.keys(locales).sort() } },
      meta,
    );
    return view(row);
  }

  /** GET /v1/actions/{action}/display. */
  async get(principal: ApiKeyPrincipal, action: string): Promise<DisplayView> {
    const row = await this.repo.get(TenantScope.of(principal), action);
    if (!row) throw new NotFoundError(`display template of ${action}`);
    return view(row);
  }

  /**
   * The tenant's templates, or undefined when it has none (then nothing needs rendering). Callers
   * arriving while they load share that load (a list starts it before its query, see
   * EventQueryService.list); a load overtaken by a change on this replica is neither shared nor cached.
   */
  forTenant(scope: TenantScope): Promise<TenantDisplays | undefined> {
    // The cache's age in this process: monotonic, whatever the wall clock does.
    const now = performance.now();
    const hit = this.cache.get(scope.tenantId);
    if (hit && now - hit.fetchedAt < DISPLAY_INDEX_TTL_MS) return Promise.resolve(hit.displays);
    return this.loading.get(scope.tenantId, (isCurrent) =>
      this.load(scope).then((displays) => {
        if (isCurrent()) {
          if (!this.cache.has(scope.tenantId) && this.cache.size >= 10_000) this.cache.delete(this.cache.keys().next().value as string);
          this.cache.set(scope.tenantId, { fetchedAt: now, displays });
        }
        return displays;
      }),
    );
  }

  private async load(scope: TenantScope): Promise<TenantDisplays | undefined> {
    const rows = await this.repo.all(scope, DISPLAY_TEMPLATES_PER_TENANT);
    const map = new Map<string, Compiled>();
    for (const r of rows) {
      try {
        const locales: Record<string, Part[]> = {};
        for (const [tag, t] of Object.entries(r.locales)) locales[tag] = parseTemplate(t);
        map.set(r.action, { parts: parseTemplate(r.template), locales });
      } catch {
        // Stored templates were checked when written; one that no longer parses (a tighter rule
        // in a later release) falls back to the default message rather than failing reads.
      }
    }
    return rows.length > 0 ? new TenantDisplays(map) : undefined;
  }

  /** The template of each of the given actions (for the action catalog). */
  async templatesOf(scope: TenantScope, actions: string[]): Promise<Map<string, string>> {
    if (actions.length === 0) return new Map();
    const wanted = new Set(actions);
    const rows = await this.repo.all(scope, DISPLAY_TEMPLATES_PER_TENANT);
    return new Map(rows.filter((r) => wanted.has(r.action)).map((r) => [r.action, r.template]));
  }

  /**
   * Stored event payloads with `display: {message}` added, still canonical JSON (RFC 8785) —
   * or the payloads untouched, unparsed, when the tenant has no templates.
   */
  async decorate(scope: TenantScope, payloads: string[], locale: string | undefined): Promise<string[]> {
    if (payloads.length === 0) return payloads;
    const displays = await this.forTenant(scope);
    if (!displays) return payloads;
    return payloads.map((p) => {
      const event = JSON.parse(p) as Record<string, unknown>;
      return canonicalJson({ ...event, display: { message: displays.message(event, locale) } });
    });
  }
}

function checkTemplates(template: string, locales: Record<string, string>): void {
  const details: ErrorDetail[] = [];
  const check = (field: string, t: string) => {
    try {
      parseTemplate(t);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      details.push({ field, code: err.code, message: err.message });
    }
  };
  check('template', template);
  const tags = Object.keys(locales);
  if (tags.length > TEMPLATE_LIMITS.locales) details.push({ field: 'locales', code: 'too_many_locales', message: `At most ${TEMPLATE_LIMITS.locales} locales.` });
  const seen = new Set<string>();
  for (const tag of tags.slice(0, TEMPLATE_LIMITS.locales)) {
    if (!LOCALE.test(tag)) details.push({ field: `locales.${tag.slice(0, 40)}`, code: 'invalid_locale', message: 'A locale is a BCP 47 tag such as de or pt-BR.' });
    else if (seen.has(tag.toLowerCase())) details.push({ field: `locales.${tag}`, code: 'duplicate_locale', message: 'Locale tags are case-insensitive; this one is given twice.' });
    else check(`locales.${tag}`, locales[tag]!);
    seen.add(tag.toLowerCase());
  }
  if (details.length > 0) throw new ValidationError(details, 'The display template is not acceptable.');
}

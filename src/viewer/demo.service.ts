import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { NotFoundError } from '../common/errors.js';
import type { RequestMetaValue } from '../common/request-meta.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { IngestService } from '../ingest/ingest.service.js';
import { SealerService } from '../integrity/sealer.service.js';
import type { TenantSnapshot } from '../tenancy/principal.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { TenantsService } from '../tenancy/tenants.service.js';
import { DEMO_ME, DEMO_ORGANIZATION, demoEvents } from './demo-events.js';
import { ViewerRepository } from './viewer.repository.js';
import { DEMO_KEY_ID, ViewerTokenService } from './viewer-tokens.service.js';
import { CheckedClock } from '../common/checked-clock.js';

export type DemoView = 'organization' | 'my-activity';

/**
 * /demo: one demo tenant per install, created with sample events on the first visit, and a
 * page showing the viewer on it with a fresh one-hour token. Only ever this one tenant: a
 * visitor cannot create others, and the page hands out read-only viewer tokens (no exports:
 * anonymous visitors must not be able to queue work), never keys. Served only when
 * VIEWER_DEMO=true. The demo tenant keeps the default settings (read auditing on), so the page
 * shows what a customer's organization sees with them.
 */
@Injectable()
export class DemoService {
  private readonly logger = new Logger('Demo');
  private pending: Promise<TenantSnapshot> | undefined;

  constructor(
    private readonly tenants: TenantsService,
    private readonly directory: TenantDirectory,
    private readonly ingest: IngestService,
    private readonly sealer: SealerService,
    private readonly tokens: ViewerTokenService,
    private readonly repo: ViewerRepository,
    @InjectConfig() private readonly config: AppConfig,
    private readonly stamps: CheckedClock,
  ) {}

  async page(view: DemoView, meta: RequestMetaValue): Promise<{ html: string; nonce: string }> {
    if (!this.config.viewer.demo) throw new NotFoundError('page');
    const tenant = await this.tenant(meta);
    const me = view === 'my-activity' ? DEMO_ME : undefined;
    const { token } = await this.tokens.mint(
      tenant.id,
      { organizationId: DEMO_ORGANIZATION, actorId: me?.id, userId: me?.id, scopes: ['events:read'], keyId: DEMO_KEY_ID },
      3600,
    );
    const nonce = randomBytes(16).toString('base64');
    return { html: demoPage(token, view, nonce), nonce };
  }

  private async tenant(meta: RequestMetaValue): Promise<TenantSnapshot> {
    const id = await this.repo.demoTenantId();
    const existing = id ? await this.directory.get(id) : undefined;
    if (existing) return existing;
    // One creation at a time in this process; the demo runs on a single embedded instance.
    this.pending ??= this.create(meta).finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async create(meta: RequestMetaValue): Promise<TenantSnapshot> {
    const started = performance.now();
    const created = await this.tenants.create({ name: 'Demo: Northwind (sample data)' }, meta);
    const tenant = (await this.directory.get(created.tenant.id))!;
    const scope = TenantScope.forTenant(tenant);
    // Receipt time, as the ingest endpoints stamp it.
    const now = this.stamps.now();
    const events = this.ingest.validateBatch(scope, { events: demoEvents(now) }, now);
    await this.ingest.ingest(scope, events, undefined, now);
    await this.sealer.sealTenant(scope).catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'demo: first seal deferred to the seal job'));
    await this.repo.setDemoTenantId(tenant.id);
    this.logger.log({ tenant_id: tenant.id, events: events.length, ms: Math.round(performance.now() - started) }, 'demo tenant created');
    return tenant;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function demoPage(token: string, view: DemoView, nonce: string): string {
  const tab = (v: DemoView, label: string) =>
    `<a href="/demo${v === 'my-activity' ? '?view=my-activity' : ''}"${v === view ? ' aria-current="page"' : ''}>${label}</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Veritrail viewer demo</title>
<style nonce="${nonce}">
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; background: #f4f5f7; color: #1d2330; }
  /* The page follows the OS colour scheme until the button picks one. */
  @media (prefers-color-scheme: dark) { body:not(.light) { background: #0f1216; color: #e6e8eb; } }
  body.dark { background: #0f1216; color: #e6e8eb; }
  header { display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: center; padding: 1rem clamp(1rem, 4vw, 2rem); background: #1d2330; color: #fff; }
  header nav { flex-wrap: wrap; }
  header h1 { font-size: 1.1rem; margin: 0; }
  header nav { display: flex; gap: 1rem; }
  header a { color: #c9d3ff; }
  header a[aria-current] { color: #fff; font-weight: 600; }
  header button { margin-left: auto; font: inherit; padding: .3rem .8rem; border-radius: 6px; border: 1px solid #6b7489; background: transparent; color: #fff; cursor: pointer; }
  main { max-width: 1100px; margin: 1.5rem auto; padding: 0 1rem; }
  main p { line-height: 1.5; }
  veritrail-viewer { display: block; height: 70vh; }
  code { font-size: .9em; }
</style>
</head>
<body>
<header>
  <h1>Northwind admin · Audit log</h1>
  <nav aria-label="Demo views">${tab('organization', 'Organization trail')}${tab('my-activity', 'My activity (Chen Wei)')}</nav>
  <button type="button" id="theme">Switch theme</button>
</header>
<main>
  <p>This page plays the part of your product: it embeds <code>&lt;veritrail-viewer&gt;</code> with a viewer token
  scoped to the organization <code>${DEMO_ORGANIZATION}</code>${view === 'my-activity' ? ` and to the actor <code>${DEMO_ME.id}</code>` : ''}, valid for one hour.
  The tenant holds a second organization whose events this token can never read. See <code>docs/viewer.md</code> to embed it in your app.</p>
  <veritrail-viewer token="${escapeHtml(token)}" theme="auto"></veritrail-viewer>
</main>
<script type="module" src="/viewer/veritrail-viewer.js"></script>
<script nonce="${nonce}">
  const button = document.getElementById('theme');
  const viewer = document.querySelector('veritrail-viewer');
  button.addEventListener('click', () => {
    // From "auto" (the OS scheme) to the other scheme, then back and forth.
    const current = viewer.getAttribute('theme');
    const nowDark = current === 'dark' || (current === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
    const dark = !nowDark;
    viewer.setAttribute('theme', dark ? 'dark' : 'light');
    document.body.classList.toggle('dark', dark);
    document.body.classList.toggle('light', !dark);
    button.textContent = dark ? 'Light theme' : 'Dark theme';
  });
</script>
</body>
</html>
`;
}

/**
 * Generated from openapi/openapi.json by scripts/generate.mjs (openapi-typescript). Do not edit.
 */

export interface paths {
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What this server is, and where to go next (HTML for browsers, JSON otherwise) */
        get: operations["home"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Public keys that sign checkpoints (current and retired)
         * @description Pin them in your verifier; never trust keys shipped with evidence.
         */
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/veritrail/note-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verifier keys of the checkpoint notes (current and retired)
         * @description One C2SP signed-note verifier key per line, `<name>+<hex key id>+<base64(0x01 ‖ Ed25519 public key)>`, the newest active key first. Pin them in your C2SP verifier (e.g. Go `note.NewVerifier`); they are not the JWS keys of `/.well-known/jwks.json`.
         */
        get: operations["getNoteKeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/veritrail/root-checkpoint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The witnessed root checkpoint of the deployment
         * @description Every tenant checkpoint note is a leaf of one deployment-wide Merkle log (origin `<note key name>/root`). Its newest final checkpoint (signed at most once per `ROOT_CHECKPOINT_INTERVAL`, final once `WITNESS_THRESHOLD` witnesses cosigned it) as a C2SP signed note: the log signature (a key of `/.well-known/veritrail/note-keys`) followed by the witnesses' cosignatures (c2sp.org/tlog-cosignature). `?size=N`: the root checkpoint of that size, final or not. Evidence carries each tenant checkpoint's inclusion in it (tlog-proof files).
         */
        get: operations["getRootCheckpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/veritrail/root-checkpoint/timestamp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * RFC 3161 timestamp of a root checkpoint
         * @description The RFC 3161 time-stamp token (DER CMS SignedData over a TSTInfo) that `TSA_URL` issued over the text of the newest final root checkpoint (or of `size`): origin, tree size and root lines, SHA-256. Check it with `openssl ts -verify -data <checkpoint text> -in <token> -token_in -CAfile <TSA CA>`, or the offline verifier (`--tsa-certs`).
         */
        get: operations["getRootTimestamp"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List plans and their limits
         * @description Answers 404 billing_disabled when billing is off (STRIPE_SECRET_KEY unset).
         */
        get: operations["listPlans"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/plans/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Create a plan or change its limits
         * @description Tenants above a lowered max_retention_days are clamped by the billing job (recorded in their trail). Answers 404 billing_disabled when billing is off (STRIPE_SECRET_KEY unset).
         */
        put: operations["upsertPlan"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tenants */
        get: operations["listTenants"];
        put?: never;
        /** Create a tenant and its first admin key */
        post: operations["createTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a tenant */
        get: operations["getTenant"];
        put?: never;
        post?: never;
        /** Delete a tenant, its events, keys and settings */
        delete: operations["deleteTenant"];
        options?: never;
        head?: never;
        /** Rename, suspend/resume, change retention or read auditing */
        patch: operations["updateTenant"];
        trace?: never;
    };
    "/admin/v1/tenants/{id}/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mint an API key for a tenant (e.g. when its admin key was lost) */
        post: operations["createTenantApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{id}/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Put a tenant on a plan regardless of Stripe (null: back to its subscription or free)
         * @description Recorded as veritrail.billing.plan_changed. Answers 404 billing_disabled when billing is off (STRIPE_SECRET_KEY unset).
         */
        put: operations["setTenantPlan"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["metricsText"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: PostgreSQL and ClickHouse both answer */
        get: operations["readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/actions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the actions in use
         * @description Every action the tenant has used (an organization-scoped key: its organization), with the number of events received and when it was first and last seen. Read from an aggregate kept on ingest, not by scanning events. Keyset pages in action order.
         */
        get: operations["listActions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/actions/{action}/display": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get the display template of an action */
        get: operations["getActionDisplay"];
        /**
         * Set the display template of an action
         * @description A plain-text sentence for events of this action, with placeholders naming paths into the event ({actor.name} shared {targets[0].name}), optionally per locale. Replaces the previous template. Events are then returned with display.message; CEF msg and OCSF message use it. Other replicas use it within 5 seconds.
         */
        put: operations["putActionDisplay"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/actions/{action}/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an action's metadata schema
         * @description The latest version, or the one named by `version`.
         */
        get: operations["getActionSchema"];
        /**
         * Register a metadata schema for an action
         * @description Adds a new immutable version (1, 2, …) of the JSON Schema (draft 2020-12) that events of this action must (enforce) or should (warn) carry in `metadata`. Events may name `schema_version`; otherwise the latest version applies. Other replicas use a new version within 5 seconds.
         */
        put: operations["putActionSchema"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List alert rules, oldest first */
        get: operations["listAlertRules"];
        put?: never;
        /**
         * Create an alert rule (from a template or in full)
         * @description A rule evaluates events sealed from now on (history still counts in its windows). Kinds: threshold (≥ count matching events, or distinct values, per key within a window), new_value (first time an actor is seen with a country, IP or user agent in the look-back), sequence (failures then a success for the same key within a window).
         */
        post: operations["createAlertRule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an alert rule and how far its evaluation is */
        get: operations["getAlertRule"];
        put?: never;
        post?: never;
        /**
         * Delete an alert rule
         * @description Its alerts stay (they keep the rule's name).
         */
        delete: operations["deleteAlertRule"];
        options?: never;
        head?: never;
        /**
         * Change, enable or disable an alert rule
         * @description The kind cannot change. A rule enabled again starts from the events sealed from then on.
         */
        patch: operations["updateAlertRule"];
        trace?: never;
    };
    "/v1/alert-rules/{id}/backtest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Backtest an alert rule over past events
         * @description Replays the rule (enabled or not) over the events that occurred in [from, to) (at most 90 days) as live evaluation would have, and answers the alerts it would have raised, per day, and their ratio to the STAT target. Nothing is stored, recorded in the trail or sent, and the rule's own evaluation does not move. Bounded: `truncated` says when it stopped early.
         */
        post: operations["backtestAlertRule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-rules/{id}/sigma": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export an alert rule as Sigma
         * @description Sigma rules as imported; threshold rules as a Sigma detection rule (logsource product veritrail), with an event_count or value_count correlation when they count more than one event.
         */
        get: operations["exportSigmaAlertRule"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-rules/backtest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Backtest a draft alert rule over past events
         * @description The body of a create (validated the same way) plus `from`/`to` (RFC 3339, at most 90 days): replays the rule over the events that occurred in that range and answers the alerts it would have raised, per day, and their ratio to the STAT target (one actionable alert per rule and week). Nothing is stored, recorded in the trail or sent. Bounded: `truncated` says when it stopped early.
         */
        post: operations["backtestDraftAlertRule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-rules/sigma": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a Sigma rule
         * @description A Sigma detection rule (logsource product veritrail, github or okta; selections with the modifiers contains, startswith, endswith, re (RE2), all, cidr, exists; conditions with and/or/not, parentheses, 1 of / all of; a legacy `| count() by field > N` with timeframe) or a correlation rule (event_count, value_count, temporal_ordered) followed by the rules it refers to. Fields map onto event fields as docs/alerts.md lists. The rule (kind sigma) evaluates events sealed from now on, like any rule, and can be backtested.
         */
        post: operations["importSigmaAlertRule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-rules/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The built-in rule templates
         * @description Create one with POST /v1/alert-rules {"template": "<name>"}, overriding any field.
         */
        get: operations["listAlertRuleTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List alerts, newest first
         * @description Filters: status, tier, rule_id, owner, group_value, from/to on triggered_at. Cursor pages.
         */
        get: operations["listAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an alert with its evidence and notes */
        get: operations["getAlert"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Triage an alert: acknowledge, close (with a resolution), reopen, reassign, add a note
         * @description Each change is recorded in the trail as veritrail.alert.acknowledged | closed | reopened | updated.
         */
        patch: operations["updateAlert"];
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys (never their secrets) */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key
         * @description The key is returned once; only its hash is stored.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description Takes effect at once on this replica, within AUTH_CACHE_TTL_MS on others.
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/billing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The plan, its limits, the current period and its usage
         * @description Usage is exact: counted from the stored events. Answers 404 billing_disabled when billing is off (STRIPE_SECRET_KEY unset).
         */
        get: operations["getBilling"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/billing/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a Stripe Checkout for a plan
         * @description Returns the Checkout URL to send the buyer to; the plan changes when Stripe confirms the payment (webhook). 409 subscription_exists: use the portal. Answers 404 billing_disabled when billing is off (STRIPE_SECRET_KEY unset).
         */
        post: operations["createCheckout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/billing/portal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Open the Stripe Customer Portal
         * @description Invoices, payment methods, plan changes and cancellation. Answers 404 billing_disabled when billing is off (STRIPE_SECRET_KEY unset).
         */
        post: operations["createPortal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/billing/stripe/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stripe webhook endpoint
         * @description Called by Stripe, not by tenants. The Stripe-Signature header is verified over the raw body with STRIPE_WEBHOOK_SECRET (400 invalid_signature, also for events older than 5 minutes). Each event is applied once; unhandled types are acknowledged and ignored. Answers 404 billing_disabled when billing is off (STRIPE_SECRET_KEY unset).
         */
        post: operations["receiveStripeWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search events
         * @description Keyset-paginated; a cursor is bound to the tenant and to the filters it was issued for. format=ocsf|ecs|cef puts OCSF objects, ECS documents or CEF lines (strings) in data instead of the events, with the same cursor.
         */
        get: operations["listEvents"];
        put?: never;
        /**
         * Record one event
         * @description Answers 201 only after the event is committed to storage.
         */
        post: operations["createEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one event */
        get: operations["getEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Inclusion proof of one event in a signed checkpoint
         * @description Tenant-wide keys only: a proof reveals the size of the whole log (organization keys: 403) — and viewer tokens minted with `proofs: true`, for events in their scope, so the embedded viewer checks proofs in the browser.
         */
        get: operations["getEventProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record up to 1000 events at once
         * @description All or nothing: one invalid event rejects the batch and every invalid event is listed by index. At most 5 MB.
         */
        post: operations["createEventBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream a small export directly
         * @description The events matching the filters (those of GET /v1/events), oldest first, in the response body — no job. Refused with 422 export_too_large before any byte when the range holds more than EXPORT_DIRECT_MAX_EVENTS events (100 000 by default): use POST /v1/exports. Recorded as veritrail.export.streamed. A failure after the first byte ends the response early (the body is then incomplete: check the event count or use POST /v1/exports for a sha256).
         */
        get: operations["streamExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/feed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Poll every event exactly once (SIEM feed)
         * @description Events in the order they were appended to the tamper-evident log: each event is delivered exactly once across pages, whatever the number of writers and replicas, about LOG_APPEND_INTERVAL (500 ms by default) after it was acknowledged, later while the store is busy; signing checkpoints (SEAL_INTERVAL) is not on this path. next_cursor is always returned, also on an empty page: store it and poll with it. A page may hold fewer than limit events while more are pending. format=ocsf|ecs|cef puts OCSF objects, ECS documents or CEF lines (strings) in data instead of the events, with the same cursor.
         */
        get: operations["getEventFeed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/histogram": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Count events per time bucket and outcome
         * @description Over [from, to) — by default the 30 days up to now — in at most `buckets` buckets of a round width (bucket_ms). The same filters and scope as GET /v1/events: what the embedded viewer's histogram draws.
         */
        get: operations["getEventHistogram"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Count events by action, outcome and day */
        get: operations["getEventStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/verification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Check a few events against the newest signed checkpoint
         * @description For each id: verified (the stored event hashes to its sealed leaf, whose audit path leads to the root of the newest checkpoint, whose signature is valid), unsealed, failed or not_found. What the viewer's "verified" badge shows; the offline verifier is the independent check.
         */
        get: operations["verifyEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List exports, newest first */
        get: operations["listExports"];
        put?: never;
        /**
         * Request an export
         * @description Takes the filters of GET /v1/events and a format; answers 202 with the export job, produced in the background from a snapshot of the trail as of the request. Poll GET /v1/exports/{id} until status is succeeded, then download. Recorded as veritrail.export.requested.
         */
        post: operations["createExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an export
         * @description Once succeeded, includes a signed download_link valid 15 minutes.
         */
        get: operations["getExport"];
        put?: never;
        post?: never;
        /**
         * Cancel an export, or delete its file
         * @description A queued or running export is cancelled (a running one stops within seconds); a succeeded export's file is deleted now. Recorded in the trail.
         */
        delete: operations["cancelExport"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download an export file
         * @description Authenticated either by an API key holding `exports` (Authorization header) or by the signed link of GET /v1/exports/{id} (tenant, expires, signature). A link is bound to one export of one tenant and works 15 minutes: an edited link answers 403 invalid_link, an expired one 403 link_expired. Headers: Content-Length, Digest (sha-256), ETag. 409 export_not_ready before success; 410 export_expired once the file is gone, 410 export_invalidated when an erasure made after it invalidated it.
         */
        get: operations["downloadExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrity/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List signed checkpoints
         * @description Store them: a checkpoint you hold lets you detect any later rewrite or rollback. Tenant-wide keys only (organization keys: 403).
         */
        get: operations["listCheckpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrity/consistency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Consistency proof between two tree sizes
         * @description Shows that the newer tree extends the older one without changing it (RFC 6962). Tenant-wide keys only (organization keys: 403).
         */
        get: operations["getConsistencyProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrity/evidence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Evidence for offline verification
         * @description Without filters and with a tenant-wide key: the trail itself — a range of the log holding every leaf (events as sealed, or the hashes of expired ones) with the boundary hashes that recompute the signed root, so the offline verifier proves nothing in it was removed, added or reordered (`whole_trail` says whether it reaches the newest checkpoint; page with `from_index`). With filters: the matching events (oldest first) with inclusion proofs — completeness is not claimed. Check it with `npx veritrail verify <file> --jwks jwks.json`. Tenant-wide keys only (organization keys: 403).
         */
        get: operations["getEvidence"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrity/note": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Checkpoint as a C2SP signed note
         * @description The newest checkpoint (or the one of tree size `size`) as a C2SP `tlog-checkpoint` signed note: origin `<note key name>/<tenant id>`, tree size, base64 root — the same root as the JWS checkpoint of that size — signed with the note key of `/.well-known/veritrail/note-keys`. Any C2SP checkpoint verifier (Go sumdb/note, transparency-dev, Sigstore) can check it. Tenant-wide keys only (organization keys: 403).
         */
        get: operations["getNote"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrity/seal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Seal now
         * @description Seals events received since the last checkpoint without waiting for the next interval.
         */
        post: operations["sealNow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrity/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify the trail
         * @description Checks every checkpoint signature and chain, every event against its sealed hash, every root against the leaves, and events stored behind the log. Removed-by-retention ranges are reported as expired.
         */
        post: operations["verifyTrail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/privacy/notices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Data-subject notices (GDPR Art. 19)
         * @description Raised when an event changes a classified field of a subject's data (rectification), when an event's action is listed in the notice rules (deletion, …), and by erasures. Each names the subject, the fields (names, never values), when and by whom. Newest first; also delivered to webhooks as privacy.notice.
         */
        get: operations["listPrivacyNotices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/privacy/subjects/{subject}/access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A data subject's data (GDPR Art. 15 and 20), machine-readable
         * @description Every retained event where the subject is actor or target, decrypted, with the notices about them, their erasures and the recipients their data was sent to; everything of other people in those events reads [masked] (their ids, names, e-mail addresses, metadata, the IP address, user agent and session of events they performed, the values of changes to their data). Streamed as one JSON document. Recorded as veritrail.privacy.subject_accessed.
         */
        post: operations["accessSubject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/privacy/subjects/{subject}/erasure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Erase a data subject (GDPR Art. 17) by destroying their key
         * @description Destroys the subject's data key: every classified value of theirs reads [erased] in every API, export, feed and webhook; searching by it finds nothing; events and hashes stay, so verification still passes. With {"blank_context": true} the context (IP, user agent, session…) of the subject's own events reads [erased] too and is no longer searchable. Export files made before the erasure that could hold the subject are deleted (410 export_invalidated). Returns a receipt signed with the checkpoint key (verify with /.well-known/jwks.json) and the recipients notified. While a legal hold covers an organization the subject appears in: 409 legal_hold, and the erasure runs by itself when the hold is lifted. Recorded as veritrail.privacy.subject_erased.
         */
        post: operations["eraseSubject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/privacy/subjects/{subject}/erasures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A subject's erasure requests (pending while a legal hold lasts, then completed) */
        get: operations["listSubjectErasures"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/auditing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether reads of the trail are themselves recorded */
        get: operations["getAuditSettings"];
        /**
         * Turn read auditing on or off
         * @description Recorded as veritrail.settings.updated.
         */
        put: operations["putAuditSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/ocsf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The action → OCSF class mapping used by ocsf exports */
        get: operations["getOcsfSettings"];
        /**
         * Replace the action → OCSF class mapping
         * @description Recorded as veritrail.settings.updated.
         */
        put: operations["putOcsfSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/privacy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Scrubbing, field classification and notice rules applied to events before they are stored (defaults filled in) */
        get: operations["getPrivacySettings"];
        /**
         * Replace the privacy settings: scrubbing, field classification, notice rules
         * @description Built-in detectors (passwords and secret-like keys, bearer tokens, JWTs, Luhn-valid card numbers, AWS/GCP/Stripe/GitHub keys, private key blocks) always run. Classification fields override the defaults (actor.name, actor.email, targets.name and personal fields in changes are sensitive); set a field to unrestricted to store it as sent. Applies to events received from now on (other replicas within AUTH_CACHE_TTL_MS); stored events are never rewritten. Recorded as veritrail.settings.updated.
         */
        put: operations["putPrivacySettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/retention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retention: default, per-action overrides, legal holds */
        get: operations["getRetentionSettings"];
        /**
         * Replace the retention settings
         * @description Expiry is immediate on every read (a shorter retention hides older events at once); storage is reclaimed within RETENTION_INTERVAL. Events of organizations under legal hold never expire, and their data subjects cannot be erased while it lasts; lifting a hold runs the erasures that waited for it. With pci_dss, less than 365 days needs override_reason. Recorded as veritrail.retention.updated (and legal_hold_placed / legal_hold_lifted).
         */
        put: operations["putRetentionSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/streams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Which organizations may run their own streams
         * @description Organization-scoped keys and viewer tokens holding the streams scope manage destinations and alert rules confined to their organization; an organization this forbids gets 403 streams_forbidden on those routes. The default allows every organization.
         */
        get: operations["getStreamsSettings"];
        /**
         * Allow or forbid self-service streams per organization
         * @description forbidden_organizations wins over allowed_organizations, which wins over default. Applies to the next request (destinations already created keep delivering; pause or delete them with a tenant key). Recorded as veritrail.settings.updated.
         */
        put: operations["putStreamsSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/viewer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Origins allowed to embed the viewer */
        get: operations["getViewerSettings"];
        /**
         * Set the origins allowed to embed the viewer
         * @description A page on another origin can use this tenant's viewer tokens only when its origin is listed; other origins get 403 origin_not_allowed and no CORS grant. Recorded as veritrail.settings.updated.
         */
        put: operations["putViewerSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/viewer-sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke live viewer sessions
         * @description Every token of the organization (or, with actor_id, of that user) issued up to now stops working: at once on this replica, within 60 s on every other. Recorded as veritrail.viewer.sessions_revoked.
         */
        delete: operations["revokeViewerSessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/viewer-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a viewer token for <veritrail-viewer>
         * @description Call this from your backend when your user opens the page with the viewer, and hand the token to the browser. The token reads only the organization (and, when set, the actor and actions) it names, on GET /v1/events, /v1/events/{id}, /v1/events/stats, /v1/events/histogram, /v1/events/verification and exports (with scope streams also its organization's /v1/webhooks and /v1/alert-rules, /v1/alerts); every other route answers it 403 insufficient_scope.
         */
        post: operations["createViewerToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List destinations with their health */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Create a webhook or log-stream destination
         * @description Deliveries are signed per Standard Webhooks with the returned whsec_ secret (shown only now and on rotation). URLs must be http(s) and public: private, loopback, link-local, CGNAT, metadata and multicast addresses answer 422 webhook_url_not_allowed (and are re-checked after DNS at every connection).
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a destination and its health (last success, lag, failures) */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Delete a destination and its delivery log */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Change a destination, pause or resume it
         * @description status active also re-enables a disabled destination; it resumes from its cursor.
         */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The delivery log, newest first */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries/{deliveryId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send one logged message again
         * @description Same webhook-id as the original, new timestamp and signature.
         */
        post: operations["retryWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Redeliver from a time or a feed cursor
         * @description Moves the destination's cursor; the batch in flight is dropped and deliveries resume from there, in order.
         */
        post: operations["replayWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret
         * @description During the overlap (24 h by default) every delivery carries two signatures: receivers with either secret verify.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a webhook.test message now
         * @description Answers with the attempt (success, response code, latency; never the response body); also in the delivery log.
         */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ActionCatalog: {
            /** @description In action order. */
            data: components["schemas"]["ActionCatalogEntry"][];
            /** @description Pass as cursor to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        ActionCatalogEntry: {
            action: string;
            /** @description The action's display template (default language); null without one. */
            display_template: string | null;
            /** @description Events received with this action since it was first seen (retention and erasure do not lower it). */
            events: number;
            /**
             * Format: date-time
             * @description received_at of the first such event.
             */
            first_seen_at: string;
            /**
             * Format: date-time
             * @description received_at of the latest such event.
             */
            last_seen_at: string;
            /** @description The metadata schema versions registered for the action, oldest first (empty without a schema). */
            schema_versions: {
                /** Format: date-time */
                created_at: string;
                mode: "enforce" | "warn";
                version: number;
            }[];
        };
        ActionDisplay: {
            action: string;
            locales: {
                [key: string]: string;
            };
            template: string;
            /** Format: date-time */
            updated_at: string;
        };
        /**
         * @example {
         *       "locales": {
         *         "de": "{actor.name} hat {targets[0].name} mit {targets[1].name} geteilt"
         *       },
         *       "template": "{actor.name} shared {targets[0].name} with {targets[1].name}"
         *     }
         */
        ActionDisplayPut: {
            /** @description BCP 47 tag (de, pt-BR) → template; at most 32. */
            locales?: {
                [key: string]: string;
            };
            /** @description Plain text with placeholders naming paths into the event: {actor.name}, {actor.id}, {targets[0].name}, {metadata.role}, {context.location}, {organization_id}, {outcome}. {{ and }} write a literal brace. A missing or non-text value renders as "—". At most 1000 characters and 32 placeholders. */
            template: string;
        };
        ActionSchema: {
            action: string;
            /** Format: date-time */
            created_at: string;
            mode: "enforce" | "warn";
            schema: {
                [key: string]: unknown;
            };
            version: number;
        };
        ActionSchemaCreated: {
            action: string;
            mode: "enforce" | "warn";
            version: number;
        };
        /**
         * @example {
         *       "mode": "enforce",
         *       "schema": {
         *         "additionalProperties": false,
         *         "properties": {
         *           "previous_role": {
         *             "type": "string"
         *           },
         *           "role": {
         *             "enum": [
         *               "admin",
         *               "member",
         *               "viewer"
         *             ]
         *           }
         *         },
         *         "required": [
         *           "role"
         *         ],
         *         "type": "object"
         *       }
         *     }
         */
        ActionSchemaPut: {
            /** @description enforce: a mismatching event is refused (400 validation_failed, the batch all or nothing); warn: it is stored with the flag schema_mismatch and counted. */
            mode: "enforce" | "warn";
            /** @description JSON Schema draft 2020-12 for the event's metadata object. At most 32 KB, nesting ≤ 24, references only inside the schema ("#…"), patterns in RE2 syntax (no backreferences or lookaround). */
            schema: {
                [key: string]: unknown;
            };
        };
        Actor: {
            /**
             * Format: email
             * @example ann@example.com
             */
            email?: string;
            /**
             * @description Stable identifier of the actor in your system.
             * @example u_1
             */
            id: string;
            impersonator?: components["schemas"]["Principal"];
            /** @description Free-form JSON object, at most 16384 bytes serialised and 8 levels deep. Keys __proto__, constructor and prototype are rejected. */
            metadata?: {
                [key: string]: unknown;
            };
            /**
             * @description Display name.
             * @example Ann Lee
             */
            name?: string;
            on_behalf_of?: components["schemas"]["Principal"];
            /**
             * @description Kind of actor: agent is an automated assistant (e.g. an AI agent) acting for someone.
             * @example user
             * @enum {string}
             */
            type: "user" | "service" | "api_key" | "system" | "agent";
        };
        Alert: {
            acknowledged_at: string | null;
            acknowledged_by: string | null;
            closed_at: string | null;
            closed_by: string | null;
            /** Format: date-time */
            created_at: string;
            /** @description Kind-specific: threshold and window, the new value and the values seen before, failures before the success, the baseline a volume, travel, hours or rarity alert deviated from (with its numbers), a silence. */
            details: {
                [key: string]: unknown;
            };
            event_count: number;
            /** @description Evidence: up to 20 event ids, newest first (GET /v1/events/{id}). */
            event_ids: string[];
            /** Format: date-time */
            first_seen_at: string;
            /** @enum {string} */
            group_by: "actor" | "ip" | "organization" | "action";
            group_value: string;
            id: string;
            /** @enum {string} */
            kind: "threshold" | "new_value" | "sequence" | "silence" | "volume" | "travel" | "hours" | "rarity" | "sigma";
            /** Format: date-time */
            last_seen_at: string;
            last_suppressed_at: string | null;
            notes: {
                /** Format: date-time */
                at: string;
                by: string;
                text: string;
            }[];
            owner: string | null;
            resolution: ("true_positive" | "false_positive" | "benign") | null;
            rule_id: string;
            rule_name: string;
            /** @enum {string} */
            status: "open" | "acknowledged" | "closed";
            summary: string;
            /** @description Further firings for this key during the suppression period. */
            suppressed_count: number;
            /** @enum {string} */
            tier: "critical" | "high" | "medium" | "low";
            /**
             * Format: date-time
             * @description occurred_at of the event that made the rule fire.
             */
            triggered_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        AlertList: {
            data: components["schemas"]["Alert"][];
            next_cursor: string | null;
        };
        AlertRule: {
            create_closed: boolean;
            /** Format: date-time */
            created_at: string;
            description: string | null;
            disabled_at: string | null;
            disabled_message: string | null;
            disabled_reason: "evaluation_budget_exceeded" | null;
            enabled: boolean;
            evaluation: {
                /** @description Sealed events of the trail not evaluated yet. */
                lag_events: number;
                last_evaluated_at: string | null;
            };
            filter: {
                /** @description Actions that count: exact (user.login), `prefix.*`, `*.suffix`, `*.middle.*` (`*` stands for one or more segments) or `*` for every action; at most 4 `*` per pattern (400 pattern_too_complex). veritrail.alert.* entries never count. */
                actions: string[];
                actor_types?: ("user" | "service" | "api_key" | "system" | "agent")[];
                /** @description Only events of these organizations. */
                organizations?: string[];
                /**
                 * @description Only events with this outcome (not for sequence rules: they use failures and successes).
                 * @enum {string}
                 */
                outcome?: "success" | "failure" | "unknown";
            };
            /** @enum {string} */
            group_by: "actor" | "ip" | "organization" | "action";
            hours: {
                /** @description History: the matching events of this many days before the event's hour. */
                lookback_days: number;
                /** @description Fire when at most this share of the history fell at this time of day (± tolerance_hours), or on this weekday (UTC). */
                max_share: number;
                /** @description The key needs matching events on at least this many days of the look-back before the rule can fire for it. */
                min_history_days: number;
                /** @description Hours of the day within this many hours of the event's (circularly) count as the same time of day. */
                tolerance_hours: number;
            } | null;
            id: string;
            /** @enum {string} */
            kind: "threshold" | "new_value" | "sequence" | "silence" | "volume" | "travel" | "hours" | "rarity" | "sigma";
            name: string;
            new_value: {
                /**
                 * @description country (from the IP, offline GeoLite2 data), ip, user_agent (the raw string), or client (browser and OS family parsed from the user agent, versions dropped: "Chrome on Windows").
                 * @enum {string}
                 */
                field: "country" | "ip" | "user_agent" | "client";
                /** @description Fire when the actor was not seen with this value in this many days before the event. */
                lookback_days: number;
                /** @description Only for actors with matching events (with a value) on at least this many UTC days of the look-back: enough history to know their usual values. At most lookback_days. */
                min_history_days?: number;
                /**
                 * @description Only for actors with at least one earlier matching event in the look-back (a brand-new actor is not an anomaly).
                 * @default true
                 */
                require_history?: boolean;
            } | null;
            organization_id: string | null;
            owner: string | null;
            rarity: {
                /** @description History: the actor's matching events of this many days before the event. */
                lookback_days: number;
                /** @description Fire when the actor did this action in at most this many distinct hours of the look-back (0: never). */
                max_hours: number;
                /** @description The actor needs at least this many active hours (any matching action) in the look-back before the rule can fire for them. */
                min_history_hours: number;
            } | null;
            sequence: {
                /** @description At least this many failures … */
                failures: number;
                /** @description … followed by a success for the same key, all within this window. */
                window_seconds: number;
            } | null;
            sigma: {
                correlation: {
                    field: string | null;
                    group_by: string | null;
                    /** @description Fires when the count (events, distinct values, or rules matched in order) reaches this. */
                    gte: number;
                    timespan_seconds: number;
                    /** @enum {string} */
                    type: "event_count" | "value_count" | "temporal_ordered";
                } | null;
                level: string | null;
                /** @description The detection rules (those a correlation refers to, in its order). */
                rules: {
                    ref: string;
                    title: string;
                }[];
                sigma_id: string | null;
                title: string;
            } | null;
            silence: {
                /** @description Length of one interval (intervals are aligned to UTC multiples of it). */
                interval_minutes: number;
                /** @description History: the intervals before the silence that are looked at. */
                lookback_intervals: number;
                /** @description The key should be sending when at least this many intervals of the look-back were active (at most lookback_intervals). */
                min_active_intervals: number;
                /** @description An interval of the look-back counts as active with at least this many matching events. */
                min_events: number;
                /** @description Fire when a key that history says should be sending has sent nothing for this many whole intervals. */
                silent_intervals: number;
            } | null;
            /**
             * @description active: evaluated. disabled: turned off through the API. poisoned: disabled by the evaluator because evaluating it took longer than its budget (see disabled_reason and disabled_message); enable it again with PATCH {"enabled": true} (it resumes from then on).
             * @enum {string}
             */
            status: "active" | "disabled" | "poisoned";
            suppression_seconds: number;
            template: ("brute_force_sign_in" | "bulk_export" | "privilege_change" | "new_api_key" | "new_country_sign_in" | "many_targets_read" | "sign_in_after_failures" | "source_silent" | "unusual_volume" | "impossible_travel" | "unusual_hour" | "rare_action") | null;
            threshold: {
                /** @description Fire when at least this many matching events (or distinct values) fall in one window for a key. */
                count: number;
                /**
                 * @description Count distinct targets, IPs or actors instead of events (e.g. many distinct documents read by one actor).
                 * @enum {string}
                 */
                distinct?: "target" | "ip" | "actor";
                window_seconds: number;
            } | null;
            /** @enum {string} */
            tier: "critical" | "high" | "medium" | "low";
            travel: {
                /** @description The previous sign-in is looked for this many hours back. */
                lookback_hours: number;
                /** @description Fire when the distance between a sign-in and the actor's previous one, over the time between them, is faster than this (an airliner flies about 900 km/h). */
                max_speed_kmh: number;
                /** @description And the two locations are at least this far apart (country reference points are approximate: neighbours are close). */
                min_distance_km: number;
            } | null;
            /** Format: date-time */
            updated_at: string;
            volume: {
                /** @description History: the hours of this many days before the hour judged. */
                lookback_days: number;
                /** @description And at least this many matching events in the hour. */
                min_count: number;
                /** @description The key needs at least this many active hours (one matching event or more) in the look-back before the rule can fire for it. */
                min_history_hours: number;
                /** @description Fire when the hour's count is at least this many robust standard deviations (1.4826 × MAD, at least 1) above the median of the active hours. */
                z_threshold: number;
            } | null;
        };
        /**
         * @example {
         *       "from": "2026-11-01T00:00:00Z",
         *       "to": "2026-12-01T00:00:00Z"
         *     }
         */
        AlertRuleBacktest: {
            /**
             * Format: date-time
             * @description RFC 3339: replay events that occurred at or after.
             */
            from: string;
            /** @description Stop after reading this many events (default and most: 1000000). */
            max_events?: number;
            /**
             * Format: date-time
             * @description RFC 3339: … and before (at most 90 days after `from`).
             */
            to: string;
        };
        AlertRuleBacktestResult: {
            /** @description The alerts the rule would have raised, oldest first (nothing was stored; ids are not stored alerts; a draft's rule_id is "draft"). */
            alerts: components["schemas"]["Alert"][];
            /**
             * Format: date-time
             * @description Events that occurred before this were replayed (`to` unless truncated).
             */
            evaluated_to: string;
            events_scanned: number;
            /** Format: date-time */
            from: string;
            /** @description Alerts per UTC day of triggered_at, every day of the range. */
            per_day: {
                count: number;
                /**
                 * Format: date
                 * @description UTC day.
                 */
                day: string;
            }[];
            /** @description Alerts per week over the replayed range divided by the target (1 is on target; above: tune the rule). */
            ratio_to_target: number;
            rule_id: string | null;
            /** @description The STAT target: about one actionable alert per rule and week. */
            stat_target_per_week: number;
            /** Format: date-time */
            to: string;
            total: number;
            /** @description The replay stopped before `to` (see truncated_reason and evaluated_to). */
            truncated: boolean;
            truncated_reason: ("max_events" | "time_budget" | "evaluation_budget_exceeded") | null;
        };
        /**
         * @example {
         *       "owner": "security-oncall",
         *       "template": "brute_force_sign_in"
         *     }
         * @example {
         *       "filter": {
         *         "actions": [
         *           "document.downloaded"
         *         ]
         *       },
         *       "group_by": "actor",
         *       "kind": "threshold",
         *       "name": "Mass document download",
         *       "owner": "security-oncall",
         *       "threshold": {
         *         "count": 50,
         *         "distinct": "target",
         *         "window_seconds": 600
         *       },
         *       "tier": "high"
         *     }
         */
        AlertRuleCreate: {
            /** @description Create alerts already closed: kept for investigations, never delivered as alert.triggered. */
            create_closed?: boolean;
            description?: string;
            enabled?: boolean;
            filter?: {
                /** @description Actions that count: exact (user.login), `prefix.*`, `*.suffix`, `*.middle.*` (`*` stands for one or more segments) or `*` for every action; at most 4 `*` per pattern (400 pattern_too_complex). veritrail.alert.* entries never count. */
                actions: string[];
                actor_types?: ("user" | "service" | "api_key" | "system" | "agent")[];
                /** @description Only events of these organizations. */
                organizations?: string[];
                /**
                 * @description Only events with this outcome (not for sequence rules: they use failures and successes).
                 * @enum {string}
                 */
                outcome?: "success" | "failure" | "unknown";
            };
            /**
             * @description The key alerts are counted and suppressed per: actor, ip or organization (new_value rules: actor; silence rules also action).
             * @enum {string}
             */
            group_by?: "actor" | "ip" | "organization" | "action";
            hours?: {
                /** @description History: the matching events of this many days before the event's hour. */
                lookback_days: number;
                /** @description Fire when at most this share of the history fell at this time of day (± tolerance_hours), or on this weekday (UTC). */
                max_share: number;
                /** @description The key needs matching events on at least this many days of the look-back before the rule can fire for it. */
                min_history_days: number;
                /** @description Hours of the day within this many hours of the event's (circularly) count as the same time of day. */
                tolerance_hours: number;
            };
            /**
             * @description Required without a template.
             * @enum {string}
             */
            kind?: "threshold" | "new_value" | "sequence" | "silence" | "volume" | "travel" | "hours" | "rarity" | "sigma";
            name?: string;
            new_value?: {
                /**
                 * @description country (from the IP, offline GeoLite2 data), ip, user_agent (the raw string), or client (browser and OS family parsed from the user agent, versions dropped: "Chrome on Windows").
                 * @enum {string}
                 */
                field: "country" | "ip" | "user_agent" | "client";
                /** @description Fire when the actor was not seen with this value in this many days before the event. */
                lookback_days: number;
                /** @description Only for actors with matching events (with a value) on at least this many UTC days of the look-back: enough history to know their usual values. At most lookback_days. */
                min_history_days?: number;
                /**
                 * @description Only for actors with at least one earlier matching event in the look-back (a brand-new actor is not an anomaly).
                 * @default true
                 */
                require_history?: boolean;
            };
            /** @description Who looks after alerts of this rule (a person, a team, an on-call alias). */
            owner?: string;
            rarity?: {
                /** @description History: the actor's matching events of this many days before the event. */
                lookback_days: number;
                /** @description Fire when the actor did this action in at most this many distinct hours of the look-back (0: never). */
                max_hours: number;
                /** @description The actor needs at least this many active hours (any matching action) in the look-back before the rule can fire for them. */
                min_history_hours: number;
            };
            sequence?: {
                /** @description At least this many failures … */
                failures: number;
                /** @description … followed by a success for the same key, all within this window. */
                window_seconds: number;
            };
            silence?: {
                /** @description Length of one interval (intervals are aligned to UTC multiples of it). */
                interval_minutes: number;
                /** @description History: the intervals before the silence that are looked at. */
                lookback_intervals: number;
                /** @description The key should be sending when at least this many intervals of the look-back were active (at most lookback_intervals). */
                min_active_intervals: number;
                /** @description An interval of the look-back counts as active with at least this many matching events. */
                min_events: number;
                /** @description Fire when a key that history says should be sending has sent nothing for this many whole intervals. */
                silent_intervals: number;
            };
            /** @description After an alert for a key, further firings for that key within this period are counted on it instead of raising new alerts (never shorter than the rule window). */
            suppression_seconds?: number;
            /**
             * @description Start from a template; any other field given overrides it.
             * @enum {string}
             */
            template?: "brute_force_sign_in" | "bulk_export" | "privilege_change" | "new_api_key" | "new_country_sign_in" | "many_targets_read" | "sign_in_after_failures" | "source_silent" | "unusual_volume" | "impossible_travel" | "unusual_hour" | "rare_action";
            threshold?: {
                /** @description Fire when at least this many matching events (or distinct values) fall in one window for a key. */
                count: number;
                /**
                 * @description Count distinct targets, IPs or actors instead of events (e.g. many distinct documents read by one actor).
                 * @enum {string}
                 */
                distinct?: "target" | "ip" | "actor";
                window_seconds: number;
            };
            /** @enum {string} */
            tier?: "critical" | "high" | "medium" | "low";
            travel?: {
                /** @description The previous sign-in is looked for this many hours back. */
                lookback_hours: number;
                /** @description Fire when the distance between a sign-in and the actor's previous one, over the time between them, is faster than this (an airliner flies about 900 km/h). */
                max_speed_kmh: number;
                /** @description And the two locations are at least this far apart (country reference points are approximate: neighbours are close). */
                min_distance_km: number;
            };
            volume?: {
                /** @description History: the hours of this many days before the hour judged. */
                lookback_days: number;
                /** @description And at least this many matching events in the hour. */
                min_count: number;
                /** @description The key needs at least this many active hours (one matching event or more) in the look-back before the rule can fire for it. */
                min_history_hours: number;
                /** @description Fire when the hour's count is at least this many robust standard deviations (1.4826 × MAD, at least 1) above the median of the active hours. */
                z_threshold: number;
            };
        };
        /**
         * @example {
         *       "from": "2026-11-01T00:00:00Z",
         *       "template": "brute_force_sign_in",
         *       "threshold": {
         *         "count": 10,
         *         "window_seconds": 300
         *       },
         *       "to": "2026-12-01T00:00:00Z"
         *     }
         */
        AlertRuleDraftBacktest: {
            /** @description Create alerts already closed: kept for investigations, never delivered as alert.triggered. */
            create_closed?: boolean;
            description?: string;
            enabled?: boolean;
            filter?: {
                /** @description Actions that count: exact (user.login), `prefix.*`, `*.suffix`, `*.middle.*` (`*` stands for one or more segments) or `*` for every action; at most 4 `*` per pattern (400 pattern_too_complex). veritrail.alert.* entries never count. */
                actions: string[];
                actor_types?: ("user" | "service" | "api_key" | "system" | "agent")[];
                /** @description Only events of these organizations. */
                organizations?: string[];
                /**
                 * @description Only events with this outcome (not for sequence rules: they use failures and successes).
                 * @enum {string}
                 */
                outcome?: "success" | "failure" | "unknown";
            };
            /**
             * Format: date-time
             * @description RFC 3339: replay events that occurred at or after.
             */
            from: string;
            /**
             * @description The key alerts are counted and suppressed per: actor, ip or organization (new_value rules: actor; silence rules also action).
             * @enum {string}
             */
            group_by?: "actor" | "ip" | "organization" | "action";
            hours?: {
                /** @description History: the matching events of this many days before the event's hour. */
                lookback_days: number;
                /** @description Fire when at most this share of the history fell at this time of day (± tolerance_hours), or on this weekday (UTC). */
                max_share: number;
                /** @description The key needs matching events on at least this many days of the look-back before the rule can fire for it. */
                min_history_days: number;
                /** @description Hours of the day within this many hours of the event's (circularly) count as the same time of day. */
                tolerance_hours: number;
            };
            /**
             * @description Required without a template.
             * @enum {string}
             */
            kind?: "threshold" | "new_value" | "sequence" | "silence" | "volume" | "travel" | "hours" | "rarity" | "sigma";
            /** @description Stop after reading this many events (default and most: 1000000). */
            max_events?: number;
            name?: string;
            new_value?: {
                /**
                 * @description country (from the IP, offline GeoLite2 data), ip, user_agent (the raw string), or client (browser and OS family parsed from the user agent, versions dropped: "Chrome on Windows").
                 * @enum {string}
                 */
                field: "country" | "ip" | "user_agent" | "client";
                /** @description Fire when the actor was not seen with this value in this many days before the event. */
                lookback_days: number;
                /** @description Only for actors with matching events (with a value) on at least this many UTC days of the look-back: enough history to know their usual values. At most lookback_days. */
                min_history_days?: number;
                /**
                 * @description Only for actors with at least one earlier matching event in the look-back (a brand-new actor is not an anomaly).
                 * @default true
                 */
                require_history?: boolean;
            };
            /** @description Who looks after alerts of this rule (a person, a team, an on-call alias). */
            owner?: string;
            rarity?: {
                /** @description History: the actor's matching events of this many days before the event. */
                lookback_days: number;
                /** @description Fire when the actor did this action in at most this many distinct hours of the look-back (0: never). */
                max_hours: number;
                /** @description The actor needs at least this many active hours (any matching action) in the look-back before the rule can fire for them. */
                min_history_hours: number;
            };
            sequence?: {
                /** @description At least this many failures … */
                failures: number;
                /** @description … followed by a success for the same key, all within this window. */
                window_seconds: number;
            };
            silence?: {
                /** @description Length of one interval (intervals are aligned to UTC multiples of it). */
                interval_minutes: number;
                /** @description History: the intervals before the silence that are looked at. */
                lookback_intervals: number;
                /** @description The key should be sending when at least this many intervals of the look-back were active (at most lookback_intervals). */
                min_active_intervals: number;
                /** @description An interval of the look-back counts as active with at least this many matching events. */
                min_events: number;
                /** @description Fire when a key that history says should be sending has sent nothing for this many whole intervals. */
                silent_intervals: number;
            };
            /** @description After an alert for a key, further firings for that key within this period are counted on it instead of raising new alerts (never shorter than the rule window). */
            suppression_seconds?: number;
            /**
             * @description Start from a template; any other field given overrides it.
             * @enum {string}
             */
            template?: "brute_force_sign_in" | "bulk_export" | "privilege_change" | "new_api_key" | "new_country_sign_in" | "many_targets_read" | "sign_in_after_failures" | "source_silent" | "unusual_volume" | "impossible_travel" | "unusual_hour" | "rare_action";
            threshold?: {
                /** @description Fire when at least this many matching events (or distinct values) fall in one window for a key. */
                count: number;
                /**
                 * @description Count distinct targets, IPs or actors instead of events (e.g. many distinct documents read by one actor).
                 * @enum {string}
                 */
                distinct?: "target" | "ip" | "actor";
                window_seconds: number;
            };
            /** @enum {string} */
            tier?: "critical" | "high" | "medium" | "low";
            /**
             * Format: date-time
             * @description RFC 3339: … and before (at most 90 days after `from`).
             */
            to: string;
            travel?: {
                /** @description The previous sign-in is looked for this many hours back. */
                lookback_hours: number;
                /** @description Fire when the distance between a sign-in and the actor's previous one, over the time between them, is faster than this (an airliner flies about 900 km/h). */
                max_speed_kmh: number;
                /** @description And the two locations are at least this far apart (country reference points are approximate: neighbours are close). */
                min_distance_km: number;
            };
            volume?: {
                /** @description History: the hours of this many days before the hour judged. */
                lookback_days: number;
                /** @description And at least this many matching events in the hour. */
                min_count: number;
                /** @description The key needs at least this many active hours (one matching event or more) in the look-back before the rule can fire for it. */
                min_history_hours: number;
                /** @description Fire when the hour's count is at least this many robust standard deviations (1.4826 × MAD, at least 1) above the median of the active hours. */
                z_threshold: number;
            };
        };
        AlertRuleList: {
            data: components["schemas"]["AlertRule"][];
            next_cursor: string | null;
        };
        AlertRuleSigmaExport: {
            rule_id: string;
            /** @description The rule as Sigma YAML (a correlation rule first, then its detection rule, separated by ---), logsource product veritrail. */
            sigma: string;
        };
        /**
         * @example {
         *       "owner": "identity-team",
         *       "rule": "title: Okta API Token Created\nlogsource:\n  product: okta\n  service: okta\ndetection:\n  selection:\n    eventType: system.api_token.create\n  condition: selection\nlevel: medium\n"
         *     }
         */
        AlertRuleSigmaImport: {
            /** @description Create alerts already closed: kept for investigations, never delivered as alert.triggered. */
            create_closed?: boolean;
            enabled?: boolean;
            name?: string;
            /** @description Who looks after alerts of this rule (a person, a team, an on-call alias). */
            owner?: string;
            /** @description A Sigma rule as YAML: one detection rule, or a correlation rule (event_count, value_count, temporal_ordered) followed by the detection rules it refers to, separated by ---. Fields are mapped onto event fields as docs/alerts.md#sigma lists; anything else is a 400 with a precise code. */
            rule: string;
            /** @description After an alert for a key, further firings for that key within this period are counted on it instead of raising new alerts (never shorter than the rule window). */
            suppression_seconds?: number;
            /**
             * @description Default: from the rule's level (informational → low).
             * @enum {string}
             */
            tier?: "critical" | "high" | "medium" | "low";
        };
        AlertRuleTemplate: {
            description: string;
            filter: {
                /** @description Actions that count: exact (user.login), `prefix.*`, `*.suffix`, `*.middle.*` (`*` stands for one or more segments) or `*` for every action; at most 4 `*` per pattern (400 pattern_too_complex). veritrail.alert.* entries never count. */
                actions: string[];
                actor_types?: ("user" | "service" | "api_key" | "system" | "agent")[];
                /** @description Only events of these organizations. */
                organizations?: string[];
                /**
                 * @description Only events with this outcome (not for sequence rules: they use failures and successes).
                 * @enum {string}
                 */
                outcome?: "success" | "failure" | "unknown";
            };
            /** @enum {string} */
            group_by: "actor" | "ip" | "organization" | "action";
            hours: {
                /** @description History: the matching events of this many days before the event's hour. */
                lookback_days: number;
                /** @description Fire when at most this share of the history fell at this time of day (± tolerance_hours), or on this weekday (UTC). */
                max_share: number;
                /** @description The key needs matching events on at least this many days of the look-back before the rule can fire for it. */
                min_history_days: number;
                /** @description Hours of the day within this many hours of the event's (circularly) count as the same time of day. */
                tolerance_hours: number;
            } | null;
            /** @enum {string} */
            kind: "threshold" | "new_value" | "sequence" | "silence" | "volume" | "travel" | "hours" | "rarity" | "sigma";
            name: string;
            new_value: {
                /**
                 * @description country (from the IP, offline GeoLite2 data), ip, user_agent (the raw string), or client (browser and OS family parsed from the user agent, versions dropped: "Chrome on Windows").
                 * @enum {string}
                 */
                field: "country" | "ip" | "user_agent" | "client";
                /** @description Fire when the actor was not seen with this value in this many days before the event. */
                lookback_days: number;
                /** @description Only for actors with matching events (with a value) on at least this many UTC days of the look-back: enough history to know their usual values. At most lookback_days. */
                min_history_days?: number;
                /**
                 * @description Only for actors with at least one earlier matching event in the look-back (a brand-new actor is not an anomaly).
                 * @default true
                 */
                require_history?: boolean;
            } | null;
            rarity: {
                /** @description History: the actor's matching events of this many days before the event. */
                lookback_days: number;
                /** @description Fire when the actor did this action in at most this many distinct hours of the look-back (0: never). */
                max_hours: number;
                /** @description The actor needs at least this many active hours (any matching action) in the look-back before the rule can fire for them. */
                min_history_hours: number;
            } | null;
            sequence: {
                /** @description At least this many failures … */
                failures: number;
                /** @description … followed by a success for the same key, all within this window. */
                window_seconds: number;
            } | null;
            silence: {
                /** @description Length of one interval (intervals are aligned to UTC multiples of it). */
                interval_minutes: number;
                /** @description History: the intervals before the silence that are looked at. */
                lookback_intervals: number;
                /** @description The key should be sending when at least this many intervals of the look-back were active (at most lookback_intervals). */
                min_active_intervals: number;
                /** @description An interval of the look-back counts as active with at least this many matching events. */
                min_events: number;
                /** @description Fire when a key that history says should be sending has sent nothing for this many whole intervals. */
                silent_intervals: number;
            } | null;
            suppression_seconds: number;
            /** @enum {string} */
            template: "brute_force_sign_in" | "bulk_export" | "privilege_change" | "new_api_key" | "new_country_sign_in" | "many_targets_read" | "sign_in_after_failures" | "source_silent" | "unusual_volume" | "impossible_travel" | "unusual_hour" | "rare_action";
            threshold: {
                /** @description Fire when at least this many matching events (or distinct values) fall in one window for a key. */
                count: number;
                /**
                 * @description Count distinct targets, IPs or actors instead of events (e.g. many distinct documents read by one actor).
                 * @enum {string}
                 */
                distinct?: "target" | "ip" | "actor";
                window_seconds: number;
            } | null;
            /** @enum {string} */
            tier: "critical" | "high" | "medium" | "low";
            travel: {
                /** @description The previous sign-in is looked for this many hours back. */
                lookback_hours: number;
                /** @description Fire when the distance between a sign-in and the actor's previous one, over the time between them, is faster than this (an airliner flies about 900 km/h). */
                max_speed_kmh: number;
                /** @description And the two locations are at least this far apart (country reference points are approximate: neighbours are close). */
                min_distance_km: number;
            } | null;
            volume: {
                /** @description History: the hours of this many days before the hour judged. */
                lookback_days: number;
                /** @description And at least this many matching events in the hour. */
                min_count: number;
                /** @description The key needs at least this many active hours (one matching event or more) in the look-back before the rule can fire for it. */
                min_history_hours: number;
                /** @description Fire when the hour's count is at least this many robust standard deviations (1.4826 × MAD, at least 1) above the median of the active hours. */
                z_threshold: number;
            } | null;
        };
        AlertRuleTemplateList: {
            data: components["schemas"]["AlertRuleTemplate"][];
        };
        /**
         * @example {
         *       "owner": "identity-team",
         *       "suppression_seconds": 3600,
         *       "tier": "critical"
         *     }
         */
        AlertRuleUpdate: {
            /** @description Create alerts already closed: kept for investigations, never delivered as alert.triggered. */
            create_closed?: boolean;
            description?: string | null;
            enabled?: boolean;
            filter?: {
                /** @description Actions that count: exact (user.login), `prefix.*`, `*.suffix`, `*.middle.*` (`*` stands for one or more segments) or `*` for every action; at most 4 `*` per pattern (400 pattern_too_complex). veritrail.alert.* entries never count. */
                actions: string[];
                actor_types?: ("user" | "service" | "api_key" | "system" | "agent")[];
                /** @description Only events of these organizations. */
                organizations?: string[];
                /**
                 * @description Only events with this outcome (not for sequence rules: they use failures and successes).
                 * @enum {string}
                 */
                outcome?: "success" | "failure" | "unknown";
            };
            /**
             * @description The key alerts are counted and suppressed per: actor, ip or organization (new_value rules: actor; silence rules also action).
             * @enum {string}
             */
            group_by?: "actor" | "ip" | "organization" | "action";
            hours?: {
                /** @description History: the matching events of this many days before the event's hour. */
                lookback_days: number;
                /** @description Fire when at most this share of the history fell at this time of day (± tolerance_hours), or on this weekday (UTC). */
                max_share: number;
                /** @description The key needs matching events on at least this many days of the look-back before the rule can fire for it. */
                min_history_days: number;
                /** @description Hours of the day within this many hours of the event's (circularly) count as the same time of day. */
                tolerance_hours: number;
            };
            name?: string;
            new_value?: {
                /**
                 * @description country (from the IP, offline GeoLite2 data), ip, user_agent (the raw string), or client (browser and OS family parsed from the user agent, versions dropped: "Chrome on Windows").
                 * @enum {string}
                 */
                field: "country" | "ip" | "user_agent" | "client";
                /** @description Fire when the actor was not seen with this value in this many days before the event. */
                lookback_days: number;
                /** @description Only for actors with matching events (with a value) on at least this many UTC days of the look-back: enough history to know their usual values. At most lookback_days. */
                min_history_days?: number;
                /**
                 * @description Only for actors with at least one earlier matching event in the look-back (a brand-new actor is not an anomaly).
                 * @default true
                 */
                require_history?: boolean;
            };
            owner?: string | null;
            rarity?: {
                /** @description History: the actor's matching events of this many days before the event. */
                lookback_days: number;
                /** @description Fire when the actor did this action in at most this many distinct hours of the look-back (0: never). */
                max_hours: number;
                /** @description The actor needs at least this many active hours (any matching action) in the look-back before the rule can fire for them. */
                min_history_hours: number;
            };
            sequence?: {
                /** @description At least this many failures … */
                failures: number;
                /** @description … followed by a success for the same key, all within this window. */
                window_seconds: number;
            };
            silence?: {
                /** @description Length of one interval (intervals are aligned to UTC multiples of it). */
                interval_minutes: number;
                /** @description History: the intervals before the silence that are looked at. */
                lookback_intervals: number;
                /** @description The key should be sending when at least this many intervals of the look-back were active (at most lookback_intervals). */
                min_active_intervals: number;
                /** @description An interval of the look-back counts as active with at least this many matching events. */
                min_events: number;
                /** @description Fire when a key that history says should be sending has sent nothing for this many whole intervals. */
                silent_intervals: number;
            };
            /** @description After an alert for a key, further firings for that key within this period are counted on it instead of raising new alerts (never shorter than the rule window). */
            suppression_seconds?: number;
            threshold?: {
                /** @description Fire when at least this many matching events (or distinct values) fall in one window for a key. */
                count: number;
                /**
                 * @description Count distinct targets, IPs or actors instead of events (e.g. many distinct documents read by one actor).
                 * @enum {string}
                 */
                distinct?: "target" | "ip" | "actor";
                window_seconds: number;
            };
            /** @enum {string} */
            tier?: "critical" | "high" | "medium" | "low";
            travel?: {
                /** @description The previous sign-in is looked for this many hours back. */
                lookback_hours: number;
                /** @description Fire when the distance between a sign-in and the actor's previous one, over the time between them, is faster than this (an airliner flies about 900 km/h). */
                max_speed_kmh: number;
                /** @description And the two locations are at least this far apart (country reference points are approximate: neighbours are close). */
                min_distance_km: number;
            };
            volume?: {
                /** @description History: the hours of this many days before the hour judged. */
                lookback_days: number;
                /** @description And at least this many matching events in the hour. */
                min_count: number;
                /** @description The key needs at least this many active hours (one matching event or more) in the look-back before the rule can fire for it. */
                min_history_hours: number;
                /** @description Fire when the hour's count is at least this many robust standard deviations (1.4826 × MAD, at least 1) above the median of the active hours. */
                z_threshold: number;
            };
        };
        /**
         * @example {
         *       "note": "Load test from the QA team, agreed in advance.",
         *       "resolution": "false_positive",
         *       "status": "closed"
         *     }
         */
        AlertUpdate: {
            /** @description Appended to the alert's notes (at most 100). */
            note?: string;
            owner?: string | null;
            /**
             * @description With status closed (or on a closed alert): how it turned out. Feeds rule tuning.
             * @enum {string}
             */
            resolution?: "true_positive" | "false_positive" | "benign";
            /**
             * @description acknowledged, closed, or open again.
             * @enum {string}
             */
            status?: "open" | "acknowledged" | "closed";
        };
        ApiKey: {
            /** Format: date-time */
            created_at: string;
            expires_at: string | null;
            id: string;
            last_used_at: string | null;
            name: string;
            organization_id: string | null;
            /** @description First characters of the key, to tell keys apart. */
            prefix: string;
            revoked_at: string | null;
            scopes: ("events:write" | "events:read" | "exports" | "webhooks" | "privacy" | "admin" | "alerts" | "streams")[];
        };
        /**
         * @example {
         *       "name": "billing-service ingest",
         *       "scopes": [
         *         "events:write"
         *       ]
         *     }
         * @example {
         *       "expires_at": "2027-12-31T23:59:59Z",
         *       "name": "Acme SIEM",
         *       "organization_id": "org_42",
         *       "scopes": [
         *         "events:read",
         *         "exports"
         *       ]
         *     }
         */
        ApiKeyCreate: {
            /**
             * Format: date-time
             * @description RFC 3339; the key stops working at this time.
             */
            expires_at?: string;
            /** @description What the key is for, shown in listings. */
            name: string;
            /** @description Mint the key for one of your customers: it reads and writes only this organization (scopes events:read, events:write, exports, and streams: self-service destinations and alert rules confined to it). */
            organization_id?: string;
            scopes: ("events:write" | "events:read" | "exports" | "webhooks" | "privacy" | "admin" | "alerts" | "streams")[];
        };
        ApiKeyCreated: {
            /** Format: date-time */
            created_at: string;
            expires_at: string | null;
            id: string;
            /** @description The secret. Shown only in this response; store it now. */
            key: string;
            name: string;
            organization_id: string | null;
            prefix: string;
            scopes: ("events:write" | "events:read" | "exports" | "webhooks" | "privacy" | "admin" | "alerts" | "streams")[];
        };
        ApiKeyList: {
            data: components["schemas"]["ApiKey"][];
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "read_auditing": true
         *     }
         */
        AuditSettings: {
            /** @description Record searches and reads of the trail as veritrail.* events (default true). */
            read_auditing: boolean;
        };
        Billing: {
            payment: {
                failed_at: string | null;
                /** @description A failed payment keeps the plan until then; afterwards the tenant is on the free plan. */
                grace_until: string | null;
            };
            /** @description The subscription's current period, else the calendar month (UTC). */
            period: {
                /** Format: date-time */
                end: string;
                /** Format: date-time */
                start: string;
            };
            plan: components["schemas"]["Plan"];
            plan_set_by_operator: boolean;
            stripe_customer_id: string | null;
            subscription: {
                current_period_end: string | null;
                current_period_start: string | null;
                id: string;
                plan: string | null;
                status: string;
            } | null;
            usage: {
                /** @description Customer events received in the period (the trail's own veritrail.* entries are not counted). */
                events: number;
                included_events: number | null;
                /** @description Events beyond the included ones (billed on plans with overage). */
                overage_events: number;
                /** @description Before 429 quota_exceeded, on plans without overage; null otherwise. */
                remaining_events: number | null;
            };
        };
        CefEventPage: {
            data: string[];
            /** @description Pass as cursor to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        Change: {
            /** @description Value after the change (any JSON). */
            after?: unknown;
            /** @description Value before the change (any JSON). */
            before?: unknown;
            /**
             * @description Name of the changed field.
             * @example email
             */
            field: string;
        };
        Checkout: {
            expires_at: string | null;
            id: string;
            url: string;
        };
        /**
         * @example {
         *       "cancel_url": "https://app.example.com/settings/billing",
         *       "plan": "pro",
         *       "success_url": "https://app.example.com/settings/billing?done=1"
         *     }
         */
        CheckoutCreate: {
            /** @description Where Stripe sends the buyer on cancel. */
            cancel_url: string;
            /** @description A plan with a Stripe price configured (STRIPE_PRICES), e.g. pro. */
            plan: string;
            /** @description Where Stripe sends the buyer after paying. */
            success_url: string;
        };
        Checkpoint: {
            /** @description Compact JWS (EdDSA) over the canonical JSON {v, iss, tenant, number, tree_size, root, prev, sealed_at}. Keep it: it is your proof of what we had. */
            jws: string;
            kid: string;
            number: number;
            /** @description SHA-256 of the previous checkpoint's JWS. */
            prev: string | null;
            /** @description Lower-case hex SHA-256. */
            root: string;
            /** Format: date-time */
            sealed_at: string;
            tree_size: number;
        };
        CheckpointList: {
            data: components["schemas"]["Checkpoint"][];
            next_cursor: string | null;
        };
        ConsistencyProof: {
            from: number;
            /** @description Lower-case hex SHA-256. */
            from_root: string;
            proof: string[];
            to: number;
            /** @description Lower-case hex SHA-256. */
            to_root: string;
        };
        EcsEventPage: {
            data: ({
                /**
                 * Format: date-time
                 * @description occurred_at.
                 */
                "@timestamp": string;
                ecs: {
                    /** @constant */
                    version: "8.17.0";
                } & {
                    [key: string]: unknown;
                };
                event: {
                    action: string;
                    category: string[];
                    id: string;
                    /** @constant */
                    kind: "event";
                    outcome: string;
                    type: string[];
                } & {
                    [key: string]: unknown;
                };
                /** @description The display message, else the action. */
                message: string;
                /** @description The actor (the impersonator in an impersonated session); user.effective for delegation. */
                user: {
                    id: string;
                } & {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: unknown;
            })[];
            /** @description Pass as cursor to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        Erasure: {
            /** @description The context (IP address, user agent, session and request ids, location) of the subject's own events was blanked too. */
            blank_context: boolean;
            completed_at: string | null;
            events_affected: number;
            /** @description Organizations under legal hold that keep a pending erasure waiting. */
            held_by: string[];
            id: string;
            /** @description Data keys destroyed. */
            key_ids: string[];
            /** Format: date-time */
            requested_at: string;
            /** @enum {string} */
            status: "pending" | "completed";
            subject: string;
        };
        ErasureList: {
            data: (components["schemas"]["Erasure"] & {
                receipt: string | null;
            })[];
        };
        /**
         * @example {
         *       "blank_context": true
         *     }
         */
        ErasureRequest: {
            /** @description Also blank the context of the subject's own events received until now: their IP address, user agent, session and request ids and location read [erased] in every output, and ip= / q= no longer find them. IP-based alerts lose that history. Default false. */
            blank_context?: boolean;
        };
        ErasureResult: {
            erasure: components["schemas"]["Erasure"];
            /** @description JWS (EdDSA, typ veritrail-erasure-receipt+jws) signed with the checkpoint key; verify with /.well-known/jwks.json. */
            receipt: string;
            /** @description Webhook destinations that were sent the subject’s events; each is sent a privacy.notice. */
            recipients: components["schemas"]["Recipient"][];
        };
        /**
         * @example {
         *       "error": {
         *         "code": "validation_failed",
         *         "details": [
         *           {
         *             "code": "required",
         *             "field": "actor.id",
         *             "message": "This field is required."
         *           }
         *         ],
         *         "message": "The event is invalid.",
         *         "request_id": "req_4k2b9x0c00000001"
         *       }
         *     }
         */
        Error: {
            /** @description Some codes add fields of their own, e.g. reset_at and limit of quota_exceeded. */
            error: {
                /**
                 * @description Stable code to switch on (docs/api.md lists them).
                 * @example validation_failed
                 */
                code: string;
                /** @description Present when there is something to point at. */
                details?: components["schemas"]["ErrorDetail"][];
                /**
                 * @description For people; may change.
                 * @example The event is invalid.
                 */
                message: string;
                /**
                 * @description Also in the X-Request-Id header; quote it when reporting a problem.
                 * @example req_4k2b9x0c00000001
                 */
                request_id: string;
            } & {
                [key: string]: unknown;
            };
        };
        ErrorDetail: {
            /**
             * @description What is wrong with this field (required, invalid_format, unknown_field, …).
             * @example required
             */
            code: string;
            /**
             * @description Path of the offending field: actor.id, events[3].action, a query parameter, a path parameter.
             * @example actor.id
             */
            field?: string;
            /** @description Index of the item in a batch. */
            index?: number;
            /** @example This field is required. */
            message: string;
        };
        /**
         * @example {
         *       "action": "user.email.updated",
         *       "actor": {
         *         "email": "ann@example.com",
         *         "id": "u_1",
         *         "name": "Ann Lee",
         *         "type": "user"
         *       },
         *       "changes": [
         *         {
         *           "after": "ann@example.com",
         *           "before": "ann@old.example",
         *           "field": "email"
         *         }
         *       ],
         *       "context": {
         *         "ip": "203.0.113.5",
         *         "location": "web",
         *         "request_id": "req_1",
         *         "session_id": "s_1",
         *         "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
         *       },
         *       "id": "0193a0c4-7a1e-7c3d-9f4e-2b6a8d0c1e5f",
         *       "metadata": {
         *         "plan": "pro"
         *       },
         *       "occurred_at": "2026-11-22T10:00:00.123Z",
         *       "organization_id": "org_42",
         *       "outcome": "success",
         *       "received_at": "2026-11-22T10:00:00.412Z",
         *       "targets": [
         *         {
         *           "id": "u_1",
         *           "name": "Ann Lee",
         *           "type": "user"
         *         }
         *       ]
         *     }
         */
        Event: {
            action: string;
            actor: components["schemas"]["EventActor"];
            changes?: components["schemas"]["Change"][];
            /** @description Only with include=client and a context that yields something. Derived when read, not part of the sealed event: remove it before hashing. */
            client?: {
                /** @description Browser and major version from context.user_agent (Chrome 131). */
                browser?: string;
                /** @description ISO 3166-1 alpha-2 country of context.ip (offline GeoLite2 data). */
                country?: string;
                /** @description Operating system from context.user_agent (Windows 10). */
                os?: string;
            };
            context?: components["schemas"]["EventContext"];
            /** @description Only when the tenant has display templates (PUT /v1/actions/{action}/display). Added when read, not part of the sealed event: remove it before hashing. */
            display?: {
                /** @description Plain text (never markup): the action's display template rendered for this event, or the action humanised when it has none. */
                message: string;
            };
            /** @description Server observations: suspicious_unicode (bidi or zero-width characters in free text), implausible_timestamp (occurred over a year before receipt), scrubbed (secrets were replaced before storage), schema_mismatch (the metadata did not match its action's warn-mode schema). */
            flags?: string[];
            /**
             * Format: uuid
             * @description UUIDv7 assigned by the server.
             */
            id: string;
            idempotency_key?: string;
            metadata?: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            occurred_at: string;
            organization_id?: string;
            /** @enum {string} */
            outcome: "success" | "failure" | "unknown";
            /** Format: date-time */
            received_at: string;
            schema_version?: number;
            targets?: components["schemas"]["Target"][];
        };
        EventActor: {
            /** @description An e-mail address, or [erased], [restricted] or [masked]. */
            email?: string;
            id: string;
            impersonator?: components["schemas"]["EventPrincipal"];
            metadata?: {
                [key: string]: unknown;
            };
            name?: string;
            on_behalf_of?: components["schemas"]["EventPrincipal"];
            /** @enum {string} */
            type: "user" | "service" | "api_key" | "system" | "agent";
        };
        /**
         * @example {
         *       "events": [
         *         {
         *           "action": "user.email.updated",
         *           "actor": {
         *             "email": "ann@example.com",
         *             "id": "u_1",
         *             "name": "Ann Lee",
         *             "type": "user"
         *           },
         *           "changes": [
         *             {
         *               "after": "ann@example.com",
         *               "before": "ann@old.example",
         *               "field": "email"
         *             }
         *           ],
         *           "context": {
         *             "ip": "203.0.113.5",
         *             "location": "web",
         *             "request_id": "req_1",
         *             "session_id": "s_1",
         *             "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
         *           },
         *           "metadata": {
         *             "plan": "pro"
         *           },
         *           "occurred_at": "2026-11-22T10:00:00.123Z",
         *           "organization_id": "org_42",
         *           "outcome": "success",
         *           "targets": [
         *             {
         *               "id": "u_1",
         *               "name": "Ann Lee",
         *               "type": "user"
         *             }
         *           ]
         *         },
         *         {
         *           "action": "document.viewed",
         *           "actor": {
         *             "id": "u_1",
         *             "type": "user"
         *           },
         *           "occurred_at": "2026-11-22T10:00:05.000Z",
         *           "organization_id": "org_42",
         *           "targets": [
         *             {
         *               "id": "doc_9",
         *               "type": "document"
         *             }
         *           ]
         *         }
         *       ]
         *     }
         */
        EventBatch: {
            events: components["schemas"]["EventInput"][];
        };
        EventBatchCreated: {
            /** @description In request order. */
            ids: string[];
        };
        EventContext: {
            /**
             * @description IPv4 or IPv6 address of the client.
             * @example 203.0.113.5
             */
            ip?: string;
            /**
             * @description Free-text location or channel, e.g. web.
             * @example web
             */
            location?: string;
            /**
             * @description Your request id, for correlation.
             * @example req_1
             */
            request_id?: string;
            /**
             * @description Session identifier.
             * @example s_1
             */
            session_id?: string;
            /**
             * @description User-Agent of the client.
             * @example Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0
             */
            user_agent?: string;
        };
        EventCreated: {
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            received_at: string;
        };
        EventHistogram: {
            /** @description Width of a bucket; buckets are aligned to the Unix epoch in UTC. */
            bucket_ms: number;
            /** @description Buckets with at least one event, oldest first (empty buckets are left out). */
            buckets: {
                failure: number;
                /** Format: date-time */
                start: string;
                success: number;
                unknown: number;
            }[];
            /**
             * Format: date-time
             * @description Start of the range: `from`, else 30 days before `to`.
             */
            from: string;
            /**
             * Format: date-time
             * @description End of the range (exclusive): `to`, else now.
             */
            to: string;
        };
        /**
         * @example {
         *       "action": "user.email.updated",
         *       "actor": {
         *         "email": "ann@example.com",
         *         "id": "u_1",
         *         "name": "Ann Lee",
         *         "type": "user"
         *       },
         *       "changes": [
         *         {
         *           "after": "ann@example.com",
         *           "before": "ann@old.example",
         *           "field": "email"
         *         }
         *       ],
         *       "context": {
         *         "ip": "203.0.113.5",
         *         "location": "web",
         *         "request_id": "req_1",
         *         "session_id": "s_1",
         *         "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
         *       },
         *       "metadata": {
         *         "plan": "pro"
         *       },
         *       "occurred_at": "2026-11-22T10:00:00.123Z",
         *       "organization_id": "org_42",
         *       "outcome": "success",
         *       "targets": [
         *         {
         *           "id": "u_1",
         *           "name": "Ann Lee",
         *           "type": "user"
         *         }
         *       ]
         *     }
         */
        EventInput: {
            /**
             * @description Dotted lower-case action, e.g. user.login. The veritrail.* namespace is reserved.
             * @example user.login
             */
            action: string;
            actor: components["schemas"]["Actor"];
            changes?: components["schemas"]["Change"][];
            context?: components["schemas"]["EventContext"];
            /**
             * @description A retry with the same key within 24 h returns the original id and stores nothing new.
             * @example 7f1c2e9a-4b1d-4c55-9a3e-2b8f6d0c1a77
             */
            idempotency_key?: string;
            /** @description Free-form JSON object, at most 16384 bytes serialised and 8 levels deep. Keys __proto__, constructor and prototype are rejected. */
            metadata?: {
                [key: string]: unknown;
            };
            /**
             * Format: date-time
             * @description RFC 3339 time with an offset (Z or ±hh:mm); at most 5 minutes in the future. Stored in UTC, millisecond precision.
             * @example 2026-11-22T10:00:00.123Z
             */
            occurred_at: string;
            /**
             * @description Your customer (organization) the event belongs to.
             * @example org_42
             */
            organization_id?: string;
            /**
             * @description Defaults to unknown.
             * @example success
             * @enum {string}
             */
            outcome?: "success" | "failure" | "unknown";
            /**
             * @description Version of the action's metadata schema to validate against (PUT /v1/actions/{action}/schema); the latest when omitted. Only meaningful when the action has a schema.
             * @example 2
             */
            schema_version?: number;
            targets?: components["schemas"]["Target"][];
        };
        EventList: {
            data: components["schemas"]["Event"][];
            /** @description Pass as cursor to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /** @description format=json (default): EventList; format=ocsf: OcsfEventPage; format=ecs: EcsEventPage; format=cef: CefEventPage. */
        EventPage: components["schemas"]["EventList"] | components["schemas"]["OcsfEventPage"] | components["schemas"]["EcsEventPage"] | components["schemas"]["CefEventPage"];
        EventPrincipal: {
            id: string;
            name?: string;
            /** @enum {string} */
            type: "user" | "service" | "api_key" | "system" | "agent";
        };
        EventStats: {
            /** @description Top 100 actions. */
            by_action: {
                action: string;
                count: number;
            }[];
            /** @description UTC days of occurred_at. */
            by_day: {
                count: number;
                /** Format: date */
                day: string;
            }[];
            by_outcome: {
                count: number;
                /** @enum {string} */
                outcome: "success" | "failure" | "unknown";
            }[];
            total: number;
        };
        EventVerification: {
            /** @description The newest checkpoint, against which the events were checked; null before the first seal. */
            checkpoint: {
                number: number;
                /** Format: date-time */
                sealed_at: string;
            } | null;
            events: {
                /** Format: uuid */
                id: string;
                /**
                 * @description verified: the stored event hashes to its sealed leaf and the leaf proves into the signed checkpoint; unsealed: not in a checkpoint yet; failed: the event or its proof does not match (tampering); not_found: no such event in your scope.
                 * @enum {string}
                 */
                status: "verified" | "unsealed" | "failed" | "not_found";
            }[];
        };
        Evidence: {
            /** @description The newest checkpoint last; older ones (since, and the retention horizon) each with a consistency proof to it. */
            checkpoints: string[];
            consistency: {
                from: number;
                proof: string[];
                to: number;
            }[];
            events: {
                /** @description Inclusion proof (selection); empty for an event of a range. */
                audit_path: string[];
                checkpoint: number;
                /** @description The event exactly as sealed (classified personal data encrypted). */
                event: {
                    [key: string]: unknown;
                };
                leaf_index: number;
            }[];
            /** @constant */
            format: "veritrail-evidence/2";
            /** Format: date-time */
            generated_at: string;
            jwks: components["schemas"]["Jwks"];
            /** @description Trail evidence cut by limit: ask again with from_index set to this. */
            next_from_index: number | null;
            /** @description The C2SP note verifier keys of this server (informational: pin /.well-known/veritrail/note-keys, never these). */
            note_keys: string[];
            /** @description The C2SP signed note (c2sp.org/tlog-checkpoint) of each checkpoint's tree head: same sizes and roots as `checkpoints`. */
            notes: string[];
            ranges: {
                checkpoint: number;
                /** @description Exclusive. */
                end: number;
                /** @description Complete subtrees covering leaves [0, start), largest first. */
                left: string[];
                /** @description Complete subtrees covering leaves [end, tree size), left to right. */
                right: string[];
                /** @description First leaf index. */
                start: number;
            }[];
            /** @description Each checkpoint of `checkpoints` that is in the newest final root checkpoint, as a C2SP tlog-proof in the deployment's root log: extra = base64 of the tenant checkpoint note (the leaf's data, leaf = SHA-256(0x00 ‖ note)), its index and audit path, then the root checkpoint note with its witnesses' cosignatures. */
            root_proofs: string[];
            /** @description RFC 3161 time-stamp token (TSA_URL) over the text of the root checkpoint the root proofs lead to: that root, and every checkpoint in it, existed by the token's time. */
            root_timestamps: {
                /** @description Base64 of the DER token. */
                token: string;
                tree_size: number;
            }[];
            /**
             * @description trail (no filters, tenant-wide key): `ranges` hold every leaf of a stretch of the log, so the offline verifier proves nothing was removed, added or reordered in it. selection (filters, or a key limited to one organization): each event is proven to be in the trail; nothing is said about the events left out.
             * @enum {string}
             */
            scope: "trail" | "selection";
            tenant: string;
            /** @description Selection: one C2SP tlog-proof (c2sp.org/tlog-proof) per event — extra = base64 of the event id, its leaf index and audit path, then the note of the newest checkpoint. Leaf = SHA-256(0x00 ‖ the event as sealed). Empty for trail evidence (the range proves its events). */
            tlog_proofs: string[];
            /** @description Events received but not sealed yet: not in this evidence. */
            unsealed: number;
            /** @description The range reaches from the first leaf that may still be retained to the newest checkpoint: the whole trail as of it (checked offline). */
            whole_trail: boolean;
            /** @description Leaves of a range whose events retention removed: their hashes only. The verifier accepts them only if a signed checkpoint shows they were sealed before the retention horizon. */
            withheld: {
                /** @description Lower-case hex SHA-256. */
                leaf_hash: string;
                leaf_index: number;
                /** @constant */
                reason: "expired";
            }[];
        };
        Export: {
            /** @description File size so far (final once succeeded), as downloaded (after gzip). */
            bytes: number;
            /** Format: date-time */
            created_at: string;
            /** @description A signed link valid 15 minutes, present while the file can be downloaded. Fetch the export again for a fresh one. */
            download_link: {
                /** Format: date-time */
                expires_at: string;
                /** @description Works without the API key until expires_at; bound to this tenant and export. */
                url: string;
            } | null;
            error: {
                code: string;
                message: string;
            } | null;
            /** @description When the file is deleted (EXPORT_RETENTION after success). */
            expires_at: string | null;
            /** @description The filters as requested. */
            filters: {
                [key: string]: string;
            };
            finished_at: string | null;
            /** @enum {string} */
            format: "ndjson" | "csv" | "ocsf" | "ecs" | "cef" | "bundle";
            gzip: boolean;
            /** Format: uuid */
            id: string;
            /** @description Set when an organization-scoped key requested it: only that organization is exported. */
            organization_id: string | null;
            /** @description Events written so far (final once succeeded). */
            row_count: number;
            /** @description Hex SHA-256 of the file as downloaded; set once succeeded. */
            sha256: string | null;
            /**
             * Format: date-time
             * @description Events received after this instant are not part of the export.
             */
            snapshot_at: string;
            started_at: string | null;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
        };
        /**
         * @example {
         *       "exclude_action": "veritrail.*",
         *       "format": "csv",
         *       "from": "2026-11-01T00:00:00Z",
         *       "gzip": true,
         *       "organization_id": "org_42",
         *       "to": "2026-12-01T00:00:00Z"
         *     }
         */
        ExportCreate: {
            /**
             * @description Exact action (user.login) or a prefix ending in .* (user.*).
             * @example user.*
             */
            action?: string;
            actor_id?: string;
            /** @enum {string} */
            actor_type?: "user" | "service" | "api_key" | "system" | "agent";
            /**
             * @description Leave out this action (exact) or these actions (a prefix ending in .*): veritrail.* hides the trail's own entries, as the embedded viewer does by default.
             * @example veritrail.*
             */
            exclude_action?: string;
            /**
             * @description ndjson: stored events, one JSON object per line. csv: flat columns, formula-injection safe. ocsf: OCSF 1.1.0 (3002/3001/6003, see PUT /v1/settings/ocsf). ecs: Elastic Common Schema 8.17 documents, one per line. cef: ArcSight CEF:0 lines. bundle: a tar of events.ndjson + checkpoints + inclusion proofs + JWKS, checked offline by `veritrail verify`.
             * @enum {string}
             */
            format: "ndjson" | "csv" | "ocsf" | "ecs" | "cef" | "bundle";
            /**
             * Format: date-time
             * @description occurred_at ≥ this RFC 3339 time.
             */
            from?: string;
            /**
             * @description Compress the file with gzip.
             * @default false
             */
            gzip?: boolean;
            /** @description Only events done in a session this id impersonated (actor.impersonator.id). */
            impersonator?: string;
            /** @description Events this id did, had done on its behalf or did while impersonating someone (actor.id, actor.on_behalf_of.id or actor.impersonator.id): a user's "my activity" view. */
            involving?: string;
            /** @description Exact client IP address. */
            ip?: string;
            /** @description Only events whose actor acted on behalf of this id (actor.on_behalf_of.id). */
            on_behalf_of?: string;
            /** @description Only events of this organization. */
            organization_id?: string;
            /** @enum {string} */
            outcome?: "success" | "failure" | "unknown";
            /** @description Free text: every whitespace-separated term (at most 8, each at least 2 characters with a letter or digit) must appear, case-insensitively, in the event text. */
            q?: string;
            target_id?: string;
            target_type?: string;
            /**
             * Format: date-time
             * @description occurred_at < this RFC 3339 time.
             */
            to?: string;
        };
        ExportList: {
            data: components["schemas"]["Export"][];
            next_cursor: string | null;
        };
        Health: {
            /** @constant */
            status: "ok";
        };
        Home: {
            links: {
                /** @description With VIEWER_DEMO=true. */
                demo?: string;
                docs: string;
                healthz: string;
                metrics: string;
                openapi: string;
                readyz: string;
            };
            /** @constant */
            name: "Veritrail";
            /** @example 0.1.0 */
            version: string;
        };
        InclusionProof: {
            /** @description RFC 6962 audit path, leaf level first. */
            audit_path: string[];
            checkpoint: components["schemas"]["Checkpoint"];
            /** Format: uuid */
            event_id: string;
            /** @description SHA-256(0x00 ‖ sealed_event). */
            leaf_hash: string;
            leaf_index: number;
            /** @description The event exactly as sealed (canonical JSON): what GET /v1/events/{id} returns, except that classified personal data appears as "vt-enc:…" ciphertext. Hash it to check leaf_hash. */
            sealed_event: string;
            tree_size: number;
        };
        Jwks: {
            /** @description Current and retired keys. */
            keys: {
                /** @constant */
                alg: "EdDSA";
                /** @constant */
                crv: "Ed25519";
                /** @description RFC 7638 thumbprint; checkpoints name it in their JWS header. */
                kid: string;
                /** @constant */
                kty: "OKP";
                /** @constant */
                use: "sig";
                /** @description The public key, base64url. */
                x: string;
            }[];
        };
        OcsfEventPage: {
            data: ({
                activity_id: number;
                actor: {
                    [key: string]: unknown;
                };
                category_uid: number;
                /** @description 3002 Authentication, 3001 Account Change or 6003 API Activity (the tenant mapping applies). */
                class_uid: number;
                /** @description The display message (docs/api.md "Display templates"), else the action. */
                message: string;
                metadata: {
                    product: {
                        name: string;
                        vendor_name: string;
                        version: string;
                    } & {
                        [key: string]: unknown;
                    };
                    /** @description The event id. */
                    uid: string;
                    /** @constant */
                    version: "1.1.0";
                } & {
                    [key: string]: unknown;
                };
                severity_id: number;
                status_id: number;
                /** @description occurred_at, epoch milliseconds. */
                time: number;
                type_uid: number;
            } & {
                [key: string]: unknown;
            })[];
            /** @description Pass as cursor to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "mapping": {
         *         "billing.*": 6003,
         *         "user.mfa.verified": 3002,
         *         "user.role.*": 3001
         *       }
         *     }
         */
        OcsfSettings: {
            /** @description Action (user.login) or prefix (billing.*) → OCSF class: 3002 Authentication, 3001 Account Change, 6003 API Activity. An exact action wins over a prefix, a longer prefix over a shorter one; unmapped actions keep the built-in classification. */
            mapping: {
                [key: string]: 3001 | 3002 | 6003;
            };
        };
        Plan: {
            id: string;
            limits: components["schemas"]["PlanLimits"];
            name: string;
            /** @description true: events beyond events_per_month are billed; false: refused with 429 quota_exceeded. */
            overage: boolean;
            /** @description Per-second rate limits of the plan's tenants; an absent field is the server default (RATE_LIMIT_*). */
            rate_limits: {
                /** @description Events per second to POST /v1/events and /v1/events/batch (0 = no limit). */
                ingest_events_per_second?: number;
                /** @description Ingest requests per second (0 = no limit). */
                ingest_requests_per_second?: number;
                /** @description GET requests per second (0 = no limit). */
                read_requests_per_second?: number;
            };
        };
        PlanLimits: {
            alerts: number | null;
            /** @description Customer events per calendar month (UTC) included; null = no limit. */
            events_per_month: number | null;
            exports_per_day: number | null;
            /** @description The longest retention a tenant on this plan may have. */
            max_retention_days: number;
            webhooks: number | null;
        };
        PlanList: {
            data: components["schemas"]["Plan"][];
        };
        /**
         * @example {
         *       "alerts": 50,
         *       "events_per_month": 5000000,
         *       "exports_per_day": 100,
         *       "max_retention_days": 730,
         *       "name": "Team",
         *       "overage": true,
         *       "webhooks": 10
         *     }
         */
        PlanUpsert: {
            /** @description null = no limit. */
            alerts: number | null;
            /** @description Included customer events per month; null = no limit. */
            events_per_month: number | null;
            /** @description null = no limit. */
            exports_per_day: number | null;
            max_retention_days: number;
            name: string;
            /** @description true: bill events beyond events_per_month; false: refuse them (429 quota_exceeded). */
            overage: boolean;
            /** @description Per-second rate limits of the plan's tenants (0 = none); absent fields, or all when omitted: the server defaults (RATE_LIMIT_*). A tenant's own rate_limits win. */
            rate_limits?: {
                /** @description Events per second to POST /v1/events and /v1/events/batch (0 = no limit). */
                ingest_events_per_second?: number;
                /** @description Ingest requests per second (0 = no limit). */
                ingest_requests_per_second?: number;
                /** @description GET requests per second (0 = no limit). */
                read_requests_per_second?: number;
            };
            /** @description null = no limit (at most 50 per tenant in any case). */
            webhooks: number | null;
        };
        Portal: {
            url: string;
        };
        /**
         * @example {
         *       "return_url": "https://app.example.com/settings/billing"
         *     }
         */
        PortalCreate: {
            /** @description Where the portal's "return" link leads. */
            return_url: string;
        };
        /** @description A party of a delegated action. As actor.on_behalf_of: the principal the actor acted for (the user an AI agent or a support engineer acted for; RFC 8693: the token's sub). As actor.impersonator: who was really at the keyboard of the actor's impersonated session. */
        Principal: {
            /**
             * @description Stable identifier of the party in your system.
             * @example u_2
             */
            id: string;
            /**
             * @description Display name.
             * @example Bob Stone
             */
            name?: string;
            /**
             * @description Kind of party.
             * @example user
             * @enum {string}
             */
            type: "user" | "service" | "api_key" | "system" | "agent";
        };
        PrivacyNotice: {
            action: string | null;
            /** @description When it was recorded in the trail (and so queued for webhooks). */
            announced_at: string | null;
            by: {
                id: string;
                type: string | null;
            } | null;
            /** Format: date-time */
            created_at: string;
            event_id: string | null;
            /** @description Names of the fields concerned, never their values. */
            fields: string[];
            id: string;
            /** @enum {string} */
            kind: "rectification" | "deletion" | "restriction" | "erasure";
            /** Format: date-time */
            occurred_at: string;
            organization_id: string | null;
            /** @description The data subject (an actor or target id). */
            subject: string;
        };
        PrivacyNoticeList: {
            data: components["schemas"]["PrivacyNotice"][];
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "classification": {
         *         "fields": {
         *           "actor.email": "sensitive",
         *           "context.ip": "restricted"
         *         },
         *         "subject_target_types": [
         *           "user",
         *           "member"
         *         ]
         *       },
         *       "notices": {
         *         "actions": {
         *           "user.deleted": "deletion",
         *           "user.email.updated": "rectification"
         *         }
         *       },
         *       "scrubbing": {
         *         "custom_patterns": [
         *           {
         *             "name": "employee_id",
         *             "pattern": "EMP-[0-9]{6}"
         *           }
         *         ],
         *         "deny_fields": [
         *           "metadata.ssn"
         *         ],
         *         "mode": "redact",
         *         "truncate_ip": false
         *       }
         *     }
         */
        PrivacySettings: {
            classification?: {
                /** @description Per-action overrides (`user.email.updated` or `user.*`), applied over `fields`; the most specific wins. */
                actions?: {
                    [key: string]: {
                        [key: string]: "sensitive" | "restricted" | "unrestricted";
                    };
                };
                /** @description Field → tier. Fields: actor.name, actor.email, actor.metadata.<key>, targets.name, targets.metadata.<key> (targets whose type is a data-subject type), context.ip|user_agent|location|session_id|request_id, metadata.<key>, changes.<field> (the before/after values of that change). */
                fields?: {
                    [key: string]: "sensitive" | "restricted" | "unrestricted";
                };
                /** @description Target types that are data subjects. Default ["user"]. */
                subject_target_types?: string[];
            };
            notices?: {
                /** @description Actions that change or delete a data subject's personal data, with the kind of notice they raise, e.g. {"user.deleted": "deletion", "user.email.updated": "rectification"}. */
                actions?: {
                    [key: string]: "rectification" | "deletion" | "restriction";
                };
            };
            scrubbing: {
                /** @description When set, only these top-level metadata keys are stored. */
                allow_metadata_keys?: string[] | null;
                custom_patterns?: {
                    name: string;
                    /** @description JavaScript regular expression; no backreferences, no nested quantifiers, must not match the empty string. */
                    pattern: string;
                }[];
                /** @description metadata paths never stored (metadata.ssn). */
                deny_fields?: string[];
                /**
                 * @description redact (default): secrets become [REDACTED:<kind>]; hmac: [HMAC:<kind>:<16 hex>], a keyed pseudonym per tenant (equal secrets stay joinable, never reversible).
                 * @enum {string}
                 */
                mode?: "redact" | "hmac";
                /** @description Store context.ip truncated: IPv4 /24, IPv6 /48. */
                truncate_ip?: boolean;
            };
        };
        Readiness: {
            checks: {
                /** @enum {string} */
                clickhouse: "up" | "down";
                /** @enum {string} */
                postgres: "up" | "down";
            };
            /** @description Events waiting for the next group commit. */
            ingest_queue: number;
            /** @enum {string} */
            status: "ready" | "unavailable";
        };
        Recipient: {
            host: string;
            id: string;
            kind: string;
            name: string;
            status: string;
        };
        RetentionSettings: {
            actions: {
                action: string;
                days: number;
            }[];
            default_days: number;
            /** @description The shortest retention ever in force: verification reports events older than this as expired, not deleted. */
            floor_days: number;
            legal_holds: {
                organization_id: string;
                reason: string;
                /** Format: date-time */
                since: string;
            }[];
            /** @description The longest retention this tenant may set. */
            max_days: number;
            pci_dss: boolean;
        };
        /**
         * @example {
         *       "actions": [
         *         {
         *           "action": "document.viewed",
         *           "days": 90
         *         }
         *       ],
         *       "default_days": 365,
         *       "legal_holds": [
         *         {
         *           "organization_id": "org_42",
         *           "reason": "Litigation hold, matter 2026-114"
         *         }
         *       ]
         *     }
         */
        RetentionSettingsInput: {
            /** @description Per-action overrides; the most specific wins (an exact action over a prefix, a longer prefix over a shorter one). */
            actions?: {
                /** @description An action (user.login) or a prefix (billing.*). */
                action: string;
                /** @description Retention of these events. */
                days: number;
            }[];
            /** @description Retention of every event without an override, counted from received_at. */
            default_days: number;
            /** @description Organizations whose events never expire and whose data subjects cannot be erased while the hold lasts. */
            legal_holds?: {
                organization_id: string;
                /** @description Why (case or matter reference); recorded in the trail. */
                reason: string;
            }[];
            /** @description Required to go below a compliance minimum; recorded in the trail. */
            override_reason?: string;
            /** @description Keep at least 365 days (PCI DSS 10.5.1): shorter retention needs override_reason. */
            pci_dss?: boolean;
        };
        SealResult: {
            checkpoints: components["schemas"]["Checkpoint"][];
            sealed: number;
        };
        /**
         * @example {
         *       "allowed_organizations": [],
         *       "default": "allowed",
         *       "forbidden_organizations": [
         *         "org_trial_7"
         *       ]
         *     }
         * @example {
         *       "allowed_organizations": [
         *         "org_42"
         *       ],
         *       "default": "forbidden",
         *       "forbidden_organizations": []
         *     }
         */
        StreamsSettings: {
            /** @description Allowed even when default is forbidden. */
            allowed_organizations: string[];
            /**
             * @description For organizations in neither list.
             * @enum {string}
             */
            default: "allowed" | "forbidden";
            /** @description Forbidden whatever else says (wins over allowed_organizations). */
            forbidden_organizations: string[];
        };
        StripeWebhookAck: {
            outcome: string;
            /** @constant */
            received: true;
        };
        SubjectAccess: {
            erasures: components["schemas"]["Erasure"][];
            /** @description Every retained event where the subject is actor or target, decrypted; other people's data in them reads [masked]. */
            events: components["schemas"]["Event"][];
            /** @constant */
            format: "veritrail-subject-access-v1";
            /** Format: date-time */
            generated_at: string;
            notices: components["schemas"]["PrivacyNotice"][];
            /** @description Webhook destinations the subject's events were sent to. */
            recipients: components["schemas"]["Recipient"][];
            subject: string;
            tenant: string;
        };
        Target: {
            /**
             * @description Identifier of the object.
             * @example doc_9
             */
            id: string;
            /** @description Free-form JSON object, at most 16384 bytes serialised and 8 levels deep. Keys __proto__, constructor and prototype are rejected. */
            metadata?: {
                [key: string]: unknown;
            };
            /**
             * @description Display name.
             * @example Q3 plan
             */
            name?: string;
            /**
             * @description Kind of object acted on, e.g. document.
             * @example document
             */
            type: string;
        };
        Tenant: {
            /** Format: date-time */
            created_at: string;
            id: string;
            name: string;
            /** @description The operator's per-tenant rate limits (per second, per replica; 0 = none); an absent field inherits the plan's, then the server default (RATE_LIMIT_*). */
            rate_limits: {
                /** @description Events per second to POST /v1/events and /v1/events/batch (0 = no limit). */
                ingest_events_per_second?: number;
                /** @description Ingest requests per second (0 = no limit). */
                ingest_requests_per_second?: number;
                /** @description GET requests per second (0 = no limit). */
                read_requests_per_second?: number;
            };
            read_auditing: boolean;
            retention_days: number;
            /** @enum {string} */
            status: "active" | "suspended";
            /** Format: date-time */
            updated_at: string;
        };
        /**
         * @example {
         *       "name": "Acme Corp (production)",
         *       "retention_days": 400
         *     }
         */
        TenantCreate: {
            name: string;
            /** @description Default: DEFAULT_RETENTION_DAYS (365). */
            retention_days?: number;
        };
        TenantCreated: {
            api_key: components["schemas"]["ApiKeyCreated"];
            tenant: components["schemas"]["Tenant"];
        };
        TenantList: {
            data: components["schemas"]["Tenant"][];
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "plan": "business"
         *     }
         * @example {
         *       "plan": null
         *     }
         */
        TenantPlanOverride: {
            /** @description A plan id, or null to return to the subscription (or free). */
            plan: string | null;
        };
        TenantPlanSet: {
            /** @description The plan in force now. */
            plan: string;
            /** @description true while the operator's choice overrides the subscription. */
            plan_set_by_operator: boolean;
            tenant_id: string;
        };
        /**
         * @example {
         *       "name": "Acme Corporation (production)",
         *       "read_auditing": false
         *     }
         * @example {
         *       "rate_limits": {
         *         "ingest_events_per_second": 2000,
         *         "read_requests_per_second": 50
         *       }
         *     }
         */
        TenantUpdate: {
            name?: string;
            /** @description Replaces the tenant's rate-limit overrides (per second, per replica; 0 = no limit); a field left out inherits the plan's, then RATE_LIMIT_*; {} removes every override. */
            rate_limits?: {
                /** @description Events per second to POST /v1/events and /v1/events/batch (0 = no limit). */
                ingest_events_per_second?: number;
                /** @description Ingest requests per second (0 = no limit). */
                ingest_requests_per_second?: number;
                /** @description GET requests per second (0 = no limit). */
                read_requests_per_second?: number;
            };
            read_auditing?: boolean;
            retention_days?: number;
            /**
             * @description A suspended tenant's keys get 403 tenant_suspended.
             * @enum {string}
             */
            status?: "active" | "suspended";
        };
        VerifyReport: {
            checkpoints_checked: number;
            events_checked: number;
            /** @description Leaf ranges whose events were removed by retention: expected, not tampering. */
            expired: {
                count: number;
                from_index: number;
                to_index: number;
            }[];
            newest_checkpoint: number | null;
            /** @enum {string} */
            status: "ok" | "tampered";
            tampered: {
                checkpoint?: number;
                /** @description column_modified: the stored filter columns that no longer match the sealed event (e.g. organization_id). */
                columns?: string[];
                detail: string;
                event_id?: string;
                /** @enum {string} */
                kind: "modified" | "column_modified" | "deleted" | "inserted" | "duplicated" | "log_rewritten" | "checkpoint_signature" | "checkpoint_chain" | "rollback" | "split_view";
                leaf_index?: number;
            }[];
            tree_size: number;
            /** @description More than 1000 findings; only the first are listed. */
            truncated: boolean;
            unsealed_recent: number;
        };
        /**
         * @example {}
         * @example {
         *       "from_index": 0,
         *       "to_index": 100000
         *     }
         */
        VerifyRequest: {
            /** @description Check events from this leaf index (roots are always recomputed over the whole log). */
            from_index?: number;
            /** @description A checkpoint JWS you hold: detects rollback and rewritten history. */
            known_checkpoint?: string;
            /** @description Exclusive end of the range. */
            to_index?: number;
        };
        ViewerSessionsRevoked: {
            actor_id: string | null;
            organization_id: string;
            /**
             * Format: date-time
             * @description Tokens issued up to this second are refused, on every replica within 60 s.
             */
            revoked_at: string;
        };
        /**
         * @example {
         *       "allowed_origins": [
         *         "https://app.example.com"
         *       ]
         *     }
         */
        ViewerSettings: {
            /** @description Origins (https://app.example.com, http://localhost:3000) whose pages may use this tenant's viewer tokens. */
            allowed_origins: string[];
        };
        ViewerToken: {
            /** Format: date-time */
            expires_at: string;
            organization_id: string;
            session_id: string;
            /** @description EdDSA JWT; pass it to <veritrail-viewer token="…">. Send it to the browser only, never log it. */
            token: string;
        };
        /**
         * @example {
         *       "organization_id": "org_42"
         *     }
         * @example {
         *       "actor_id": "u_1",
         *       "organization_id": "org_42",
         *       "scopes": [
         *         "events:read"
         *       ],
         *       "ttl_seconds": 900
         *     }
         * @example {
         *       "organization_id": "org_42",
         *       "scopes": [
         *         "events:read",
         *         "streams"
         *       ],
         *       "user_id": "admin_7"
         *     }
         */
        ViewerTokenCreate: {
            /** @description Show only these actions: exact (user.login) or prefixes (user.*). */
            actions?: string[];
            /** @description Show only events by this actor or done on their behalf (actor.on_behalf_of): an end user's "my activity" page. */
            actor_id?: string;
            /** @description The organization (your customer) whose trail the viewer shows. */
            organization_id: string;
            /**
             * @description Let the viewer fetch each event's inclusion proof and signed checkpoint (GET /v1/events/{id}/proof) and check them in the browser against the keys pinned on the page. A proof reveals the size of your whole log (all organizations), so this is off unless you set it.
             * @default false
             */
            proofs?: boolean;
            /** @description Default events:read and exports: search and export. events:read is always required. streams adds the Streams tab: the organization's own destinations and alert rules (not with actor_id or actions; the tenant may forbid it per organization, PUT /v1/settings/streams). */
            scopes?: ("events:read" | "exports" | "streams")[];
            /**
             * @description Lifetime of the token (default 15 minutes).
             * @default 900
             */
            ttl_seconds?: number;
            /** @description Who will look at the viewer: the actor of its recorded reads, and what DELETE /v1/viewer-sessions?actor_id= matches. Defaults to actor_id. */
            user_id?: string;
        };
        Webhook: {
            batch: {
                interval_ms: number;
                max_bytes: number;
                max_events: number;
            };
            /** @description https: CloudEvents binary-mode headers are added. */
            cloudevents: boolean;
            /** Format: date-time */
            created_at: string;
            disabled_reason: string | null;
            filters: {
                actions: string[];
                kinds: ("event" | "checkpoint.sealed" | "alert.triggered" | "privacy.notice")[];
                organizations: string[];
            };
            /** @description syslog: cef or leef; null for other kinds. */
            format: ("cef" | "leef") | null;
            health: {
                consecutive_failures: number;
                /** @description Sealed events after the cursor (not all may match the filters). For an organization-scoped caller (self-service streams) 0 or 1, behind or not: the exact count is the whole tenant's volume. */
                lag_events: number;
                /** @description Age of the oldest event not yet delivered (0 when caught up). */
                lag_seconds: number;
                last_error: string | null;
                last_failure_at: string | null;
                last_success_at: string | null;
                /** Format: date-time */
                next_attempt_at: string;
            };
            id: string;
            /** @enum {string} */
            kind: "https" | "splunk_hec" | "datadog" | "s3" | "syslog" | "sentinel";
            masking: {
                drop: string[];
                hash: string[];
            };
            name: string;
            organization_id: string | null;
            previous_secret_valid_until: string | null;
            /** @enum {string} */
            status: "active" | "paused" | "disabled";
            /** @description syslog+tls only. */
            tls: {
                ca: boolean;
                client_certificate: boolean;
            } | null;
            /** Format: date-time */
            updated_at: string;
            url: string;
        };
        /**
         * @example {
         *       "filters": {
         *         "actions": [
         *           "user.*",
         *           "api_key.*"
         *         ],
         *         "kinds": [
         *           "event",
         *           "alert.triggered"
         *         ]
         *       },
         *       "masking": {
         *         "drop": [
         *           "context.ip"
         *         ]
         *       },
         *       "name": "Security team",
         *       "url": "https://hooks.example.com/veritrail"
         *     }
         * @example {
         *       "credentials": {
         *         "token": "f1d2d2f9-24e7-4e4c-9c3a-1b2c3d4e5f60"
         *       },
         *       "kind": "splunk_hec",
         *       "start": "beginning",
         *       "url": "https://splunk.example.com:8088/services/collector/event"
         *     }
         * @example {
         *       "format": "leef",
         *       "kind": "syslog",
         *       "tls": {
         *         "ca": "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n"
         *       },
         *       "url": "syslog+tls://siem.example.com:6514"
         *     }
         */
        WebhookCreate: {
            batch?: {
                /**
                 * @description Wait after a batch that was not full, and between looks at an idle log (at least 50 ms).
                 * @default 1000
                 */
                interval_ms?: number;
                /** @default 262144 */
                max_bytes?: number;
                /** @default 100 */
                max_events?: number;
            };
            /** @description https only: add CloudEvents 1.0 binary-mode headers (ce-specversion, ce-id, ce-type, ce-source, ce-time) beside the signature; the body is unchanged. */
            cloudevents?: boolean;
            credentials?: {
                /** @description s3 (required): access key id of a key pair for this bucket; the server's own AWS identity is never used. */
                access_key_id?: string;
                /** @description datadog: the API key. */
                api_key?: string;
                /** @description sentinel: the Entra authority (default https://login.microsoftonline.com; sovereign clouds differ); SSRF rules as for any URL. */
                authority_host?: string;
                /** @description sentinel (required): the app registration's client (application) id. */
                client_id?: string;
                /** @description sentinel (required): its client secret; sealed at rest, never returned. */
                client_secret?: string;
                /** @description sentinel (required): the data collection rule's immutable id (dcr-…). */
                dcr_immutable_id?: string;
                /** @description s3: endpoint of an S3-compatible service (MinIO, R2, …); unset: AWS. */
                endpoint?: string;
                /** @description s3: bucket in the path (default: true when endpoint is set). */
                force_path_style?: boolean;
                /** @description s3: region (default us-east-1). */
                region?: string;
                /** @description s3 (required): secret access key. */
                secret_access_key?: string;
                /** @description sentinel (required): the rule's input stream (Custom-…, or Microsoft-ASimAuditEventLogs). */
                stream_name?: string;
                /** @description sentinel (required): the Entra (Azure AD) tenant id or domain of the app registration. */
                tenant_id?: string;
                /** @description splunk_hec: the HEC token. */
                token?: string;
            };
            filters?: {
                /** @description Exact actions or prefixes (user.*); empty = every action. */
                actions?: string[];
                /** @description What to deliver. Default ["event"]. event: the trail's events (filtered by actions and organizations); checkpoint.sealed: signed checkpoints; alert.triggered: alerts as they fire (veritrail.alert.triggered entries); privacy.notice: data-subject notices (veritrail.privacy.notice entries). These two are not subject to the other filters. */
                kinds?: ("event" | "checkpoint.sealed" | "alert.triggered" | "privacy.notice")[];
                /** @description Only these organizations; empty = all. */
                organizations?: string[];
            };
            /**
             * @description syslog only: the payload of each message, cef (ArcSight CEF, default) or leef (IBM LEEF 2.0, TAB-delimited).
             * @enum {string}
             */
            format?: "cef" | "leef";
            /**
             * @description https (Standard Webhooks, default), splunk_hec (HTTP Event Collector), datadog (logs intake v2), s3 (gzip NDJSON objects YYYY/MM/DD/HH/<id>.ndjson.gz), syslog (RFC 5424 over TLS or TCP, octet-counted, CEF or LEEF), sentinel (Microsoft Sentinel through the Logs Ingestion API; url: the data collection endpoint).
             * @enum {string}
             */
            kind?: "https" | "splunk_hec" | "datadog" | "s3" | "syslog" | "sentinel";
            masking?: {
                /** @description Dotted event paths removed before sending (actor.email, context.ip, targets.name). */
                drop?: string[];
                /** @description Dotted event paths replaced by hmac-sha256:<hex> under a per-destination key. */
                hash?: string[];
            };
            name?: string;
            /**
             * @description now (default): events sealed from now on; beginning: the whole retained trail.
             * @enum {string}
             */
            start?: "now" | "beginning";
            /** @description syslog+tls only. The receiver's certificate must also name the URL's host. */
            tls?: {
                /** @description PEM CA certificate(s) the receiver's certificate must chain to; unset: the system's trusted CAs. */
                ca?: string;
                /** @description PEM client certificate (mutual TLS); needs key. */
                cert?: string;
                /** @description PEM private key of the client certificate (unencrypted); sealed at rest like other credentials, never returned. */
                key?: string;
            };
            /** @description http(s) only (private, loopback and link-local addresses are refused); for kind s3: s3://<bucket>/<prefix>; for kind syslog: syslog+tls://<host>[:6514] or syslog+tcp://<host>[:601]. */
            url: string;
        };
        WebhookCreated: components["schemas"]["Webhook"] & {
            /** @description whsec_… signing secret: shown only now and on rotation. */
            secret: string;
        };
        WebhookDelivery: {
            attempt: number;
            /** Format: date-time */
            created_at: string;
            error: string | null;
            event_count: number;
            id: string;
            /** @enum {string} */
            kind: "events" | "checkpoint.sealed" | "webhook.test" | "alert.triggered" | "privacy.notice";
            latency_ms: number;
            /** @description The webhook-id header: the same for every attempt of one message. */
            message_id: string;
            response_body: string | null;
            response_status: number | null;
            succeeded: boolean;
            webhook_id: string;
        };
        WebhookDeliveryList: {
            data: components["schemas"]["WebhookDelivery"][];
            next_cursor: string | null;
        };
        WebhookList: {
            data: components["schemas"]["Webhook"][];
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "from": "2026-11-22T00:00:00Z"
         *     }
         */
        WebhookReplay: {
            /** @description A next_cursor of GET /v1/events/feed: redeliver what follows it. */
            cursor?: string;
            /**
             * Format: date-time
             * @description RFC 3339: redeliver events received from this instant on.
             */
            from?: string;
        };
        WebhookSecret: {
            previous_secret_valid_until: string | null;
            secret: string;
        };
        /**
         * @example {
         *       "overlap_hours": 24
         *     }
         */
        WebhookSecretRotation: {
            /**
             * @description How long the previous secret keeps signing too.
             * @default 24
             */
            overlap_hours?: number;
        };
        /**
         * @example {
         *       "status": "paused"
         *     }
         * @example {
         *       "filters": {
         *         "actions": [
         *           "user.*"
         *         ],
         *         "organizations": [
         *           "org_42"
         *         ]
         *       }
         *     }
         */
        WebhookUpdate: {
            batch?: {
                /**
                 * @description Wait after a batch that was not full, and between looks at an idle log (at least 50 ms).
                 * @default 1000
                 */
                interval_ms?: number;
                /** @default 262144 */
                max_bytes?: number;
                /** @default 100 */
                max_events?: number;
            };
            /** @description https only: add CloudEvents 1.0 binary-mode headers (ce-specversion, ce-id, ce-type, ce-source, ce-time) beside the signature; the body is unchanged. */
            cloudevents?: boolean;
            credentials?: {
                /** @description s3 (required): access key id of a key pair for this bucket; the server's own AWS identity is never used. */
                access_key_id?: string;
                /** @description datadog: the API key. */
                api_key?: string;
                /** @description sentinel: the Entra authority (default https://login.microsoftonline.com; sovereign clouds differ); SSRF rules as for any URL. */
                authority_host?: string;
                /** @description sentinel (required): the app registration's client (application) id. */
                client_id?: string;
                /** @description sentinel (required): its client secret; sealed at rest, never returned. */
                client_secret?: string;
                /** @description sentinel (required): the data collection rule's immutable id (dcr-…). */
                dcr_immutable_id?: string;
                /** @description s3: endpoint of an S3-compatible service (MinIO, R2, …); unset: AWS. */
                endpoint?: string;
                /** @description s3: bucket in the path (default: true when endpoint is set). */
                force_path_style?: boolean;
                /** @description s3: region (default us-east-1). */
                region?: string;
                /** @description s3 (required): secret access key. */
                secret_access_key?: string;
                /** @description sentinel (required): the rule's input stream (Custom-…, or Microsoft-ASimAuditEventLogs). */
                stream_name?: string;
                /** @description sentinel (required): the Entra (Azure AD) tenant id or domain of the app registration. */
                tenant_id?: string;
                /** @description splunk_hec: the HEC token. */
                token?: string;
            };
            filters?: {
                /** @description Exact actions or prefixes (user.*); empty = every action. */
                actions?: string[];
                /** @description What to deliver. Default ["event"]. event: the trail's events (filtered by actions and organizations); checkpoint.sealed: signed checkpoints; alert.triggered: alerts as they fire (veritrail.alert.triggered entries); privacy.notice: data-subject notices (veritrail.privacy.notice entries). These two are not subject to the other filters. */
                kinds?: ("event" | "checkpoint.sealed" | "alert.triggered" | "privacy.notice")[];
                /** @description Only these organizations; empty = all. */
                organizations?: string[];
            };
            /**
             * @description syslog only: the payload of each message, cef (ArcSight CEF, default) or leef (IBM LEEF 2.0, TAB-delimited).
             * @enum {string}
             */
            format?: "cef" | "leef";
            masking?: {
                /** @description Dotted event paths removed before sending (actor.email, context.ip, targets.name). */
                drop?: string[];
                /** @description Dotted event paths replaced by hmac-sha256:<hex> under a per-destination key. */
                hash?: string[];
            };
            name?: string;
            /**
             * @description paused stops deliveries (the cursor waits); active resumes, also a disabled destination.
             * @enum {string}
             */
            status?: "active" | "paused";
            /** @description syslog+tls only. The receiver's certificate must also name the URL's host. */
            tls?: {
                /** @description PEM CA certificate(s) the receiver's certificate must chain to; unset: the system's trusted CAs. */
                ca?: string;
                /** @description PEM client certificate (mutual TLS); needs key. */
                cert?: string;
                /** @description PEM private key of the client certificate (unencrypted); sealed at rest like other credentials, never returned. */
                key?: string;
            };
            url?: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    home: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON, or an HTML page when Accept includes text/html. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Home"];
                    "text/html": string;
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Jwks"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getNoteKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Verifier keys, one per line. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRootCheckpoint: {
        parameters: {
            query?: {
                /** @description The root checkpoint of this tree size (final or not); default the newest final one. */
                size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed note with cosignatures (UTF-8 text, ends with a newline). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no root checkpoint of tree size `size`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_yet_signed`: no final root checkpoint yet (`Retry-After`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRootTimestamp: {
        parameters: {
            query?: {
                /** @description The root checkpoint of this tree size (final or not); default the newest final one. */
                size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token (DER). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such root checkpoint, or it has no timestamp (no TSA configured, or the TSA has not answered yet). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPlans: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanList"];
                };
            };
            /** @description `missing_credentials` or `invalid_credentials`: no operator token, or not ADMIN_TOKEN. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `billing_disabled`: billing is off (STRIPE_SECRET_KEY unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    upsertPlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PlanUpsert"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `validation_failed`: a plan id is 1–64 of a-z 0-9 _ -.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials` or `invalid_credentials`: no operator token, or not ADMIN_TOKEN. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `billing_disabled`: billing is off (STRIPE_SECRET_KEY unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTenants: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantList"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. `invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials` or `invalid_credentials`: no operator token, or not ADMIN_TOKEN. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantCreated"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials` or `invalid_credentials`: no operator token, or not ADMIN_TOKEN. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials` or `invalid_credentials`: no operator token, or not ADMIN_TOKEN. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials` or `invalid_credentials`: no operator token, or not ADMIN_TOKEN. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials` or `invalid_credentials`: no operator token, or not ADMIN_TOKEN. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createTenantApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials` or `invalid_credentials`: no operator token, or not ADMIN_TOKEN. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setTenantPlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantPlanOverride"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantPlanSet"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials` or `invalid_credentials`: no operator token, or not ADMIN_TOKEN. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such tenant; `billing_disabled`: billing is off. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `plan_not_available`: no such plan. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    metricsText: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Prometheus text exposition format. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Both stores answered. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A store did not answer; do not route traffic here. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    listActions: {
        parameters: {
            query?: {
                /** @description Exact action (user.login) or a prefix ending in .* (user.*). */
                action?: string;
                /** @description next_cursor of the previous page (same filters). */
                cursor?: string;
                /** @description Also list the trail's own veritrail.* entries. */
                include_system?: boolean;
                limit?: number;
                /** @description Only actions used in this organization, with its counts. */
                organization_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ActionCatalog"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. `invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_timeout`: the query ran longer than `QUERY_MAX_EXECUTION_MS` and was cancelled; narrow the time range or the filters. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getActionDisplay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An action of your events (user.role.updated); not veritrail.*. */
                action: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ActionDisplay"];
                };
            };
            /**
             * @description `invalid_action`: the path does not name an action.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: the action has no display template. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putActionDisplay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An action of your events (user.role.updated); not veritrail.*. */
                action: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ActionDisplayPut"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ActionDisplay"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `validation_failed`: the body or a template is not acceptable (`details[].code`: `unknown_path`, `template_too_large`, `too_many_placeholders`, `unbalanced_brace`, `nested_brace`, `empty_template`, `invalid_locale`, `duplicate_locale`, `too_many_locales`). `invalid_action`: the path does not name an action.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `display_template_limit`: 1000 actions already have a template.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getActionSchema: {
        parameters: {
            query?: {
                /** @description A version; the latest when omitted. */
                version?: number;
            };
            header?: never;
            path: {
                /** @description An action of your events (user.role.updated); not veritrail.*. */
                action: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ActionSchema"];
                };
            };
            /**
             * @description `validation_failed`: a query parameter is unknown, repeated or invalid.
             *
             *     `invalid_action`: the path does not name an action.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such schema (version). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putActionSchema: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An action of your events (user.role.updated); not veritrail.*. */
                action: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ActionSchemaPut"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ActionSchemaCreated"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `validation_failed`: the body or the schema is not acceptable (`details[].code`: `invalid_schema`, `schema_too_large`, `schema_too_deep`, `remote_ref_not_allowed`, `unsupported_schema_version`). `invalid_action`: the path does not name an action.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `schema_version_limit`: the action already has 100 versions.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAlertRules: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRuleList"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. `invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AlertRuleCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRule"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `alert_rule_organization_not_allowed`: an organization's own rule (scope streams) whose filter.organizations names another organization.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `alert_rule_limit_reached`: 100 rules already (20 for one organization's own); `plan_limit_reached`: the plan allows no more.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRule"];
                };
            };
            /** @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such alert rule in your tenant (for an organization-scoped key or viewer token: among its organization's own rules). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such alert rule in your tenant (for an organization-scoped key or viewer token: among its organization's own rules). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AlertRuleUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRule"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `alert_rule_organization_not_allowed`: an organization's own rule (scope streams) whose filter.organizations names another organization.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such alert rule in your tenant (for an organization-scoped key or viewer token: among its organization's own rules). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    backtestAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AlertRuleBacktest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRuleBacktestResult"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `validation_failed`: details `invalid_format`, `invalid_range` (`to` not after `from`), `range_too_long` (over 90 days).
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such alert rule in your tenant (for an organization-scoped key or viewer token: among its organization's own rules). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportSigmaAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRuleSigmaExport"];
                };
            };
            /** @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such alert rule in your tenant (for an organization-scoped key or viewer token: among its organization's own rules). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `sigma_export_unsupported`: the rule has no Sigma equivalent (history baselines, silences, new values, sequences of more than 20 failures).
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    backtestDraftAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AlertRuleDraftBacktest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRuleBacktestResult"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `validation_failed`: a bad rule (as on create), or a bad range (details `invalid_format`, `invalid_range`: `to` not after `from`, `range_too_long`: over 90 days).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    importSigmaAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AlertRuleSigmaImport"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRule"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     What cannot be imported, each with its own code and a detail naming the place: `sigma_invalid_yaml`, `sigma_invalid`, `sigma_too_large`, `sigma_field_unsupported`, `sigma_modifier_unsupported`, `sigma_keywords_unsupported`, `sigma_logsource_unsupported`, `sigma_condition_invalid`, `sigma_condition_unsupported`, `sigma_correlation_unsupported`, `sigma_group_by_unsupported`, `sigma_rule_missing`, `sigma_invalid_regex`, `sigma_invalid_cidr`, `sigma_invalid_timespan`, `sigma_value_too_long`, `sigma_filter_unsupported`.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `alert_rule_limit_reached`: 100 rules already; `plan_limit_reached`: the plan allows no more.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAlertRuleTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRuleTemplateList"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAlerts: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description RFC 3339: alerts triggered at or after. */
                from?: string;
                /** @description The actor id, IP or organization the alert is about. */
                group_value?: string;
                limit?: number;
                owner?: string;
                rule_id?: string;
                status?: "open" | "acknowledged" | "closed";
                tier?: "critical" | "high" | "medium" | "low";
                /** @description RFC 3339: alerts triggered before. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertList"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. `invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAlert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Alert"];
                };
            };
            /** @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such alert in your tenant (for an organization-scoped key or viewer token: among the alerts of its organization's own rules). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateAlert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AlertUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Alert"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (alerts) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such alert in your tenant (for an organization-scoped key or viewer token: among the alerts of its organization's own rules). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `too_many_notes`: the alert keeps 100 notes already.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                cursor?: string;
                include_revoked?: boolean;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. `invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /**
             * @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such key in your tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBilling: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Billing"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `billing_disabled`: billing is off (STRIPE_SECRET_KEY unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createCheckout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CheckoutCreate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Checkout"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payment_failed`: Stripe declined the card (`decline_code`); nothing changed. */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `billing_disabled`: billing is off (STRIPE_SECRET_KEY unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `subscription_exists`: a subscription is live (use the portal); `plan_set_by_operator`: the operator set the plan. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `plan_not_available`: no such plan, or it has no Stripe price.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `billing_provider_error`: Stripe refused the request (configuration); nothing was changed. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `billing_provider_unavailable`: Stripe is unavailable or rate limiting; nothing was changed.
             *
             *     `storage_unavailable`: a store did not answer; nothing was stored or changed.
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createPortal: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PortalCreate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Portal"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `billing_disabled`: billing is off (STRIPE_SECRET_KEY unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `billing_provider_error`: Stripe refused the request (configuration); nothing was changed. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `billing_provider_unavailable`: Stripe is unavailable or rate limiting; nothing was changed.
             *
             *     `storage_unavailable`: a store did not answer; nothing was stored or changed.
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    receiveStripeWebhook: {
        parameters: {
            query?: never;
            header: {
                "stripe-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description A Stripe event (JSON), as Stripe sent it. */
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StripeWebhookAck"];
                };
            };
            /**
             * @description `invalid_signature`: Stripe-Signature missing, not matching the body, or older than 5 minutes.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `billing_disabled`: billing is off (STRIPE_SECRET_KEY unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; Stripe retries the event. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description Exact action (user.login) or a prefix ending in .* (user.*). */
                action?: string;
                actor_id?: string;
                actor_type?: "user" | "service" | "api_key" | "system" | "agent";
                /** @description next_cursor of the previous page (same filters). */
                cursor?: string;
                /** @description Leave out this action (exact) or these actions (a prefix ending in .*): veritrail.* hides the trail's own entries, as the embedded viewer does by default. */
                exclude_action?: string;
                /** @description json (default): the events as stored. ocsf: OCSF 1.1.0 objects (the tenant's mapping, PUT /v1/settings/ocsf); ecs: Elastic Common Schema 8.17 documents; cef: ArcSight CEF lines as strings. The same mappings as exports (docs/export-formats.md); the cursor does not depend on the format. */
                format?: "json" | "ocsf" | "ecs" | "cef";
                /** @description occurred_at ≥ this RFC 3339 time. */
                from?: string;
                /** @description Only events done in a session this id impersonated (actor.impersonator.id). */
                impersonator?: string;
                /** @description client: add `client` to each event with a context — the country of context.ip (offline GeoLite2 data) and the browser and OS of context.user_agent, derived when read (not stored, not sealed). What the embedded viewer shows. */
                include?: "client";
                /** @description Events this id did, had done on its behalf or did while impersonating someone (actor.id, actor.on_behalf_of.id or actor.impersonator.id): a user's "my activity" view. */
                involving?: string;
                /** @description Exact client IP address. */
                ip?: string;
                limit?: number;
                /** @description Language of display.message (de, pt-BR): the template's locale of that tag, else of its language, else the default template. */
                locale?: string;
                /** @description Only events whose actor acted on behalf of this id (actor.on_behalf_of.id). */
                on_behalf_of?: string;
                /** @description By occurred_at, then id. Default desc (newest first). */
                order?: "desc" | "asc";
                /** @description Only events of this organization. */
                organization_id?: string;
                outcome?: "success" | "failure" | "unknown";
                /** @description Free text: every whitespace-separated term (at most 8, each at least 2 characters with a letter or digit) must appear, case-insensitively, in the event text. */
                q?: string;
                target_id?: string;
                target_type?: string;
                /** @description occurred_at < this RFC 3339 time. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventPage"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. `invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `origin_not_allowed`: a viewer token used from a page whose origin is not on the tenant's allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_timeout`: the query ran longer than `QUERY_MAX_EXECUTION_MS` and was cancelled; narrow the time range or the filters. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createEvent: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the whole request idempotent for 24 h: a retry returns the original ids and stores nothing new; the same key with a different body is refused (422). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EventInput"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description true when the request (or some of its events) repeated an idempotency key: the ids are the original ones and nothing new was stored. */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventCreated"];
                };
            };
            /**
             * @description `validation_failed`: an event breaks the contract (`details` names each field; in a batch each detail has `index`). `invalid_idempotency_key`: the Idempotency-Key header is not 1–255 printable ASCII characters.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (events:write) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `idempotency_key_in_use`: a request with the same key is still in progress; retry after `Retry-After`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `idempotency_key_mismatch`: the key was used before with a different request; nothing was stored.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `quota_exceeded`: the month's events of a plan without overage are used up (`plan`, `limit`, `used`, `reset_at`); nothing was stored.
             *
             *     `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running.
             */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `overloaded`: the ingest queue is full; nothing was stored.
             *
             *     `storage_unavailable`: a store did not answer; nothing was stored or changed.
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEvent: {
        parameters: {
            query?: {
                /** @description client: add `client` to each event with a context — the country of context.ip (offline GeoLite2 data) and the browser and OS of context.user_agent, derived when read (not stored, not sealed). What the embedded viewer shows. */
                include?: "client";
                /** @description Language of display.message (de, pt-BR): the template's locale of that tag, else of its language, else the default template. */
                locale?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Event"];
                };
            };
            /**
             * @description `validation_failed`: a query parameter is unknown, repeated or invalid.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `origin_not_allowed`: a viewer token used from a page whose origin is not on the tenant's allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such event in your scope (also another tenant's, an expired one or a malformed id). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_timeout`: the query ran longer than `QUERY_MAX_EXECUTION_MS` and was cancelled; narrow the time range or the filters. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEventProof: {
        parameters: {
            query?: {
                /** @description Prove against this checkpoint; default the newest. */
                checkpoint?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InclusionProof"];
                };
            };
            /**
             * @description `validation_failed`: a query parameter is unknown, repeated or invalid.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `origin_not_allowed`: a viewer token used from a page whose origin is not on the tenant's allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such event in your scope, or no such checkpoint. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_yet_sealed`: the event is sealed within one seal interval (`Retry-After`); `not_in_checkpoint`: it was sealed after the checkpoint asked for. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_timeout`: the query ran longer than `QUERY_MAX_EXECUTION_MS` and was cancelled; narrow the time range or the filters. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createEventBatch: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the whole request idempotent for 24 h: a retry returns the original ids and stores nothing new; the same key with a different body is refused (422). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EventBatch"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description true when the request (or some of its events) repeated an idempotency key: the ids are the original ones and nothing new was stored. */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventBatchCreated"];
                };
            };
            /**
             * @description `validation_failed`: an event breaks the contract (`details` names each field; in a batch each detail has `index`). `invalid_idempotency_key`: the Idempotency-Key header is not 1–255 printable ASCII characters.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (events:write) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `idempotency_key_in_use`: a request with the same key is still in progress; retry after `Retry-After`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `batch_too_large`: more than 1000 events. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `idempotency_key_mismatch`: the key was used before with a different request; nothing was stored.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `quota_exceeded`: the month's events of a plan without overage are used up (`plan`, `limit`, `used`, `reset_at`); nothing was stored.
             *
             *     `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running.
             */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `overloaded`: the ingest queue is full; nothing was stored.
             *
             *     `storage_unavailable`: a store did not answer; nothing was stored or changed.
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamExport: {
        parameters: {
            query: {
                /** @description Exact action (user.login) or a prefix ending in .* (user.*). */
                action?: string;
                actor_id?: string;
                actor_type?: "user" | "service" | "api_key" | "system" | "agent";
                /** @description Leave out this action (exact) or these actions (a prefix ending in .*): veritrail.* hides the trail's own entries, as the embedded viewer does by default. */
                exclude_action?: string;
                /** @description ndjson, csv, ocsf or cef (bundle: POST /v1/exports). */
                format: "ndjson" | "csv" | "ocsf" | "ecs" | "cef";
                /** @description occurred_at ≥ this RFC 3339 time. */
                from?: string;
                gzip?: boolean;
                /** @description Only events done in a session this id impersonated (actor.impersonator.id). */
                impersonator?: string;
                /** @description Events this id did, had done on its behalf or did while impersonating someone (actor.id, actor.on_behalf_of.id or actor.impersonator.id): a user's "my activity" view. */
                involving?: string;
                /** @description Exact client IP address. */
                ip?: string;
                /** @description Only events whose actor acted on behalf of this id (actor.on_behalf_of.id). */
                on_behalf_of?: string;
                /** @description Only events of this organization. */
                organization_id?: string;
                outcome?: "success" | "failure" | "unknown";
                /** @description Free text: every whitespace-separated term (at most 8, each at least 2 characters with a letter or digit) must appear, case-insensitively, in the event text. */
                q?: string;
                target_id?: string;
                target_type?: string;
                /** @description occurred_at < this RFC 3339 time. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export: ndjson and ocsf as application/x-ndjson, csv as text/csv, cef as text/plain, gzip as application/gzip. */
            200: {
                headers: {
                    /** @description The number of events in the body. */
                    "X-Event-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/gzip": unknown;
                    "application/x-ndjson": string;
                    "text/csv": string;
                    "text/plain": string;
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (exports) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `export_too_large`: the range holds more than EXPORT_DIRECT_MAX_EVENTS events; use POST /v1/exports.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_timeout`: the query ran longer than `QUERY_MAX_EXECUTION_MS` and was cancelled; narrow the time range or the filters. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEventFeed: {
        parameters: {
            query?: {
                /** @description Exact action (user.login) or a prefix ending in .* (user.*). Bound into the cursor. */
                action?: string;
                /** @description next_cursor of the previous page. Omit to start at the oldest retained event. */
                cursor?: string;
                /** @description json (default): the events as stored. ocsf: OCSF 1.1.0 objects (the tenant's mapping, PUT /v1/settings/ocsf); ecs: Elastic Common Schema 8.17 documents; cef: ArcSight CEF lines as strings. The same mappings as exports (docs/export-formats.md); the cursor does not depend on the format. */
                format?: "json" | "ocsf" | "ecs" | "cef";
                limit?: number;
                /** @description Language of display.message (de, pt-BR): the template's locale of that tag, else of its language, else the default template. */
                locale?: string;
                /** @description Only events of this organization. Bound into the cursor. */
                organization_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventPage"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. `invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEventHistogram: {
        parameters: {
            query?: {
                /** @description Exact action (user.login) or a prefix ending in .* (user.*). */
                action?: string;
                actor_id?: string;
                actor_type?: "user" | "service" | "api_key" | "system" | "agent";
                /** @description At most this many buckets over [from, to): the width is rounded up to 1, 5, 15 or 30 minutes, 1, 3, 6 or 12 hours, 1, 7 or 30 days. */
                buckets?: number;
                /** @description Leave out this action (exact) or these actions (a prefix ending in .*): veritrail.* hides the trail's own entries, as the embedded viewer does by default. */
                exclude_action?: string;
                /** @description occurred_at ≥ this RFC 3339 time. */
                from?: string;
                /** @description Only events done in a session this id impersonated (actor.impersonator.id). */
                impersonator?: string;
                /** @description Events this id did, had done on its behalf or did while impersonating someone (actor.id, actor.on_behalf_of.id or actor.impersonator.id): a user's "my activity" view. */
                involving?: string;
                /** @description Exact client IP address. */
                ip?: string;
                /** @description Only events whose actor acted on behalf of this id (actor.on_behalf_of.id). */
                on_behalf_of?: string;
                /** @description Only events of this organization. */
                organization_id?: string;
                outcome?: "success" | "failure" | "unknown";
                /** @description Free text: every whitespace-separated term (at most 8, each at least 2 characters with a letter or digit) must appear, case-insensitively, in the event text. */
                q?: string;
                target_id?: string;
                target_type?: string;
                /** @description occurred_at < this RFC 3339 time. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventHistogram"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `origin_not_allowed`: a viewer token used from a page whose origin is not on the tenant's allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_timeout`: the query ran longer than `QUERY_MAX_EXECUTION_MS` and was cancelled; narrow the time range or the filters. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEventStats: {
        parameters: {
            query?: {
                /** @description Exact action (user.login) or a prefix ending in .* (user.*). */
                action?: string;
                actor_id?: string;
                actor_type?: "user" | "service" | "api_key" | "system" | "agent";
                /** @description Leave out this action (exact) or these actions (a prefix ending in .*): veritrail.* hides the trail's own entries, as the embedded viewer does by default. */
                exclude_action?: string;
                /** @description occurred_at ≥ this RFC 3339 time. */
                from?: string;
                /** @description Only events done in a session this id impersonated (actor.impersonator.id). */
                impersonator?: string;
                /** @description Events this id did, had done on its behalf or did while impersonating someone (actor.id, actor.on_behalf_of.id or actor.impersonator.id): a user's "my activity" view. */
                involving?: string;
                /** @description Exact client IP address. */
                ip?: string;
                /** @description Only events whose actor acted on behalf of this id (actor.on_behalf_of.id). */
                on_behalf_of?: string;
                /** @description Only events of this organization. */
                organization_id?: string;
                outcome?: "success" | "failure" | "unknown";
                /** @description Free text: every whitespace-separated term (at most 8, each at least 2 characters with a letter or digit) must appear, case-insensitively, in the event text. */
                q?: string;
                target_id?: string;
                target_type?: string;
                /** @description occurred_at < this RFC 3339 time. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventStats"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `origin_not_allowed`: a viewer token used from a page whose origin is not on the tenant's allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_timeout`: the query ran longer than `QUERY_MAX_EXECUTION_MS` and was cancelled; narrow the time range or the filters. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    verifyEvents: {
        parameters: {
            query: {
                /** @description Up to 100 event ids, comma-separated. */
                ids: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventVerification"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `origin_not_allowed`: a viewer token used from a page whose origin is not on the tenant's allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_timeout`: the query ran longer than `QUERY_MAX_EXECUTION_MS` and was cancelled; narrow the time range or the filters. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listExports: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportList"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. `invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `origin_not_allowed`: a viewer token used from a page whose origin is not on the tenant's allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (exports) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createExport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExportCreate"];
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Export"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `insufficient_scope`: a bundle asked for with a key limited to one organization.
             *
             *     `origin_not_allowed`: a viewer token used from a page whose origin is not on the tenant's allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (exports) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `export_queue_full`: EXPORT_TENANT_QUEUE_MAX exports are queued or running; `export_limit_reached`: the plan's exports of the day are used up (`reset_at`). Nothing was recorded.
             *
             *     `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running.
             */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Export"];
                };
            };
            /** @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `origin_not_allowed`: a viewer token used from a page whose origin is not on the tenant's allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (exports) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such export in your scope. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Export"];
                };
            };
            /**
             * @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (exports) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such export in your scope. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadExport: {
        parameters: {
            query?: {
                /** @description Signed link only: Unix seconds. */
                expires?: string;
                /** @description Signed link only. */
                signature?: string;
                /** @description Signed link only. */
                tenant?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file: ndjson and ocsf as application/x-ndjson, csv as text/csv, cef as text/plain, a bundle as application/x-tar, gzip as application/gzip. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/gzip": unknown;
                    "application/x-ndjson": string;
                    "application/x-tar": unknown;
                    "text/csv": string;
                    "text/plain": string;
                };
            };
            /**
             * @description `validation_failed`: a query parameter is unknown, repeated or invalid.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `invalid_link`: the signed link was edited or belongs to another export; `link_expired`: it is older than 15 minutes.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (exports) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such export in your scope. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `export_not_ready`: the export has not succeeded (yet). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `export_expired`: the file expired or was deleted; `export_invalidated`: an erasure made after the export invalidated it. */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `export_storage_unavailable`: the file store did not answer (`Retry-After`).
             *
             *     `storage_unavailable`: a store did not answer; nothing was stored or changed.
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listCheckpoints: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                /** @description By number; default desc (newest first). */
                order?: "asc" | "desc";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckpointList"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. `invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getConsistencyProof: {
        parameters: {
            query: {
                /** @description Older tree size (e.g. of a checkpoint you hold). */
                from: number;
                /** @description Newer tree size, at most the newest checkpoint's. */
                to: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsistencyProof"];
                };
            };
            /**
             * @description `validation_failed`: a query parameter is unknown, repeated or invalid.
             *
             *     `validation_failed` (`out_of_range`): the sizes do not satisfy 0 ≤ from ≤ to ≤ the newest checkpoint's tree size.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEvidence: {
        parameters: {
            query?: {
                /** @description Exact action (user.login) or a prefix ending in .* (user.*). */
                action?: string;
                actor_id?: string;
                actor_type?: "user" | "service" | "api_key" | "system" | "agent";
                /** @description Leave out this action (exact) or these actions (a prefix ending in .*): veritrail.* hides the trail's own entries, as the embedded viewer does by default. */
                exclude_action?: string;
                /** @description occurred_at ≥ this RFC 3339 time. */
                from?: string;
                /** @description Trail evidence only (no filters): first leaf of the range; default the first leaf that may still be retained. Page with next_from_index. */
                from_index?: number;
                /** @description Only events done in a session this id impersonated (actor.impersonator.id). */
                impersonator?: string;
                /** @description Events this id did, had done on its behalf or did while impersonating someone (actor.id, actor.on_behalf_of.id or actor.impersonator.id): a user's "my activity" view. */
                involving?: string;
                /** @description Exact client IP address. */
                ip?: string;
                /** @description Events oldest first (selection), or leaves (trail). */
                limit?: number;
                /** @description Only events whose actor acted on behalf of this id (actor.on_behalf_of.id). */
                on_behalf_of?: string;
                /** @description Only events of this organization. */
                organization_id?: string;
                outcome?: "success" | "failure" | "unknown";
                /** @description Free text: every whitespace-separated term (at most 8, each at least 2 characters with a letter or digit) must appear, case-insensitively, in the event text. */
                q?: string;
                /** @description Also include this older checkpoint and a consistency proof from it. */
                since?: number;
                target_id?: string;
                target_type?: string;
                /** @description occurred_at < this RFC 3339 time. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Evidence"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no checkpoint `since` in your tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_yet_sealed`: nothing is sealed yet (`Retry-After`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_timeout`: the query ran longer than `QUERY_MAX_EXECUTION_MS` and was cancelled; narrow the time range or the filters. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getNote: {
        parameters: {
            query?: {
                /** @description The note of the checkpoint of this tree size; default the newest. */
                size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed note (UTF-8 text, ends with a newline). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no checkpoint of tree size `size` in your tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_yet_sealed`: nothing is sealed yet (`Retry-After`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    sealNow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SealResult"];
                };
            };
            /** @description A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `seal_in_progress`: the trail is being sealed right now (`Retry-After`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    verifyTrail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VerifyRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifyReport"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (events:read) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `invalid_range`: from_index is above to_index.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPrivacyNotices: {
        parameters: {
            query?: {
                cursor?: string;
                kind?: "rectification" | "deletion" | "restriction" | "erasure";
                limit?: number;
                subject?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyNoticeList"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. `invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (privacy) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    accessSubject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subject: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description attachment; filename="subject-access.json" */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubjectAccess"];
                };
            };
            /**
             * @description `validation_failed` (`invalid_subject`): a subject is 1–256 characters without control characters.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (privacy) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no event of this tenant names the subject. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_timeout`: the query ran longer than `QUERY_MAX_EXECUTION_MS` and was cancelled; narrow the time range or the filters. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    eraseSubject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subject: string;
            };
            cookie?: never;
        };
        /** @description Optional; without a body the context is kept. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ErasureRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErasureResult"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `validation_failed` (`invalid_subject`): a subject is 1–256 characters without control characters.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (privacy) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no event of this tenant names the subject. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `legal_hold`: an organization the subject appears in is under legal hold; the erasure is recorded and runs when the hold is lifted. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_timeout`: the query ran longer than `QUERY_MAX_EXECUTION_MS` and was cancelled; narrow the time range or the filters. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSubjectErasures: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subject: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErasureList"];
                };
            };
            /**
             * @description `validation_failed` (`invalid_subject`): a subject is 1–256 characters without control characters.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (privacy) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuditSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditSettings"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putAuditSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuditSettings"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditSettings"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOcsfSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OcsfSettings"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putOcsfSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OcsfSettings"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OcsfSettings"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPrivacySettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacySettings"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putPrivacySettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrivacySettings"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacySettings"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `invalid_pattern`: a custom scrubbing pattern RE2 cannot run, or a duplicate or invalid name (`details` per pattern).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRetentionSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetentionSettings"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putRetentionSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RetentionSettingsInput"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetentionSettings"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `retention_below_minimum`: with pci_dss, less than 365 days without override_reason.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getStreamsSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StreamsSettings"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putStreamsSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StreamsSettings"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StreamsSettings"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getViewerSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ViewerSettings"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putViewerSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ViewerSettings"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ViewerSettings"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `invalid_origin`: an entry is not scheme://host[:port].
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeViewerSessions: {
        parameters: {
            query: {
                /** @description Only this user's sessions (the token's user_id, which defaults to its actor_id). */
                actor_id?: string;
                organization_id: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ViewerSessionsRevoked"];
                };
            };
            /**
             * @description `validation_failed`: a query parameter is unknown, repeated or invalid.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createViewerToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ViewerTokenCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ViewerToken"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `insufficient_scope`: the key lacks a scope the route needs (admin) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `invalid_scopes`: scopes without events:read, or streams with actor_id or actions.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            /** @description `validation_failed`: a query parameter is unknown, repeated or invalid. `invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (webhooks) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `webhook_organization_not_allowed`: an organization-scoped caller (scope streams) naming another organization in filters.organizations; `webhook_credentials_required`: an s3 destination without its own access_key_id and secret_access_key, a sentinel destination without tenant_id, client_id, client_secret, dcr_immutable_id and stream_name; `webhook_option_not_applicable`: format, tls, cloudevents or credentials given to a kind they do not apply to; `webhook_tls_invalid`: syslog TLS material that is not PEM or a key that does not match its certificate.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (webhooks) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `webhook_url_not_allowed`: not http(s), credentials in the URL, or an internal address in any spelling; `webhook_url_invalid`: not a usable URL (s3: s3://<bucket>/<prefix>; syslog: syslog+tls:// or syslog+tcp://<host>[:port]).
             *
             *     `webhook_limit_reached`: 50 destinations already (10 for one organization's own); `plan_limit_reached`: the plan allows no more.
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (webhooks) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such destination in your tenant (for an organization-scoped key or viewer token: among its organization's own destinations). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (webhooks) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such destination in your tenant (for an organization-scoped key or viewer token: among its organization's own destinations). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `webhook_organization_not_allowed`: an organization-scoped caller (scope streams) naming another organization in filters.organizations; `webhook_credentials_required`: an s3 destination without its own access_key_id and secret_access_key, a sentinel destination without tenant_id, client_id, client_secret, dcr_immutable_id and stream_name; `webhook_option_not_applicable`: format, tls, cloudevents or credentials given to a kind they do not apply to; `webhook_tls_invalid`: syslog TLS material that is not PEM or a key that does not match its certificate.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (webhooks) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such destination in your tenant (for an organization-scoped key or viewer token: among its organization's own destinations). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `webhook_url_not_allowed`: not http(s), credentials in the URL, or an internal address in any spelling; `webhook_url_invalid`: not a usable URL (s3: s3://<bucket>/<prefix>; syslog: syslog+tls:// or syslog+tcp://<host>[:port]).
             *
             *     `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryList"];
                };
            };
            /**
             * @description `validation_failed`: a query parameter is unknown, repeated or invalid. `invalid_cursor`: the cursor was edited, or belongs to another tenant or to other filters.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (webhooks) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such destination in your tenant (for an organization-scoped key or viewer token: among its organization's own destinations). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    retryWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deliveryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /**
             * @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (webhooks) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such destination, or no such delivery of it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replayWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookReplay"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `validation_failed`: not exactly one of from and cursor; `invalid_cursor`: not a feed cursor of this tenant and scope.
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (webhooks) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such destination in your tenant (for an organization-scoped key or viewer token: among its organization's own destinations). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookSecretRotation"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecret"];
                };
            };
            /**
             * @description `validation_failed`: the body breaks its schema or a rule (`details` names each field).
             *
             *     `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (webhooks) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such destination in your tenant (for an organization-scoped key or viewer token: among its organization's own destinations). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /**
             * @description `invalid_path_parameter`: a path parameter holds a control character (such as NUL); `invalid_url`: it is not valid percent-encoding.
             *
             *     A body that is not acceptable JSON: `invalid_json` (also an empty body sent as JSON), `invalid_encoding`, `duplicate_key`, `forbidden_key`, `max_depth_exceeded`, `unrepresentable_number`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `missing_credentials`: no Authorization header; `invalid_credentials`: an unknown, malformed, revoked or expired key; viewer tokens: `invalid_token`, `token_expired`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `streams_forbidden`: an organization-scoped key or viewer token (scope streams) whose organization the tenant does not allow to manage its own streams; `origin_not_allowed`: a viewer token used from a page whose origin is not on the allow-list.
             *
             *     `insufficient_scope`: the key lacks a scope the route needs (webhooks) or may not use it (a viewer token on a route it cannot use, an organization-scoped key where the route needs the whole tenant); `tenant_suspended`: the operator suspended the tenant.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found`: no such destination in your tenant (for an organization-scoped key or viewer token: among its organization's own destinations). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is too large (`payload_too_large`, 5 MB by default). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `uri_too_long`: a path parameter is longer than 256 characters. */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not `application/json` (`unsupported_media_type`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `query_too_expensive`: a read the request needs would exceed the query limits (memory, rows or bytes read); narrow the time range or the filters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `too_many_auth_failures`: this address failed authentication too often this minute; `rate_limited`: the tenant exceeded its ingest or read rate limit (`RateLimit-Policy` / `RateLimit` say which); `too_many_concurrent_queries`: the tenant already has TENANT_MAX_CONCURRENT_QUERIES reads queued or running. */
            429: {
                headers: {
                    /** @description What is left of each policy in the current window, e.g. `"reads";r=0;t=1`. */
                    RateLimit?: string;
                    /** @description On `rate_limited` (and on every answer to a rate-limited request class): the tenant's policies as a structured-field list, e.g. `"reads";q=1000;w=1`. */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `internal_error`: a fault on our side; quote the request id. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `storage_unavailable`: a store did not answer; nothing was stored or changed. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}

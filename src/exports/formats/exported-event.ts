/**
 * The stored event as the export writers read it (docs/api.md "Events": request fields,
 * normalised, plus id, received_at and flags). Declared here rather than derived from the
 * TypeBox schema so the writers stay free of Nest and schema machinery.
 */
export interface ExportedEvent {
  id: string;
  received_at: string;
  action: string;
  occurred_at: string;
  organization_id?: string;
  outcome: 'success' | 'failure' | 'unknown';
  actor: {
    type: string;
    id: string;
    name?: string;
    email?: string;
    metadata?: Record<string, unknown>;
    /** Delegation (docs/api.md "Delegation"): the principal the actor acted for. */
    on_behalf_of?: ExportedParty;
    /** Who was really at the keyboard of the actor's impersonated session. */
    impersonator?: ExportedParty;
  };
  targets?: { type: string; id: string; name?: string; metadata?: Record<string, unknown> }[];
  context?: { ip?: string; user_agent?: string; request_id?: string; session_id?: string; location?: string };
  changes?: { field: string; before?: unknown; after?: unknown }[];
  metadata?: Record<string, unknown>;
  idempotency_key?: string;
  flags?: string[];
  /** Added when read (GET /v1/events of a tenant with display templates), never stored. */
  display?: { message: string };
}

export interface ExportedParty {
  type: string;
  id: string;
  name?: string;
}

/** Parses a stored payload; the payload was validated at ingest, so no re-validation here. */
export function parseStoredEvent(payload: string): ExportedEvent {
  return JSON.parse(payload) as ExportedEvent;
}

/** Epoch milliseconds of a stored RFC 3339 UTC timestamp. */
export function epochMs(iso: string): number {
  return Date.parse(iso);
}

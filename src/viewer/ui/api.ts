/** The few API calls the viewer makes, with its token as the bearer credential. */
import type { InclusionProof } from './verify.js';

export interface ViewerEvent {
  id: string;
  action: string;
  occurred_at: string;
  received_at?: string;
  organization_id?: string;
  outcome?: string;
  actor: {
    type: string;
    id: string;
    name?: string;
    email?: string;
    metadata?: unknown;
    on_behalf_of?: { type: string; id: string; name?: string };
    impersonator?: { type: string; id: string; name?: string };
  };
  targets?: { type: string; id: string; name?: string }[];
  context?: Record<string, string>;
  changes?: { field: string; before?: unknown; after?: unknown }[];
  metadata?: Record<string, unknown>;
  flags?: string[];
  /** The action's display message (plain text), when the tenant has display templates. */
  display?: { message: string };
  /** Derived by the server from the context (include=client): country of the IP, browser and OS. */
  client?: { country?: string; browser?: string; os?: string };
}

export interface HistogramBucket {
  start: string;
  success: number;
  failure: number;
  unknown: number;
}

export interface Histogram {
  from: string;
  to: string;
  bucket_ms: number;
  buckets: HistogramBucket[];
}

export type SealStatus = 'verified' | 'unsealed' | 'failed' | 'not_found';

export interface ExportJob {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  download_link: { url: string; expires_at: string } | null;
}

/** A failed call: `code` is the API's stable error code (or `network`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

export class ViewerApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Any API call with the token (tabs use it for their own routes). */
  request<T>(path: string, init: RequestInit = {}): Promise<T> {
    return this.call(path, init);
  }

  private async call<T>(path: string, init: RequestInit = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        ...init,
        // The token is the only credential: never cookies of our origin.
        credentials: 'omit',
        headers: { authorization: `Bearer ${this.token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      });
    } catch {
      throw new ApiError(0, 'network');
    }
    if (!res.ok) {
      let code = 'http_error';
      try {
        code = ((await res.json()) as { error?: { code?: string } }).error?.code ?? code;
      } catch {
        // not JSON
      }
      throw new ApiError(res.status, code);
    }
    return (await res.json()) as T;
  }

  listEvents(params: Record<string, string>): Promise<{ data: ViewerEvent[]; next_cursor: string | null }> {
    return this.call(`/v1/events?${new URLSearchParams(params)}`);
  }

  getEvent(id: string, locale?: string): Promise<ViewerEvent> {
    return this.call(`/v1/events/${encodeURIComponent(id)}?${new URLSearchParams({ include: 'client', ...(locale ? { locale } : {}) })}`);
  }

  proof(id: string): Promise<InclusionProof> {
    return this.call(`/v1/events/${encodeURIComponent(id)}/proof`);
  }

  histogram(params: Record<string, string>): Promise<Histogram> {
    return this.call(`/v1/events/histogram?${new URLSearchParams(params)}`);
  }

  verify(ids: string[]): Promise<{ checkpoint: { number: number; sealed_at: string } | null; events: { id: string; status: SealStatus }[] }> {
    return this.call(`/v1/events/verification?${new URLSearchParams({ ids: ids.join(',') })}`);
  }

  createExport(body: Record<string, unknown>): Promise<ExportJob> {
    return this.call('/v1/exports', { method: 'POST', body: JSON.stringify(body) });
  }

  getExport(id: string): Promise<ExportJob> {
    return this.call(`/v1/exports/${encodeURIComponent(id)}`);
  }
}

/** The token's expiry (ms), read from its payload without verifying it (the server does that). */
export function tokenExpiry(token: string): number | undefined {
  try {
    const part = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const exp = (JSON.parse(atob(part)) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

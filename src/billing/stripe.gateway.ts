import { Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { AppError } from '../common/errors.js';
import { VERSION } from '../common/paths.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig, StripeConfig } from '../config/config.js';
import { InvalidSignatureError } from './billing.errors.js';

/** Seconds within which a signed webhook must arrive (the SDK's default): older ones are replays. */
export const WEBHOOK_TOLERANCE_S = 300;

export interface CheckoutRequest {
  tenantId: string;
  planId: string;
  customerId: string;
  successUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
}

/**
 * The one place that talks to Stripe, through the official SDK (retries with the same
 * idempotency key on connection errors, 409 and 5xx). STRIPE_API_BASE points the SDK's
 * host/port/protocol at another Stripe-compatible endpoint (tests, stripe-mock).
 */
@Injectable()
export class StripeGateway {
  private readonly logger = new Logger('Stripe');
  private readonly client: Stripe | undefined;
  private readonly config: StripeConfig | undefined;

  constructor(@InjectConfig() config: AppConfig) {
    this.config = config.billing.stripe;
    if (this.config) {
      this.client = new Stripe(this.config.secretKey, {
        maxNetworkRetries: 2,
        timeout: 20_000,
        telemetry: false,
        appInfo: { name: 'Veritrail', version: VERSION },
        ...(this.config.api ?? {}),
      });
    }
  }

  private get stripe(): Stripe {
    if (!this.client) throw new Error('Stripe is not configured');
    return this.client;
  }

  /** One customer per tenant: the idempotency key makes concurrent first calls create one. */
  async createCustomer(tenant: { id: string; name: string }): Promise<string> {
    const c = await this.call('create customer', () =>
      this.stripe.customers.create({ name: tenant.name, metadata: { tenant_id: tenant.id } }, { idempotencyKey: `vt-customer-${tenant.id}` }),
    );
    return c.id;
  }

  async createCheckoutSession(r: CheckoutRequest): Promise<{ id: string; url: string; expiresAt: number | undefined }> {
    const cfg = this.config!;
    const lineItems: Stripe.Checkout.SessionCreateParams.LineItem[] = [{ price: cfg.prices[r.planId]!, quantity: 1 }];
    if (cfg.meteredPrices[r.planId]) lineItems.push({ price: cfg.meteredPrices[r.planId]! });
    const metadata = { tenant_id: r.tenantId, plan: r.planId };
    const s = await this.call('create checkout session', () =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'subscription',
          customer: r.customerId,
          client_reference_id: r.tenantId,
          line_items: lineItems,
          success_url: r.successUrl,
          cancel_url: r.cancelUrl,
          metadata,
          subscription_data: { metadata },
        },
        { idempotencyKey: r.idempotencyKey },
      ),
    );
    if (!s.url) throw new AppError(502, 'billing_provider_error', 'Stripe did not return a checkout URL.');
    return { id: s.id, url: s.url, expiresAt: s.expires_at ?? undefined };
  }

  async createPortalSession(customerId: string, returnUrl: string, idempotencyKey: string): Promise<{ id: string; url: string }> {
    const s = await this.call('create portal session', () => this.stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl }, { idempotencyKey }));
    return { id: s.id, url: s.url };
  }

  /**
   * Reports one tenant-hour of usage. The identifier (Stripe's dedup key for meter events) and the
   * idempotency key are the same deterministic string, so a retry or a second replica cannot bill twice.
   */
  async reportUsage(u: { customerId: string; value: number; identifier: string; timestampS: number }): Promise<void> {
    await this.call('report usage', () =>
      this.stripe.billing.meterEvents.create(
        {
          event_name: this.config!.meterEventName,
          payload: { stripe_customer_id: u.customerId, value: String(u.value) },
          identifier: u.identifier,
          timestamp: u.timestampS,
        },
        { idempotencyKey: u.identifier },
      ),
    );
  }

  /** Verifies Stripe-Signature over the exact bytes received (and its age); throws 400 invalid_signature. */
  constructEvent(rawBody: Buffer, signature: string | undefined): Stripe.Event {
    if (!signature || signature.length > 4096) throw new InvalidSignatureError();
    try {
      return this.stripe.webhooks.constructEvent(rawBody, signature, this.config!.webhookSecret, WEBHOOK_TOLERANCE_S);
    } catch (err) {
      this.logger.warn({ reason: (err as Error).message.slice(0, 200) }, 'rejected a Stripe webhook');
      throw new InvalidSignatureError();
    }
  }

  /** Maps Stripe's failures to our error codes; details go to the log, never to the client. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.mapError(what, err);
    }
  }

  private mapError(what: string, err: unknown): AppError {
    const e = err as Stripe.errors.StripeError;
    const meta = { op: what, type: e?.type, code: e?.code, status: e?.statusCode, stripe_request_id: e?.requestId };
    if (e instanceof Stripe.errors.StripeCardError) {
      this.logger.warn(meta, 'Stripe declined a card');
      const out = new AppError(402, 'payment_failed', `The payment was declined${e.decline_code ? ` (${e.decline_code})` : ''}. Use another payment method.`);
      out.info = { decline_code: e.decline_code ?? null };
      return out;
    }
    if (e instanceof Stripe.errors.StripeRateLimitError || e instanceof Stripe.errors.StripeConnectionError || e instanceof Stripe.errors.StripeAPIError) {
      this.logger.warn(meta, 'Stripe is unavailable');
      return new AppError(503, 'billing_provider_unavailable', 'The payment provider is unavailable; nothing was changed. Retry later.', undefined, {
        'retry-after': e instanceof Stripe.errors.StripeRateLimitError ? '2' : '5',
      });
    }
    this.logger.error({ ...meta, message: String(e?.message ?? err).slice(0, 300) }, 'Stripe refused a request');
    return new AppError(502, 'billing_provider_error', 'The payment provider refused the request; nothing was changed.');
  }
}

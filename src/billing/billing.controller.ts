import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey, OperatorAuth } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import {
  BillingSchema,
  CheckoutCreateSchema,
  CheckoutSchema,
  PlanListSchema,
  PlanSchema,
  PlanUpsertSchema,
  PortalCreateSchema,
  PortalSchema,
  StripeWebhookAckSchema,
  TenantPlanSchema,
  TenantPlanSetSchema,
  type CheckoutCreate,
  type PlanUpsert,
  type PortalCreate,
  type TenantPlan,
} from './billing.schema.js';
import { BillingService } from './billing.service.js';
import { StripeWebhookService } from './stripe-webhook.service.js';

const DISABLED = ' Answers 404 billing_disabled when billing is off (STRIPE_SECRET_KEY unset).';
const BILLING_OFF = { 404: '`billing_disabled`: billing is off (STRIPE_SECRET_KEY unset).' };
const STRIPE_ERRORS = {
  502: '`billing_provider_error`: Stripe refused the request (configuration); nothing was changed.',
  503: '`billing_provider_unavailable`: Stripe is unavailable or rate limiting; nothing was changed.',
};

@ApiTags('billing')
@Controller('v1/billing')
export class BillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly webhooks: StripeWebhookService,
  ) {}

  @Get()
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'The plan, its limits, the current period and its usage', description: `Usage is exact: counted from the stored events.${DISABLED}` })
  @ApiOkResponse({ schema: openApiSchema(BillingSchema) })
  @ApiErrors(BILLING_OFF)
  getBilling(@CurrentKey() key: ApiKeyPrincipal) {
    return this.billing.view(key);
  }

  @Post('checkout')
  @HttpCode(200)
  @ApiKeyAuth('admin')
  @ApiOperation({
    summary: 'Start a Stripe Checkout for a plan',
    description: `Returns the Checkout URL to send the buyer to; the plan changes when Stripe confirms the payment (webhook). 409 subscription_exists: use the portal.${DISABLED}`,
  })
  @ApiOkResponse({ schema: openApiSchema(CheckoutSchema) })
  @ApiErrors(BILLING_OFF, STRIPE_ERRORS, {
    402: '`payment_failed`: Stripe declined the card (`decline_code`); nothing changed.',
    409: '`subscription_exists`: a subscription is live (use the portal); `plan_set_by_operator`: the operator set the plan.',
    422: '`plan_not_available`: no such plan, or it has no Stripe price.',
  })
  createCheckout(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(CheckoutCreateSchema) body: CheckoutCreate, @Meta() meta: RequestMetaValue) {
    return this.billing.checkout(key, body, meta);
  }

  @Post('portal')
  @HttpCode(200)
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'Open the Stripe Customer Portal', description: `Invoices, payment methods, plan changes and cancellation.${DISABLED}` })
  @ApiOkResponse({ schema: openApiSchema(PortalSchema) })
  @ApiErrors(BILLING_OFF, STRIPE_ERRORS)
  createPortal(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(PortalCreateSchema) body: PortalCreate, @Meta() meta: RequestMetaValue) {
    return this.billing.portal(key, body, meta);
  }

  @Post('stripe/webhook')
  @HttpCode(200)
  @RouteConfig({ rawBody: true })
  @ApiOperation({
    summary: 'Stripe webhook endpoint',
    description:
      'Called by Stripe, not by tenants. The Stripe-Signature header is verified over the raw body with STRIPE_WEBHOOK_SECRET (400 invalid_signature, also for events older than 5 minutes). ' +
      `Each event is applied once; unhandled types are acknowledged and ignored.${DISABLED}`,
    // Authenticated by the Stripe-Signature header over the body, not by a bearer credential.
    security: [],
  })
  @ApiHeader({ name: 'stripe-signature', required: true })
  @ApiBody({ description: 'A Stripe event (JSON), as Stripe sent it.', schema: { type: 'object' } })
  @ApiOkResponse({ schema: openApiSchema(StripeWebhookAckSchema) })
  @ApiErrors(BILLING_OFF, {
    400: '`invalid_signature`: Stripe-Signature missing, not matching the body, or older than 5 minutes.',
    503: '`storage_unavailable`: a store did not answer; Stripe retries the event.',
  })
  receiveStripeWebhook(@Body() body: unknown, @Headers('stripe-signature') signature: string | undefined) {
    return this.webhooks.receive(body, signature);
  }
}

/** The operator's plan controls (ADMIN_TOKEN). */
@ApiTags('operator')
@OperatorAuth()
@Controller('admin/v1')
export class BillingAdminController {
  constructor(private readonly billing: BillingService) {}

  @Get('plans')
  @ApiOperation({ summary: 'List plans and their limits', description: DISABLED.trim() })
  @ApiOkResponse({ schema: openApiSchema(PlanListSchema) })
  @ApiErrors(BILLING_OFF)
  listPlans() {
    return this.billing.listPlans();
  }

  @Put('plans/:id')
  @ApiOperation({ summary: 'Create a plan or change its limits', description: `Tenants above a lowered max_retention_days are clamped by the billing job (recorded in their trail).${DISABLED}` })
  @ApiOkResponse({ schema: openApiSchema(PlanSchema) })
  @ApiErrors(BILLING_OFF, { 400: '`validation_failed`: a plan id is 1–64 of a-z 0-9 _ -.' })
  upsertPlan(@Param('id') id: string, @ValidBody(PlanUpsertSchema) body: PlanUpsert) {
    return this.billing.upsertPlan(id, body);
  }

  @Put('tenants/:id/plan')
  @ApiOperation({ summary: 'Put a tenant on a plan regardless of Stripe (null: back to its subscription or free)', description: `Recorded as veritrail.billing.plan_changed.${DISABLED}` })
  @ApiOkResponse({ schema: openApiSchema(TenantPlanSetSchema) })
  @ApiErrors({ 404: '`not_found`: no such tenant; `billing_disabled`: billing is off.', 422: '`plan_not_available`: no such plan.' })
  setTenantPlan(@Param('id') id: string, @ValidBody(TenantPlanSchema) body: TenantPlan, @Meta() meta: RequestMetaValue) {
    return this.billing.setTenantPlan(id, body.plan, meta);
  }
}

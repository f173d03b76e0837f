export { Veritrail, type VeritrailOptions } from './client.js';
export type { ActionSchemaOptions } from './action-schemas.js';
export type { BufferOptions } from './buffer.js';
export {
  VeritrailApiError,
  VeritrailBufferError,
  VeritrailDeliveryError,
  VeritrailError,
  VeritrailNetworkError,
  VeritrailValidationError,
  VeritrailWebhookError,
  type ErrorDetail,
  type FailedEvent,
} from './errors.js';
export type { FeedOptions } from './reads.js';
export type { FetchLike, RetryPolicy } from './transport.js';
export type {
  AuditEvent,
  ClientStats,
  Event,
  EventFilters,
  EventInput,
  EventList,
  FeedFilters,
  FeedPage,
  Queued,
  VerifyReport,
  VerifyRequest,
  ViewerToken,
  ViewerTokenRequest,
} from './types.js';
export { eventErrors as validateEvent } from './validate.js';
export { verifyWebhook, type WebhookHeaders, type WebhookVerifyOptions } from './webhooks.js';
export { SDK_VERSION } from './version.js';
export type { components, operations, paths } from './generated/openapi.js';

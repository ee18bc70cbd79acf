/** Meta Graph API client, error classification and webhook parsing. Knows nothing of Recado's database. */
export {
  createGraphClient,
  type GraphClient,
  type GraphClientConfig,
  type RetryOptions,
  type TemplateBodyParameter,
  type TemplateComponentInput,
} from "@/server/whatsapp/client";
export {
  classifyGraphError,
  GraphApiError,
  isGraphApiError,
  metaThrottleCodes,
  pairRateRetryMs,
  type GraphErrorClassification,
  type GraphErrorFacts,
  type GraphErrorKind,
  type TransportFailure,
} from "@/server/whatsapp/errors";
export {
  type Availability,
  type CodeVerificationStatus,
  type HealthEntity,
  type HealthStatus,
  type NameStatus,
  type PhoneNumberField,
  type PhoneNumberInfo,
  type PhoneNumberStatus,
  type PlatformType,
  type QualityRating,
  type SentMessage,
  type SubscribedApp,
  type TemplateCategory,
  type TemplateComponent,
  type TemplateInfo,
  type TemplateStatus,
  type ThroughputLevel,
  type TokenDebugInfo,
} from "@/server/whatsapp/schemas";
export { signWebhookBody, verifyWebhookSignature, type SignatureCheck } from "@/server/whatsapp/webhook-signature";
export {
  flattenWebhookBatch,
  parseWebhookPayload,
  type AccountUpdate,
  type InboundMessage,
  type MessageStatusUpdate,
  type PhoneNumberQualityUpdate,
  type TemplateStatusUpdate,
  type WebhookEnvelope,
  type WebhookError,
  type WebhookItem,
  type WebhookItemKind,
} from "@/server/whatsapp/webhook-payload";

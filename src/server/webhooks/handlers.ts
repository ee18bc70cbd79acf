/**
 * The handlers this stage of Recado registers: each field Meta documents for WhatsApp is recorded (the stored
 * item is the record) and marked processed. Domain modules (messaging, templates, health) replace these with
 * handlers that apply the change; importing this module once is what wires the registry.
 */
import { registerWebhookHandler, webhookHandlerFor } from "@/server/webhooks/registry";

const recordOnly = async () => {};

// META-CLOUD-API.md §5: the WhatsApp webhook fields a subscribed app receives.
export const documentedWebhookFields = [
  "messages",
  "message_template_status_update",
  "message_template_quality_update",
  "message_template_components_update",
  "template_category_update",
  "phone_number_quality_update",
  "phone_number_name_update",
  "account_update",
  "account_review_update",
  "account_alerts",
  "business_capability_update",
  "user_preferences",
  "security",
] as const;

// Imports are evaluated before this loop (ESM hoisting), so a domain handler imported below is already
// registered here: record-only fills in only the fields nobody handles.
for (const field of documentedWebhookFields) if (!webhookHandlerFor(field)) registerWebhookHandler(field, recordOnly);

// Domain handlers: they take their fields; the loop above records the rest.
import "@/server/health/webhook-handlers";
import "@/server/messaging/webhook-handlers";

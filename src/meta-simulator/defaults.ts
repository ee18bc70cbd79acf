/**
 * The simulator's default demo state (what `POST /__sim/reset` returns to), as constants the app's demo seed,
 * scripts and tests can import. Ids are stable across runs and seeds.
 *
 * The master account: three connected numbers (the 680 one rated YELLOW), plus one number whose display name
 * is still in review, to exercise the "registration stuck" problem (register fails until Meta finishes).
 */

export const simulatorDefaults = {
  port: 4010,
  host: "127.0.0.1",
  apiVersion: "v25.0",
  appId: "100000000000001",
  appName: "Recado",
  appSecret: "dev-app-secret",
  masterAccessToken: "sim-master-token",
  webhookUrl: "http://127.0.0.1:3000/api/webhooks/whatsapp",
  seed: 1,
  businessId: "506914307656634",
} as const;

export const masterWaba = {
  id: "102290129340398",
  name: "Bakery Platform",
} as const;

/** A second account, not subscribed to the app: the target of the Embedded Signup (own WABA) flow. */
export const customerWaba = {
  id: "109876543210987",
  name: "Panadería Goiko",
} as const;

export const defaultPhoneNumbers = {
  platform: { id: "106540352242922", displayPhoneNumber: "+34 612 345 678", verifiedName: "Bakery Platform" },
  support: { id: "106540352242923", displayPhoneNumber: "+34 612 345 679", verifiedName: "Bakery Support" },
  notifications: { id: "106540352242924", displayPhoneNumber: "+34 612 345 680", verifiedName: "Bakery Notifications" },
  /** Display name still in review: the first `pendingRegistrationFailures` register calls fail with 100/2388001. */
  pending: { id: "106540352242925", displayPhoneNumber: "+34 612 345 681", verifiedName: "Bakery Orders" },
  /** The customer account's number: verified, name approved, not yet registered (Embedded Signup registers it). */
  customer: { id: "110000000000001", displayPhoneNumber: "+34 633 100 200", verifiedName: "Panadería Goiko" },
} as const;

/** How many register calls on the pending number fail with 100/2388001 before its name review completes. */
export const pendingRegistrationFailures = 2;

/** The two-step verification PIN already set on the default registered numbers. */
export const defaultPin = "123456";

export const defaultTemplates = {
  poNotificationEs: { id: "1689556908129801", name: "po_notification", language: "es" },
  poNotificationEn: { id: "1689556908129802", name: "po_notification", language: "en" },
  helloWorld: { id: "1689556908129803", name: "hello_world", language: "en_US" },
} as const;

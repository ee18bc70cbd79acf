/** How the owner obtained an opt-in they record by hand (kept with the consent record as proof). Browser-safe. */
export const optInMethods = ["in_shop", "paper_form", "whatsapp_message", "website", "other"] as const;
export type OptInMethod = (typeof optInMethods)[number];

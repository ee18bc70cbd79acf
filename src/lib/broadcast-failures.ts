/** Why broadcast sends failed, in the owner's words (the summary's failure_breakdown keys). Shared by server and UI. */
export const failureReasonLabels: Record<string, string> = {
  not_on_whatsapp: "Not on WhatsApp",
  invalid_number: "Invalid number",
  rate_limited: "Rate limited",
  opted_out: "Opted out before their turn",
  token_expired: "WhatsApp token refused",
  template_problem: "Template not approved",
  interrupted: "Interrupted (not resent)",
  other: "Other Meta error",
};

import type { BadgeTone } from "@/components/ui/badge";

/** Each health field with its badge and a one-line meaning (Meta: business-phone-numbers/phone-numbers), for the Account Health tab. */
type Reading = { tone: BadgeTone; label: string; meaning: string };

const NA = "NOT_APPLICABLE";

export const healthFieldTitles: Record<string, string> = {
  status: "Status",
  qualityRating: "Quality rating",
  codeVerificationStatus: "Ownership verification",
  nameStatus: "Display name",
  platformType: "Platform",
  throughputLevel: "Throughput",
  messagingLimit: "Messaging limit",
  healthStatus: "Can send messages",
};

export function readHealthField(field: string, value: string | null | undefined): Reading {
  if (value === null || value === undefined) return { tone: "gray", label: "Unknown", meaning: "Meta has not reported this yet." };
  switch (field) {
    case "status":
      return (
        (
          {
            CONNECTED: { tone: "green", label: "Connected", meaning: "The number can send and receive messages." },
            PENDING: { tone: "yellow", label: "Pending", meaning: "Not registered on the Cloud API yet." },
            FLAGGED: { tone: "yellow", label: "Flagged", meaning: "Low quality warning: improve messages or limits may drop." },
            RESTRICTED: {
              tone: "red",
              label: "Restricted",
              meaning: "Hit its messaging limit or a policy: cannot start conversations for now.",
            },
            BANNED: { tone: "red", label: "Banned", meaning: "Banned by Meta: appeal in WhatsApp Manager." },
            DISCONNECTED: { tone: "red", label: "Disconnected", meaning: "No longer registered: complete registration again." },
            RATE_LIMITED: { tone: "yellow", label: "Rate limited", meaning: "Sending too fast: Meta slows it down for a while." },
          } as Record<string, Reading>
        )[value] ?? { tone: "gray", label: value, meaning: "Meta's operating status of the number." }
      );
    case "qualityRating":
      return (
        (
          {
            GREEN: { tone: "green", label: "Green", meaning: "High quality: recipients are happy with these messages." },
            YELLOW: { tone: "yellow", label: "Yellow", meaning: "Medium: some recipients block or report messages. Review templates." },
            RED: { tone: "red", label: "Red", meaning: "Low: templates may be paused. Act now." },
            UNRATED: { tone: "gray", label: "Not yet rated", meaning: "Meta rates a number after it has sent messages." },
          } as Record<string, Reading>
        )[value] ?? { tone: "gray", label: value, meaning: "" }
      );
    case "codeVerificationStatus":
      return value === "VERIFIED"
        ? { tone: "green", label: "Verified", meaning: "Ownership confirmed with the SMS or voice code." }
        : {
            tone: "yellow",
            label: value === "EXPIRED" ? "Expired" : "Not verified",
            meaning: "Confirm ownership with the code in WhatsApp Manager before registering.",
          };
    case "nameStatus":
      return (
        (
          {
            APPROVED: { tone: "green", label: "Approved", meaning: "Meta approved the display name recipients see." },
            AVAILABLE_WITHOUT_REVIEW: { tone: "green", label: "Available", meaning: "The display name can be used without review." },
            PENDING_REVIEW: { tone: "blue", label: "In review", meaning: "Meta is reviewing the display name; registration waits for it." },
            DECLINED: { tone: "red", label: "Declined", meaning: "Meta rejected the name: submit another in WhatsApp Manager." },
            EXPIRED: { tone: "yellow", label: "Expired", meaning: "The approved name expired: re-register within 14 days of approval." },
          } as Record<string, Reading>
        )[value] ?? { tone: "gray", label: value, meaning: "Display-name review status." }
      );
    case "platformType":
      return value === NA
        ? { tone: "yellow", label: "Not registered", meaning: "Not on the Cloud API yet: provisioning is incomplete." }
        : { tone: "green", label: value === "CLOUD_API" ? "Cloud API" : value, meaning: "Registered on this WhatsApp platform." };
    case "throughputLevel":
      return value === NA
        ? { tone: "yellow", label: "Not set", meaning: "No throughput until the number is registered." }
        : {
            tone: "green",
            label: value === "HIGH" ? "High (1,000/s)" : value === "STANDARD" ? "Standard (80/s)" : value,
            meaning: "How many messages per second it may send.",
          };
    case "messagingLimit":
      return {
        tone: "blue",
        label: value.replace("TIER_", "").replace("UNLIMITED", "Unlimited"),
        meaning: "Business-initiated conversations with unique users per 24 hours.",
      };
    case "healthStatus":
      return (
        (
          {
            AVAILABLE: { tone: "green", label: "Available", meaning: "Meta sees nothing stopping this number from sending." },
            LIMITED: { tone: "yellow", label: "Limited", meaning: "It can send with limits: see the reasons below." },
            BLOCKED: { tone: "red", label: "Blocked", meaning: "It cannot send: see the errors and solutions below." },
          } as Record<string, Reading>
        )[value] ?? { tone: "gray", label: value, meaning: "" }
      );
    default:
      return { tone: "gray", label: value, meaning: "" };
  }
}

export const onboardingTones: Record<string, { banner: string; dot: string }> = {
  green: { banner: "border-emerald-300 bg-emerald-50 text-emerald-900", dot: "bg-emerald-500" },
  amber: { banner: "border-amber-300 bg-amber-50 text-amber-900", dot: "bg-amber-500" },
  blue: { banner: "border-sky-300 bg-sky-50 text-sky-900", dot: "bg-sky-500" },
  red: { banner: "border-red-300 bg-red-50 text-red-900", dot: "bg-red-500" },
  gray: { banner: "border-stone-300 bg-stone-50 text-stone-800", dot: "bg-stone-400" },
};

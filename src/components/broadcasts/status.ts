import type { BadgeTone } from "@/components/ui/badge";

/** Plain-language status of a broadcast: what is happening and what to do next. */
export const broadcastStatusText: Record<string, { label: string; tone: BadgeTone; explain: string }> = {
  DRAFT: { label: "Draft", tone: "gray", explain: "Not started yet." },
  SENDING: {
    label: "Sending",
    tone: "blue",
    explain: "Messages are going out at the pace Meta allows for your number. You can leave this page.",
  },
  PAUSED: { label: "Paused", tone: "yellow", explain: "Nothing more is sent until you resume. Messages already sent are not affected." },
  COMPLETED: {
    label: "Completed",
    tone: "green",
    explain: "Everyone on the list had their turn. Delivered and read counts keep updating as people open WhatsApp.",
  },
  CANCELLED: { label: "Cancelled", tone: "gray", explain: "Stopped by you. People who had not had their turn yet were not sent anything." },
  STOPPED: {
    label: "Stopped",
    tone: "red",
    explain: "Every message of the first batch failed, so Recado stopped to protect your number. The platform admin has been alerted.",
  },
};

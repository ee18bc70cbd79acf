"use client";

import { OwnerHealthLine } from "@/components/health/owner-health-line";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { messageLanguages, type MessageLanguage } from "@/lib/languages";
import { api, type RouterOutputs } from "@/trpc/react";

type Settings = RouterOutputs["settings"]["whatsapp"];

export function WhatsAppCard() {
  const utils = api.useUtils();
  const toast = useToast();
  const settings = api.settings.whatsapp.useQuery();
  // Optimistic: the switch and the selector move at once; a refusal puts them back and says why.
  const update = api.settings.updateWhatsapp.useMutation({
    onMutate: async (change) => {
      await utils.settings.whatsapp.cancel();
      const previous = utils.settings.whatsapp.getData();
      utils.settings.whatsapp.setData(undefined, (current) => (current ? ({ ...current, ...change } as Settings) : current));
      return { previous };
    },
    onError: (error, _change, context) => {
      utils.settings.whatsapp.setData(undefined, context?.previous);
      toast("error", `Not saved: ${error.message}`);
    },
    onSuccess: (saved, change) => {
      utils.settings.whatsapp.setData(undefined, saved);
      toast("success", change.language ? "Message language saved." : `WhatsApp notifications turned ${saved.enabled ? "on" : "off"}.`);
    },
  });

  if (!settings.data) {
    return (
      <Card title="WhatsApp">
        <p className="text-sm text-stone-500">{settings.error ? `Could not load: ${settings.error.message}` : "Loading…"}</p>
      </Card>
    );
  }
  const s = settings.data;
  const number = s.phoneNumber;

  return (
    <Card title="WhatsApp" description="Purchase orders and broadcasts are sent from your bakery's WhatsApp number.">
      <div className="space-y-5">
        <div data-testid="whatsapp-number">
          {number ? (
            <div className="flex flex-wrap items-center gap-3">
              <Badge tone="green">✓ WhatsApp configured</Badge>
              <span className="font-mono text-sm" data-testid="assigned-number">
                {number.displayPhoneNumber}
              </span>
              {number.verifiedName && <span className="text-sm text-stone-600">shown to recipients as “{number.verifiedName}”</span>}
              <OwnerHealthLine />
            </div>
          ) : (
            <div className="rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="contact-support">
              <strong>No WhatsApp number yet.</strong> Contact support and we will assign one to your bakery. Until then nothing can be
              sent, even with notifications switched on.
            </div>
          )}
        </div>

        <div className="flex items-start justify-between gap-6">
          <div>
            <p className="text-sm font-medium text-stone-900" id="whatsapp-toggle-label">
              Send WhatsApp notifications
            </p>
            <p className="text-sm text-stone-600" data-testid="toggle-explanation">
              {!number
                ? "You can switch this on now; messages start once a number is assigned."
                : s.enabled
                  ? "On: purchase orders are sent to suppliers on WhatsApp."
                  : "Off: nothing is sent on WhatsApp."}
            </p>
          </div>
          <button
            type="button"
            role="switch"
            aria-checked={s.enabled}
            aria-labelledby="whatsapp-toggle-label"
            onClick={() => update.mutate({ enabled: !s.enabled })}
            className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition ${s.enabled ? "bg-brand-600" : "bg-stone-300"}`}
          >
            <span
              className={`inline-block h-5 w-5 rounded-full bg-white shadow transition ${s.enabled ? "translate-x-5" : "translate-x-0.5"}`}
            />
          </button>
        </div>

        <label className="block">
          <span className="text-sm font-medium text-stone-900">Message language</span>
          <span className="block text-sm text-stone-600">Templates are sent in this language.</span>
          <select
            value={s.language}
            onChange={(e) => update.mutate({ language: e.target.value as MessageLanguage })}
            className="mt-2 rounded-md border border-stone-300 px-3 py-2 text-sm"
            aria-label="Message language"
          >
            {messageLanguages.map((l) => (
              <option key={l.code} value={l.code}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
      </div>
    </Card>
  );
}

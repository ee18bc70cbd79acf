import { describe, expect, it } from "vitest";
import { flattenWebhookBatch, parseWebhookJson, parseWebhookPayload, safeParseWebhookPayload } from "@/server/whatsapp/webhook-payload";

const waba = "102290129340398";
const metadata = { display_phone_number: "34612345678", phone_number_id: "106540352242922" };

/** Two entries, four changes: statuses + an inbound STOP in one change, a template update, a quality update,
 * an account update, and a field this code has never heard of. */
const batch = {
  object: "whatsapp_business_account",
  entry: [
    {
      id: waba,
      changes: [
        {
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata,
            contacts: [{ profile: { name: "Ana Pérez" }, wa_id: "34600111222" }],
            messages: [{ from: "34600111222", id: "wamid.IN1", timestamp: "1750000000", type: "text", text: { body: "STOP" } }],
            statuses: [
              {
                id: "wamid.OUT1",
                status: "sent",
                timestamp: "1750000001",
                recipient_id: "34600999888",
                pricing: { billable: true, pricing_model: "PMP", type: "regular", category: "utility" },
                biz_opaque_callback_data: "order-42",
              },
              {
                id: "wamid.OUT2",
                status: "failed",
                timestamp: "1750000002",
                recipient_id: "34600999777",
                errors: [{ code: 131026, title: "Message undeliverable", error_data: { details: "not on WhatsApp" } }],
              },
            ],
          },
        },
        {
          field: "message_template_status_update",
          value: {
            event: "REJECTED",
            message_template_id: 1689556908129835,
            message_template_name: "po_notification",
            message_template_language: "es",
            reason: "INVALID_FORMAT",
          },
        },
      ],
    },
    {
      id: "109876543210987",
      time: 1750000100,
      changes: [
        {
          field: "phone_number_quality_update",
          value: { display_phone_number: "34633100200", event: "THROUGHPUT_UPGRADE", current_limit: "TIER_UNLIMITED" },
        },
        {
          field: "account_update",
          value: {
            event: "ACCOUNT_RESTRICTION",
            restriction_info: [{ restriction_type: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: 1750086500 }],
          },
        },
        { field: "brand_new_field", value: { some_value: { nested_key: 1 } } },
      ],
    },
  ],
};

describe("parseWebhookJson", () => {
  it("refuses nesting deeper than Meta sends without recursing, and reads ordinary bodies", () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    expect(parseWebhookJson(deep)).toMatchObject({ ok: false, reason: expect.stringContaining("nested more than") });
    expect(parseWebhookJson(`{"a":"${"[".repeat(100)}"}`)).toMatchObject({ ok: true });
    expect(parseWebhookJson(JSON.stringify(batch))).toEqual({ ok: true, json: batch });
    expect(parseWebhookJson("{oops")).toMatchObject({ ok: false, reason: expect.stringContaining("not JSON") });
  });
});

describe("parseWebhookPayload", () => {
  it("keeps unknown keys so the stored envelope is what Meta sent", () => {
    const payload = parseWebhookPayload({ ...batch, extra_top_level: true });
    expect((payload as Record<string, unknown>).extra_top_level).toBe(true);
    expect(payload.entry).toHaveLength(2);
  });

  it("rejects what is not an envelope", () => {
    expect(() => parseWebhookPayload({ hello: "world" })).toThrow();
    expect(safeParseWebhookPayload([1, 2])).toMatchObject({ ok: false });
    expect(safeParseWebhookPayload({ object: "page", entry: [{ id: 1 }] })).toMatchObject({ ok: true });
  });
});

describe("flattenWebhookBatch", () => {
  const items = flattenWebhookBatch(parseWebhookPayload(batch));

  it("yields every status, message and change of every entry", () => {
    expect(items.map((i) => [i.kind, i.field])).toEqual([
      ["status", "messages"],
      ["status", "messages"],
      ["message", "messages"],
      ["template_status", "message_template_status_update"],
      ["quality_update", "phone_number_quality_update"],
      ["account_update", "account_update"],
      ["change", "brand_new_field"],
    ]);
  });

  it("gives statuses and messages Meta's natural keys, camelCase values and their time", () => {
    const [sent, failed, inbound] = items;
    expect(sent).toMatchObject({
      key: "status:wamid.OUT1:sent",
      wabaId: waba,
      phoneNumberId: "106540352242922",
      occurredAt: new Date(1750000001 * 1000),
      value: {
        messageId: "wamid.OUT1",
        status: "sent",
        timestamp: 1750000001,
        recipientId: "34600999888",
        pricing: { billable: true, pricingModel: "PMP", type: "regular", category: "utility" },
        bizOpaqueCallbackData: "order-42",
        errors: [],
      },
    });
    expect(failed).toMatchObject({
      key: "status:wamid.OUT2:failed",
      value: { errors: [{ code: 131026, title: "Message undeliverable", details: "not on WhatsApp" }] },
    });
    expect(inbound).toMatchObject({
      key: "message:wamid.IN1",
      value: {
        messageId: "wamid.IN1",
        from: "34600111222",
        type: "text",
        text: "STOP",
        contact: { waId: "34600111222", name: "Ana Pérez" },
      },
    });
  });

  it("maps the other known fields to camelCase", () => {
    expect(items[3]?.value).toEqual({
      event: "REJECTED",
      templateId: "1689556908129835",
      templateName: "po_notification",
      language: "es",
      reason: "INVALID_FORMAT",
    });
    expect(items[4]).toMatchObject({
      wabaId: "109876543210987",
      occurredAt: new Date(1750000100 * 1000),
      value: { displayPhoneNumber: "34633100200", event: "THROUGHPUT_UPGRADE", currentLimit: "TIER_UNLIMITED" },
    });
    expect(items[5]?.value).toEqual({
      event: "ACCOUNT_RESTRICTION",
      details: { restrictionInfo: [{ restrictionType: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: 1750086500 }] },
    });
    expect(items[6]?.value).toEqual({ someValue: { nestedKey: 1 } });
  });

  it("produces JSON-safe values (they are stored as they are)", () => {
    for (const item of items) expect(JSON.parse(JSON.stringify(item.value))).toEqual(item.value);
  });

  it("keys are stable across re-deliveries, whatever the key order, and distinct between events", () => {
    const again = flattenWebhookBatch(parseWebhookPayload(JSON.parse(JSON.stringify(batch))));
    expect(again.map((i) => i.key)).toEqual(items.map((i) => i.key));

    const reordered = JSON.parse(JSON.stringify(batch)) as { entry: { changes: { value: Record<string, unknown> }[] }[] };
    const change = reordered.entry[1]!.changes[0]!;
    change.value = Object.fromEntries(Object.entries(change.value).reverse());
    expect(flattenWebhookBatch(parseWebhookPayload(reordered))[4]?.key).toBe(items[4]?.key);

    // the same value at a later `time` is a new event (e.g. approved again after a pause)
    const later = structuredClone(batch);
    later.entry[1]!.time = 1750009999;
    expect(flattenWebhookBatch(parseWebhookPayload(later))[4]?.key).not.toBe(items[4]?.key);
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
  });

  it("turns a status of an unexpected shape into an invalid item with its reason and raw value; its neighbours are kept", () => {
    const odd = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: waba,
          changes: [
            {
              field: "messages",
              value: { metadata, statuses: [{ no_id: true }, { id: "wamid.OK", status: "read", timestamp: "1750000003" }] },
            },
          ],
        },
      ],
    };
    const [item, ok] = flattenWebhookBatch(parseWebhookPayload(odd));
    expect(item).toMatchObject({ kind: "invalid", field: "messages", phoneNumberId: "106540352242922", value: { no_id: true } });
    expect(item?.kind === "invalid" && item.reason).toMatch(/statuses\[0\]\.id/);
    expect(ok).toMatchObject({ kind: "status", key: "status:wamid.OK:read" });
    // the same bad item re-delivered gets the same key
    expect(flattenWebhookBatch(parseWebhookPayload(structuredClone(odd)))[0]?.key).toBe(item?.key);
  });

  it.each([
    ["milliseconds", 1000000000000],
    ["milliseconds as text", "1763850000000"],
    ["not a number", "not-a-number"],
    ["negative", -5],
    ["a fraction", 1763850000.5],
    ["before 2020", "1000"],
    ["years ahead", String(Math.floor(Date.now() / 1000) + 400 * 86400)],
    ["missing", undefined],
  ])("refuses a status timestamp that is %s (never dated 1970 or year 33658)", (_case, timestamp) => {
    const body = {
      object: "whatsapp_business_account",
      entry: [
        { id: waba, changes: [{ field: "messages", value: { metadata, statuses: [{ id: "wamid.T", status: "delivered", timestamp }] } }] },
      ],
    };
    const [item] = flattenWebhookBatch(parseWebhookPayload(body));
    expect(item?.kind).toBe("invalid");
    expect(item?.kind === "invalid" && item.reason).toMatch(/statuses\[0\]\.timestamp/);
  });

  it("handles username-only senders (no wa_id, Meta: business-scoped-user-ids) and system errors", () => {
    const payload = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: waba,
          time: 1750000200,
          changes: [
            {
              field: "messages",
              value: {
                metadata,
                contacts: [{ user_id: "US.13491208655302741918", profile: { name: "Bo", username: "bo" } }],
                messages: [
                  {
                    from_user_id: "US.13491208655302741918",
                    id: "wamid.IN2",
                    timestamp: "1750000150",
                    type: "image",
                    image: { mime_type: "image/jpeg", id: "1" },
                  },
                ],
                errors: [{ code: 130429, title: "Rate limit hit" }],
              },
            },
          ],
        },
      ],
    };
    const [message, errors] = flattenWebhookBatch(parseWebhookPayload(payload));
    expect(message).toMatchObject({
      kind: "message",
      value: {
        fromUserId: "US.13491208655302741918",
        contact: { userId: "US.13491208655302741918", username: "bo" },
        content: { mimeType: "image/jpeg", id: "1" },
      },
    });
    expect(message?.value).not.toHaveProperty("from");
    expect(errors).toMatchObject({ kind: "errors", occurredAt: new Date(1750000200 * 1000), value: { errors: [{ code: 130429 }] } });
  });
});

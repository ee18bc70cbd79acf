"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Pager } from "@/components/ui/pager";
import { useToast } from "@/components/ui/toast";
import { timeAgo } from "@/components/ui/format";
import { ContactImport } from "@/components/contacts/contact-import";
import { ContactPrivacy } from "@/components/contacts/contact-privacy";
import { api } from "@/trpc/react";

const filters = [
  { value: "all", label: "All" },
  { value: "opted_in", label: "Opted in" },
  { value: "opted_out", label: "Opted out" },
  { value: "not_on_whatsapp", label: "Not on WhatsApp" },
] as const;

export function ContactsView() {
  const [search, setSearch] = useState("");
  const [filter, setFilter] = useState<(typeof filters)[number]["value"]>("all");
  const [page, setPage] = useState(1);
  const toast = useToast();
  const utils = api.useUtils();
  const contacts = api.contacts.list.useQuery({ search: search || undefined, filter, page });
  const setConsent = api.contacts.setConsent.useMutation({
    onSuccess: () => utils.contacts.list.invalidate(),
    onError: (e) => toast("error", e.message),
  });
  const [phone, setPhone] = useState("");
  const [name, setName] = useState("");
  const create = api.contacts.create.useMutation({
    onSuccess: (c) => {
      toast("success", `${c.name ?? c.phoneE164} added.`);
      setPhone("");
      setName("");
      void utils.contacts.list.invalidate();
    },
    onError: (e) => toast("error", e.message),
  });

  const data = contacts.data;
  return (
    <div className="space-y-6">
      <ContactImport onDone={() => void utils.contacts.list.invalidate()} />

      <Card title="Add a contact" description="Numbers without + are read as numbers of your country (Spain unless support changed it).">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ phone, name: name || undefined, optedIn: true });
          }}
        >
          <label className="text-sm">
            <span className="block text-stone-600">Phone</span>
            <input
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
              placeholder="+34 612 345 678"
              className="mt-1 rounded-md border border-stone-300 px-3 py-1.5"
              required
            />
          </label>
          <label className="text-sm">
            <span className="block text-stone-600">Name</span>
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="Harinas del Norte"
              className="mt-1 rounded-md border border-stone-300 px-3 py-1.5"
            />
          </label>
          <button
            type="submit"
            disabled={create.isPending}
            className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-50"
          >
            Add (agreed to WhatsApp messages)
          </button>
        </form>
      </Card>

      <div className="flex flex-wrap items-center gap-3">
        <input
          type="search"
          aria-label="Search contacts"
          placeholder="Search by name or number"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage(1);
          }}
          className="w-72 rounded-md border border-stone-300 px-3 py-1.5 text-sm"
        />
        <div className="flex gap-1" role="group" aria-label="Filter">
          {filters.map((f) => (
            <button
              key={f.value}
              type="button"
              onClick={() => {
                setFilter(f.value);
                setPage(1);
              }}
              className={`rounded-full px-3 py-1 text-sm ${filter === f.value ? "bg-stone-900 text-white" : "bg-stone-100 text-stone-700"}`}
            >
              {f.label}
            </button>
          ))}
        </div>
        {data && (
          <span className="text-sm text-stone-500" data-testid="contacts-total">
            {data.total.toLocaleString("en")} contacts
          </span>
        )}
      </div>

      {data && data.contacts.length === 0 ? (
        <EmptyState title={search || filter !== "all" ? "No contact matches" : "No contacts yet"} icon="☺">
          Add a contact above or import a CSV file with a phone column.
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-stone-200 bg-white">
          <table className="w-full text-sm" data-testid="contacts-table">
            <thead className="bg-stone-50 text-left text-stone-600">
              <tr>
                <th className="px-4 py-2">Name</th>
                <th className="px-4 py-2">Phone</th>
                <th className="px-4 py-2">WhatsApp messages</th>
                <th className="px-4 py-2">Last wrote to you</th>
                <th className="px-4 py-2" />
              </tr>
            </thead>
            <tbody>
              {data?.contacts.map((c) => (
                <tr key={c.id} className="border-t border-stone-100">
                  <td className="px-4 py-2">{c.name ?? <span className="text-stone-400">—</span>}</td>
                  <td className="px-4 py-2 font-mono">{c.phoneE164}</td>
                  <td className="px-4 py-2">
                    <div className="flex flex-wrap items-center gap-2">
                      {c.optedIn ? (
                        <Badge tone="green">Opted in</Badge>
                      ) : (
                        <Badge tone={c.optedOutAt ? "red" : "gray"}>{c.optedOutAt ? "Opted out" : "Not asked yet"}</Badge>
                      )}
                      {c.notOnWhatsAppAt && <Badge tone="yellow">Not on WhatsApp: skipped</Badge>}
                      <button
                        type="button"
                        className="text-xs text-brand-700 underline"
                        onClick={() => setConsent.mutate({ contactId: c.id, optedIn: !c.optedIn })}
                      >
                        {c.optedIn ? "Record opt-out" : "Record opt-in"}
                      </button>
                    </div>
                  </td>
                  <td className="px-4 py-2 text-stone-600">{c.lastInboundAt ? timeAgo(c.lastInboundAt) : "never"}</td>
                  <td className="px-4 py-2 text-right">
                    <div className="flex flex-col items-end gap-1">
                      <Link href={`/messages/${c.id}`} className="text-brand-700 underline">
                        Conversation
                      </Link>
                      <ContactPrivacy contact={c} onErased={() => void utils.contacts.list.invalidate()} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > data.pageSize && <Pager page={page} pages={Math.ceil(data.total / data.pageSize)} onPage={setPage} />}
    </div>
  );
}

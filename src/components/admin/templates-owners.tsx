"use client";

import { Badge } from "@/components/ui/badge";
import { api } from "@/trpc/react";

/** Every template of every account with the bakery it belongs to; platform templates are shared by all bakeries. */
export function TemplateOwners() {
  const templates = api.templates.adminList.useQuery();
  if (!templates.data) return <p className="text-sm text-stone-500">{templates.error ? templates.error.message : "Loading…"}</p>;
  if (templates.data.length === 0) return <p className="text-sm text-stone-500">No templates yet.</p>;
  return (
    <div className="max-h-80 overflow-auto">
      <table className="w-full text-sm" data-testid="template-owners">
        <thead className="text-left text-stone-600">
          <tr>
            <th className="py-1 pr-3">Template</th>
            <th className="py-1 pr-3">Language</th>
            <th className="py-1 pr-3">Status</th>
            <th className="py-1">Belongs to</th>
          </tr>
        </thead>
        <tbody>
          {templates.data.map((t) => (
            <tr key={t.id} className="border-t border-stone-100">
              <td className="py-1 pr-3 font-mono">
                {t.name}
                {t.metaName !== t.name && <div className="text-xs text-stone-400">on Meta: {t.metaName}</div>}
              </td>
              <td className="py-1 pr-3">{t.language}</td>
              <td className="py-1 pr-3">{t.status.toLowerCase()}</td>
              <td className="py-1">{t.owner ? t.owner.name : <Badge tone="blue">platform</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

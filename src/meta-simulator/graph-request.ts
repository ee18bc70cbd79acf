/**
 * What the Graph route handlers see of a request, and the Graph conventions they share: `fields=` selection
 * and cursor paging (Meta: business-phone-numbers/phone-numbers, https://developers.facebook.com/docs/graph-api/results).
 */
import { graphErrors } from "./graph-errors";

export type GraphRequest = {
  method: string;
  version: string;
  /** path segments after the version */
  segments: string[];
  query: URLSearchParams;
  /** JSON or form body, merged over query parameters (Graph accepts parameters in either) */
  params: Record<string, unknown>;
  token: string | null;
  /** whether the token came in the query string (Graph then repeats it in paging links) */
  tokenInQuery: boolean;
  /** scheme://host the client used, for paging links */
  origin: string;
};

export type GraphResponse = { status: number; body: unknown };

export const ok = (body: unknown): GraphResponse => ({ status: 200, body });

export function stringParam(request: GraphRequest, name: string): string | undefined {
  const value = request.params[name];
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/**
 * Top-level names of a `fields=` list. Graph allows nested selections (`health_status{can_send_message}`); the
 * simulator returns the whole sub-object for those.
 */
export function parseFields(raw: string | null): string[] | null {
  if (raw === null || raw.trim() === "") return null;
  const names: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of raw) {
    if (char === "{") depth++;
    if (char === "}") depth--;
    if (char === "," && depth === 0) {
      names.push(current);
      current = "";
    } else if (depth === 0 && char !== "}") {
      current += char;
    }
  }
  names.push(current);
  return [...new Set(names.map((n) => n.trim()).filter(Boolean))];
}

/** Keeps only the requested fields (plus `id`, which Graph always returns); unknown names are a Graph error. */
export function selectFields(
  node: Record<string, unknown>,
  fields: string[] | null,
  defaults: readonly string[],
  known: readonly string[],
  nodeType: string,
) {
  const wanted = fields ?? defaults;
  for (const field of wanted) if (!known.includes(field)) throw graphErrors.nonexistingField(field, nodeType);
  const out: Record<string, unknown> = {};
  for (const field of wanted) if (node[field] !== undefined) out[field] = node[field];
  out.id = node.id;
  return out;
}

const encodeCursor = (index: number) => Buffer.from(`cursor:${index}`).toString("base64url");

function decodeCursor(cursor: string): number {
  const match = /^cursor:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match?.[1]) throw graphErrors.invalidParameter("The cursor is not valid.");
  return Number(match[1]);
}

/**
 * Cursor paging: `limit`, `after`, `before`; `paging.next` / `paging.previous` only when there is more in that
 * direction, so clients stop when `next` is absent (Meta: business-phone-numbers/phone-numbers).
 */
export function paginate<T>(request: GraphRequest, items: T[], defaultLimit = 25) {
  const limitParam = Number(request.query.get("limit") ?? defaultLimit);
  if (!Number.isInteger(limitParam) || limitParam < 1)
    throw graphErrors.invalidParameter("The limit parameter must be a positive integer.");
  const limit = Math.min(limitParam, 100);
  const after = request.query.get("after");
  const before = request.query.get("before");
  let start = 0;
  let end = Math.min(items.length, limit);
  if (after) {
    start = decodeCursor(after) + 1;
    end = Math.min(items.length, start + limit);
  } else if (before) {
    end = Math.min(items.length, decodeCursor(before));
    start = Math.max(0, end - limit);
  }
  const data = items.slice(start, end);
  if (data.length === 0) return { data };

  const link = (cursor: { after?: string; before?: string }) => {
    const query = new URLSearchParams(request.query);
    query.delete("after");
    query.delete("before");
    query.delete("access_token");
    query.set("limit", String(limit));
    if (cursor.after) query.set("after", cursor.after);
    if (cursor.before) query.set("before", cursor.before);
    if (request.tokenInQuery && request.token) query.set("access_token", request.token);
    return `${request.origin}/${request.version}/${request.segments.join("/")}?${query.toString()}`;
  };
  const cursors = { before: encodeCursor(start), after: encodeCursor(end - 1) };
  return {
    data,
    paging: {
      cursors,
      ...(end < items.length ? { next: link({ after: cursors.after }) } : {}),
      ...(start > 0 ? { previous: link({ before: cursors.before }) } : {}),
    },
  };
}

/**
 * The error sweep: every procedure of the role matrix, called over HTTP (the real tRPC handler and error
 * formatter) as an actor allowed to call it, once with every id replaced by one that does not exist and once
 * with a NUL byte in every string. No answer may be a 500 or carry text not written for the user (Prisma's
 * message, a file path, a stack line, an SQL state). It runs each entry's own call, so a new procedure, which
 * must join the role matrix, is swept too.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { expect } from "vitest";
import { appRouter } from "@/server/api/root";
import type { Db } from "@/server/db";
import { sessionFor } from "@/test/fixtures";

/** What must never reach a browser. */
export const internals = /prisma|invocation|\.tsx?:\d|\bat \S+ \(|node_modules|\/src\/|SQLSTATE|22P05|22021|violates|stack|Error:/i;

export type SweepVariant = "unknown id" | "NUL byte";

const isIdKey = (key: string) => /(^id$|Id$|Ids$)/.test(key);

function unknownLike(value: string) {
  return /^\d+$/.test(value) ? "9".repeat(value.length) : `c${"0".repeat(Math.max(8, value.length - 1))}`;
}

/** The input with every id unknown (same shape, so it passes validation) or a NUL in every string. */
export function sweptInput(input: unknown, variant: SweepVariant, key = ""): unknown {
  if (typeof input === "string") {
    if (variant === "NUL byte") return `${input}\u0000`;
    return isIdKey(key) ? unknownLike(input) : input;
  }
  if (Array.isArray(input)) return input.map((item) => sweptInput(item, variant, key));
  if (input && typeof input === "object" && Object.getPrototypeOf(input) === Object.prototype) {
    return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, sweptInput(v, variant, k)]));
  }
  return input;
}

export type SweptAnswer = { procedure: string; variant: SweepVariant; status: number; body: string };

/** A caller shaped like `createCaller(...)` whose every call goes through HTTP with the swept input. */
export function sweepingCaller(db: Db, user: Parameters<typeof sessionFor>[0] | null, variant: SweepVariant, answers: SweptAnswer[]) {
  const session = user ? sessionFor(user) : null;
  const call = async (path: string[], input: unknown) => {
    const procedure = path.join(".");
    const type = (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[procedure]?._def.type;
    const swept = sweptInput(input, variant);
    const encoded = JSON.stringify(superjson.serialize(swept));
    const url = new URL(`http://localhost/api/trpc/${procedure}`);
    if (type !== "mutation") url.searchParams.set("input", encoded);
    const post = { method: "POST", headers: { "content-type": "application/json" }, body: encoded };
    const req = new Request(url, type === "mutation" ? post : {});
    const response = await fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => ({ db, session }) });
    const body = await response.text();
    answers.push({ procedure, variant, status: response.status, body });
    const parsed = JSON.parse(body) as { result?: { data: unknown }; error?: unknown };
    if (parsed.error) throw new Error(`${procedure} answered ${response.status}`);
    return superjson.deserialize(parsed.result!.data as never);
  };
  const node = (path: string[]): unknown =>
    new Proxy(() => {}, {
      get: (_target, key) => (typeof key === "string" ? node([...path, key]) : undefined),
      apply: (_target, _this, args: unknown[]) => call(path, args[0]),
    });
  return node([]) as ReturnType<typeof import("@/server/api/root").createCaller>;
}

export function expectNoLeak(answer: SweptAnswer) {
  const what = `${answer.procedure} with ${answer.variant}: ${answer.status} ${answer.body.slice(0, 400)}`;
  expect(answer.status, what).not.toBe(500);
  expect(answer.body, what).not.toMatch(internals);
}

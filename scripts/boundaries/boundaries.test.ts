/**
 * The import-boundary check (.dependency-cruiser.cjs) run on small trees written to a temporary folder: a tree
 * breaking each rule must be rejected with that rule named, and a tree using every allowed arrow must pass.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const cruiser = path.join(repoRoot, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const config = path.join(repoRoot, ".dependency-cruiser.cjs");
const folderConfig = path.join(repoRoot, ".dependency-cruiser.folders.cjs");
const made: string[] = [];

/** Writes the files (path → source) under a fresh folder with a tsconfig that maps `@/…` as the app's does. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "recado-boundaries-"));
  made.push(root);
  const all: Record<string, string> = {
    "tsconfig.json": JSON.stringify({
      compilerOptions: { module: "esnext", moduleResolution: "bundler", jsx: "react-jsx", paths: { "@/*": ["./src/*"] } },
    }),
    ...files,
  };
  for (const [file, source] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), source);
  }
  return root;
}

/**
 * Runs the check as `npm run lint:boundaries` does (the text reporter, whose exit code is the number of errors)
 * and reads each violation back as "rule: from → to" (a cycle as its first step).
 */
function check(root: string, { rules = config, scan = "src" } = {}): { status: number | null; violations: string[]; output: string } {
  const result = spawnSync(process.execPath, [cruiser, scan, "--config", rules, "--output-type", "err"], {
    cwd: root,
    encoding: "utf8",
  });
  const output = `${result.stdout}${result.stderr}`;
  const violations = [...output.matchAll(/^\s*(error|warn|info) ([\w-]+): ([\s\S]*?)(?=\n\s*(?:error|warn|info) |\n\s*\n)/gm)].map(
    ([, severity, rule, body]) => {
      const [from, to] = body!.split("→").map((part) => part.trim());
      return `${severity} ${rule}: ${from} → ${to}`;
    },
  );
  return { status: result.status, violations, output };
}

const brokenTree = {
  // a cycle between two domains
  "src/server/health/health.ts": 'import { syncNumbers } from "@/server/numbers/sync";\nexport const checkHealth = () => syncNumbers();\n',
  "src/server/numbers/sync.ts": 'import { checkHealth } from "../health/health";\nexport const syncNumbers = (): unknown => checkHealth;\n',
  // a domain importing the wiring, the Inngest provider, a router, the app and the UI
  "src/server/wiring.ts": 'import { checkHealth } from "@/server/health/health";\nexport const jobs = [checkHealth];\n',
  "src/server/broadcasts/send.ts": [
    'import { jobs } from "@/server/wiring";',
    'import { inngest } from "@/server/inngest/client";',
    'import { router } from "@/server/api/root";',
    'import { page } from "@/app/page";',
    'import { Button } from "@/components/button";',
    "export const all = [jobs, inngest, router, page, Button];",
    "",
  ].join("\n"),
  "src/server/inngest/client.ts": "export const inngest = {};\n",
  "src/server/api/root.ts": 'import { all } from "@/server/broadcasts/send";\nexport const router = all;\n',
  "src/app/page.tsx": "export const page = 1;\n",
  // production server code using the simulator, and the simulator using server code
  "src/server/signup/popup.ts": 'import { control } from "@/meta-simulator/control";\nexport const popup = control;\n',
  "src/meta-simulator/control.ts": 'import { getEnv } from "@/server/env";\nexport const control = getEnv;\n',
  "src/server/env.ts": "export const getEnv = () => ({});\n",
  // a client component importing server code at run time, directly and through a helper it imports
  "src/components/button.tsx":
    '"use client";\nimport { getEnv } from "@/server/env";\nimport { label } from "./label";\nexport const Button = [getEnv, label];\n',
  "src/components/label.ts": 'import { getEnv } from "../server/env";\nexport const label = getEnv;\n',
  // an import that resolves to nothing
  "src/server/contacts/import.ts": 'import { missing } from "@/server/contacts/nowhere";\nexport const contacts = missing;\n',
};

const cleanTree = {
  "src/server/whatsapp/graph.ts": "export const graph = () => 1;\n",
  "src/server/numbers/sync.ts": 'import { graph } from "@/server/whatsapp/graph";\nexport const syncNumbers = () => graph();\n',
  "src/server/health/health.ts": 'import { syncNumbers } from "@/server/numbers/sync";\nexport const checkHealth = () => syncNumbers();\n',
  // a test of src/server drives the simulator; so does the shared test harness
  "src/server/health/health.test.ts": 'import { startSimulator } from "@/meta-simulator/server";\nexport const sim = startSimulator;\n',
  "src/test/world.ts": 'import { startSimulator } from "../meta-simulator/server";\nexport const world = startSimulator;\n',
  "src/meta-simulator/server.ts": "export const startSimulator = () => 1;\n",
  "src/server/wiring/index.ts": 'import { checkHealth } from "@/server/health/health";\nexport const jobs = [checkHealth];\n',
  "src/server/inngest/functions.ts": 'import { jobs } from "@/server/wiring";\nexport const functions = jobs;\n',
  "src/server/api/root.ts":
    'import { checkHealth } from "@/server/health/health";\nexport const appRouter = { checkHealth };\nexport type AppRouter = typeof appRouter;\n',
  "src/app/api/trpc/route.ts": 'import { appRouter } from "@/server/api/root";\nexport const GET = appRouter;\n',
  // a server component may import server code; a client component only its types
  "src/components/health-card.tsx": 'import { checkHealth } from "@/server/health/health";\nexport const HealthCard = checkHealth;\n',
  "src/components/health-badge.tsx": '"use client";\nimport type { AppRouter } from "@/server/api/root";\nexport type Badge = AppRouter;\n',
};

afterAll(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

describe("import-boundary check", () => {
  it("rejects a cycle, a domain importing the layers above it, the simulator crossing over and server code in a client module", () => {
    const { status, violations } = check(tree(brokenTree));

    expect(violations.sort()).toEqual(
      // Each cycle is reported once, from its first module.
      [
        "client-imports-server: src/components/button.tsx → src/server/env.ts",
        "client-imports-server: src/components/label.ts → src/server/env.ts",
        "domain-imports-upper-layer: src/server/broadcasts/send.ts → src/app/page.tsx",
        "domain-imports-upper-layer: src/server/broadcasts/send.ts → src/components/button.tsx",
        "domain-imports-upper-layer: src/server/broadcasts/send.ts → src/server/api/root.ts",
        "domain-imports-upper-layer: src/server/broadcasts/send.ts → src/server/inngest/client.ts",
        "domain-imports-upper-layer: src/server/broadcasts/send.ts → src/server/wiring.ts",
        "no-cycle-in-server: src/server/api/root.ts → src/server/broadcasts/send.ts",
        "no-cycle-in-server: src/server/health/health.ts → src/server/numbers/sync.ts",
        "server-imports-simulator: src/server/signup/popup.ts → src/meta-simulator/control.ts",
        "simulator-imports-server: src/meta-simulator/control.ts → src/server/env.ts",
        "unresolvable-import: src/server/contacts/import.ts → @/server/contacts/nowhere",
      ]
        .map((violation) => `error ${violation}`)
        .sort(),
    );
    expect(status).toBe(violations.length);
  });

  it("passes a tree whose arrows all point down, with type-only imports in a client module and the simulator in tests", () => {
    const { status, violations, output } = check(tree(cleanTree));

    expect(violations).toEqual([]);
    expect(output).toContain(`${Object.keys(cleanTree).length} modules`);
    expect(status).toBe(0);
  });
});

describe("folder layers of src/server", () => {
  // health → registration through one pair of files, registration → health through another: no file-level cycle
  const pairTree = {
    "src/server/registration/attempts.ts":
      'import { checkNumber } from "@/server/health/check";\nexport const attempt = () => checkNumber();\n',
    "src/server/health/check.ts": "export const checkNumber = () => 1;\n",
    "src/server/health/webhooks.ts": 'import { attempt } from "@/server/registration/attempts";\nexport const onName = () => attempt();\n',
  };

  it("rejects two folders that import each other through different files", () => {
    const { status, violations } = check(tree(pairTree), { rules: folderConfig, scan: "src/server" });
    expect(
      violations.some(
        (v) =>
          v.startsWith("error no-folder-cycle-in-server: src/server/health") ||
          v.startsWith("error no-folder-cycle-in-server: src/server/registration"),
      ),
    ).toBe(true);
    expect(status).toBeGreaterThan(0);
  });

  it("passes folders in layers, and a test file that composes the layer above its own", () => {
    const { status, violations } = check(
      tree({
        "src/server/registration/attempts.ts": pairTree["src/server/registration/attempts.ts"],
        "src/server/health/check.ts": pairTree["src/server/health/check.ts"],
        "src/server/health/check.test.ts": 'import { attempt } from "@/server/registration/attempts";\nexport const probe = attempt;\n',
      }),
      { rules: folderConfig, scan: "src/server" },
    );
    expect(violations).toEqual([]);
    expect(status).toBe(0);
  });
});

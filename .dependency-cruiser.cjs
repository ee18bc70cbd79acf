// Import boundaries of Recado (README "Where things are": arrows point one way). Run with `npm run lint:boundaries`;
// scripts/boundaries/boundaries.test.ts proves each rule rejects what it is meant to reject.
// Paths are relative to the working directory (the repository root, or a fixture tree in that test).
const { existsSync, readdirSync, readFileSync, statSync } = require("node:fs");
const path = require("node:path");

const TEST_FILE = "\\.test\\.tsx?$";
// The wiring module lists every job and webhook handler; it may be a file or a folder.
const WIRING = "^src/server/wiring(\\.ts$|/)";
// Layers above the domains: the tRPC/REST layer, the wiring, the Inngest provider, the Next app and its UI.
const ABOVE_DOMAINS = ["^src/server/api/", WIRING, "^src/server/inngest/", "^src/app/", "^src/components/"];

/**
 * Client modules: files whose first statement is "use client", plus every module under src/app or
 * src/components that one of them imports at run time (it is bundled for the browser too). Found by reading
 * the sources, because dependency-cruiser has no notion of a directive; the list becomes a path rule below.
 */
function clientModules(root) {
  const sourceFiles = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|tsx|js|jsx|mjs)$/.test(name) && !/\.test\.tsx?$/.test(name)) sourceFiles.push(full);
    }
  };
  walk(path.join(root, "src"));
  const relative = (file) => path.relative(root, file).split(path.sep).join("/");
  const known = new Set(sourceFiles.map(relative));
  const resolveLocal = (fromFile, specifier) => {
    let base;
    if (specifier.startsWith("@/")) base = `src/${specifier.slice(2)}`;
    else if (specifier.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
    else return undefined;
    const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`];
    return candidates.find((candidate) => known.has(candidate));
  };
  const runtimeImports = (file) => {
    const source = readFileSync(path.join(root, file), "utf8");
    const found = [];
    // `import type …` and `export type …` vanish at compile time; everything else is bundled.
    const pattern = /(?:^|\n)\s*(?:import|export)\s+(?!type\s)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/g;
    for (const match of source.matchAll(pattern)) {
      const target = resolveLocal(file, match[1]);
      if (target) found.push(target);
    }
    return found;
  };
  const isClientEntry = (file) =>
    /^\s*(?:(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/)\s*)*["']use client["']/.test(readFileSync(path.join(root, file), "utf8"));
  const client = new Set([...known].filter(isClientEntry));
  const queue = [...client];
  while (queue.length > 0) {
    for (const target of runtimeImports(queue.pop())) {
      if (!client.has(target) && /^src\/(app|components)\//.test(target)) {
        client.add(target);
        queue.push(target);
      }
    }
  }
  return [...client].sort();
}

const escape = (file) => `^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
const clientFiles = clientModules(process.cwd()).map(escape);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycle-in-server",
      severity: "error",
      comment: "A cycle inside src/server means two modules cannot be understood, tested or moved apart. Layer them.",
      from: { path: "^src/server/" },
      to: { path: "^src/server/", circular: true },
    },
    {
      name: "domain-imports-upper-layer",
      severity: "error",
      comment:
        "A domain (a folder of src/server other than api/, the wiring and inngest/) is called by the layers above it " +
        "and never calls them: not the routers, not the wiring, not the Inngest provider, not the app or its UI. " +
        "A domain's test files may compose the layers above it (they run its jobs through both providers).",
      from: { path: "^src/server/(?!api/|inngest/|wiring(\\.ts$|/))[^/]+/", pathNot: TEST_FILE },
      to: { path: ABOVE_DOMAINS },
    },
    {
      name: "server-imports-simulator",
      severity: "error",
      comment:
        "Production code talks to Meta only through the Graph client; the simulator is a stand-in for Meta. " +
        "Test files of src/server are exempt (they drive the simulator), and so is src/test/.",
      from: { path: "^src/server/", pathNot: TEST_FILE },
      to: { path: "^src/meta-simulator/" },
    },
    {
      name: "simulator-imports-server",
      severity: "error",
      comment: "The simulator behaves like Meta and knows nothing of Recado: it never imports src/server.",
      from: { path: "^src/meta-simulator/" },
      to: { path: "^src/server/" },
    },
    {
      name: "client-imports-server",
      severity: "error",
      comment:
        'A client module ("use client", or imported by one from src/app or src/components) is sent to the browser: ' +
        "server code there leaks secrets or breaks the build. Type-only imports are erased and allowed.",
      from: { path: clientFiles.length > 0 ? clientFiles : ["^$"] },
      to: { path: "^src/server/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "unresolvable-import",
      severity: "error",
      comment: "An import the check cannot resolve is one it cannot judge (a typo, or an alias missing from tsconfig).",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/generated/" },
    // Keep type-only imports in the graph so that the client rule can tell them apart (and a type-only cycle
    // still counts: it ties two domains together just the same).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

// ESLint: Next's rules (next, react, react-hooks, import, jsx-a11y) and typescript-eslint's recommended set,
// with Prettier owning the layout. Errors are for what breaks at run time or hides a bug; style is Prettier's.
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

const config = [
  { ignores: ["src/generated/**", ".next/**", ".data/**", "test-results/**", "playwright-report/**", "coverage/**", "next-env.d.ts"] },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    files: ["**/*.{js,jsx,mjs,ts,tsx,mts,cts}"], // where Next's config loads the react-hooks plugin
    rules: {
      // Next's TypeScript preset lowers these to warnings; an unused binding is dead code or a forgotten use.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/no-unused-expressions": "error",
      // A missing dependency is a stale value in an effect or callback: a bug, not a style question.
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    // Server, simulator, test and tooling code renders no React: a function called use… there is a test helper
    // (useOwnDatabase) or a Playwright fixture's `use`, not a hook.
    files: ["src/server/**", "src/meta-simulator/**", "src/test/**", "scripts/**", "prisma/**", "e2e/**", "**/*.test.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // CommonJS config files (dependency-cruiser's) load their modules with require.
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Tool configs export their object as the tool's docs show.
    files: ["*.config.{js,mjs,cjs,ts}"],
    rules: { "import/no-anonymous-default-export": "off" },
  },
  prettier,
];

export default config;

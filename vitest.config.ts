import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  test: {
    include: ["src/**/*.test.ts", "prisma/**/*.test.ts", "scripts/**/*.test.ts"],
    environment: "node",
    globalSetup: ["./src/test/global-setup.ts"],
    setupFiles: ["./src/test/setup-env.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share one freshly migrated database per run; files run one at a time so their
    // rows never race each other (2 cores: parallel files would not be faster anyway).
    fileParallelism: false,
  },
});

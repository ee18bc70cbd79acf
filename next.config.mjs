/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (pg pools and PGlite's WebAssembly load from node_modules).
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@electric-sql/pglite"],
  // Each test run builds into its own folder when asked, so a running dev server is never disturbed.
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

export default nextConfig;

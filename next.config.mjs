/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (pg pools and PGlite's WebAssembly load from node_modules).
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@electric-sql/pglite"],
};

export default nextConfig;

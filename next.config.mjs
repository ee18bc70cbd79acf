import createNextIntlPlugin from "next-intl/plugin";

// next-intl reads each request's language and translations from src/i18n/request.ts (README "Languages").
const withNextIntl = createNextIntlPlugin("./src/i18n/request.ts");

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `next dev` serves its scripts only to the origins it knows: without this a page opened at 127.0.0.1 (not
  // localhost) never hydrates and its forms fall back to plain HTML submits.
  allowedDevOrigins: ["127.0.0.1", "localhost", "[::1]"],
  // Server-only packages that must not be bundled (pg pools and PGlite's WebAssembly load from node_modules).
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@electric-sql/pglite"],
};

export default withNextIntl(nextConfig);

// This machine's npm registry mirror does not serve every platform build of native packages (e.g.
// @next/swc-darwin-arm64), so `npm install` here leaves them out of package-lock.json and `npm ci` then
// refuses the lockfile as out of sync. This adds the missing optional platform packages as lockfile entries
// restricted to their os/cpu: npm ci skips them on other platforms and fetches them by version where they apply.
// Run after changing dependencies: `node scripts/lockfile-platform-stubs.mjs`.
import { readFileSync, writeFileSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const platform = (name) => {
  const os =
    ["darwin", "win32", "linux", "freebsd", "android", "openbsd", "sunos", "aix", "netbsd"].find((o) => name.includes(`-${o}`)) ??
    (name.includes("-wasm32") ? null : undefined);
  const cpu = ["arm64", "x64", "ia32", "arm", "wasm32", "s390x", "ppc64", "riscv64", "loong64", "mips64el"].find((c) =>
    new RegExp(`-${c}(-|$)`).test(name),
  );
  return { os, cpu };
};
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    const nested = `${path}/node_modules/${dep}`;
    if (lock.packages[key] || lock.packages[nested]) continue;
    const { os, cpu } = platform(dep);
    lock.packages[key] = {
      version,
      optional: true,
      ...(entry.dev ? { dev: true } : {}),
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
    };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");
console.log(`added ${added} platform stub(s)`);

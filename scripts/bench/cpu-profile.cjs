/**
 * Preloaded with `--require` (NODE_OPTIONS allows it, unlike --cpu-prof) by bench:webhooks when BENCH_CPU_PROF is
 * set: in the `next start` process only, records a V8 CPU profile from start-up and writes it as
 * <BENCH_CPU_PROF>/next-server.cpuprofile when the process exits.
 */
const { Session } = require("node:inspector");
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");

const dir = process.env.BENCH_CPU_PROF;
const isNextStart = /[\\/]next(\.js)?$/.test(process.argv[1] ?? "") && process.argv.includes("start");
if (dir && isNextStart) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  process.on("exit", () => {
    // a session on this thread answers synchronously, so this completes before the process ends
    session.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(join(dir, "next-server.cpuprofile"), JSON.stringify(result.profile));
    });
  });
}

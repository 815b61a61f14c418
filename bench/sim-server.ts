/**
 * The simulated government web in its own process, so a benchmark measures the crawler and not
 * the server's page rendering. Prints `{"port":N,"seeds":[…]}` on one line, serves until killed.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startSimServer } from "../src/sim/server.js";
import { buildSimWeb, seeds } from "../src/sim/web.js";

const sites = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 1);
const web = buildSimWeb({ sites, seed, years: [2021, 2022, 2023] });
// Compiled into .bench-build/bench/: the sample files the pages serve are two levels up.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const server = await startSimServer(web, { root });
process.stdout.write(
  `${JSON.stringify({ port: server.port, seeds: seeds(web), reports: web.sites.length })}\n`,
);
const stop = () => {
  server.close().then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

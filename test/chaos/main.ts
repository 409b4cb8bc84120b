// npm run chaos [-- --placements 2000 --replicas 2 --kill-every-ms 3000 --concurrency 24 --fault-rate 0.3 --seed N]
import { parseArgs } from "node:util";
import { runChaos } from "./runChaos.js";

const { values } = parseArgs({
  options: {
    placements: { type: "string", default: "2000" },
    replicas: { type: "string", default: "2" },
    "kill-every-ms": { type: "string", default: "3000" },
    concurrency: { type: "string", default: "24" },
    "fault-rate": { type: "string", default: "0.3" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
  },
});
const options = {
  placements: Number(values.placements),
  replicas: Number(values.replicas),
  killEveryMs: Number(values["kill-every-ms"]),
  concurrency: Number(values.concurrency),
  faultRate: Number(values["fault-rate"]),
  seed: Number(values.seed),
  log: (line: string) => console.error(line),
};
console.error(`chaos: ${JSON.stringify({ ...options, log: undefined })}`);
const report = await runChaos(options);
console.log(JSON.stringify(report, null, 2));
console.log(
  `command: npm run chaos -- --placements ${options.placements} --replicas ${options.replicas} --kill-every-ms ${options.killEveryMs} --concurrency ${options.concurrency} --fault-rate ${options.faultRate} --seed ${options.seed}`,
);
process.exit(report.violations.length === 0 ? 0 : 1);

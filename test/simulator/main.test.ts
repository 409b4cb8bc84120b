import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { airmilesOrder, http, apiBody } from "./helpers.js";

describe("standalone simulator process", () => {
  it("prints its apiUrl, serves requests and exits on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/simulator/main.ts"], {
      env: { ...process.env, PORT: "0", SIM_ACCESS_TOKEN: "standalone-token" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const [firstLine] = (await once(lines, "line")) as [string];
      const announced = JSON.parse(firstLine) as { simulator: string; apiUrl: string };
      expect(announced.simulator).toBe("listening");
      expect(announced.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/chef\/v1\/oauth\/api$/);

      const result = await http(announced.apiUrl, {
        body: apiBody("placeOrder", airmilesOrder()),
        headers: { authorization: "Bearer standalone-token" },
      });
      expect(result.status).toBe(200);

      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});

// The production entry (src/index.ts, dist/index.js in the image) carries no simulator: without XOXODAY_API_URL it
// refuses to start even outside production, saying why; the development entry (npm start) starts one.
import { afterAll, describe, expect, it } from "vitest";
import { startService, stopAllServices } from "../support/serviceProcess.js";

afterAll(stopAllServices);

describe("entries", () => {
  it("the production entry refuses to start without XOXODAY_API_URL", async () => {
    const service = startService(
      { NODE_ENV: "development", PORT: "0", DATABASE_URL: "sqlite::memory:" },
      { entry: "src/index.ts" },
    );
    expect(await service.exited).toBe(1);
    expect(service.stderr()).toMatch(
      /failed to start: XOXODAY_API_URL is not set and this entry has no built-in Plum simulator/,
    );
    expect(service.stdout()).not.toMatch(/BUILT-IN PLUM SIMULATOR/);
  });

  it("the development entry starts on the built-in simulator", async () => {
    const service = startService({
      NODE_ENV: "development",
      PORT: "0",
      SIMULATOR_PORT: "0",
      DATABASE_URL: "sqlite::memory:",
    });
    const url = await service.listening();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(service.stderr()).toMatch(/DEVELOPMENT MODE against the BUILT-IN PLUM SIMULATOR/);
    expect(await service.stop()).toBe(0);
  });
});

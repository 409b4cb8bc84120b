// Production entry (dist/index.js in the image): the app on the configured Plum. It carries no simulator: without
// XOXODAY_API_URL it refuses to start (development runs src/dev/main.ts, `npm start`).
import "reflect-metadata";
import { startApp } from "./server/app.js";
import { serve } from "./server/serve.js";

serve((config) => startApp(config));

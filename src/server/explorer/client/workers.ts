// Monaco's web workers, served by this service (scripts/build-explorer.ts bundles each one next to explorer.js):
// GraphiQL's own set-ups load them from a bundler's worker import or from esm.sh, neither of which works here.
// (monaco-editor's types declare self.MonacoEnvironment.)
import type {} from "monaco-editor";

export function setUpWorkers(assetsUrl: string): void {
  self.MonacoEnvironment = {
    getWorker(_workerId: string, label: string) {
      const name = label === "json" ? "json.worker.js" : label === "graphql" ? "graphql.worker.js" : "editor.worker.js";
      return new Worker(`${assetsUrl}${name}`);
    },
  };
}

// What the explorer page hands its script (in a JSON data block, so it passes the page's content security policy).
export interface ExplorerSettings {
  /** Where operations go: this service's /graphql. */
  endpoint: string;
  /** Where explorer.js finds its workers. */
  assetsUrl: string;
  /** The README's operations, one tab each. */
  examples: string[];
  /** The header template: Router-Authorization and Authorization, values left for the user. */
  headers: Record<string, string>;
  /** Apollo's embedded Sandbox on this same service (its code comes from Apollo's CDN). */
  apolloSandboxUrl: string;
}

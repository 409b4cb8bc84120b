// Where the Plum client gets its bearer token. The static source serves a configured token (or the simulator's);
// TokenManager (tokenManager.ts) adds persisted, single-flight refresh.
export interface AccessTokenSource {
  current(): Promise<string>;
  /** Plum rejected `rejected` as invalid or expired: return a newer token, or null when none can be had. */
  renew(rejected: string): Promise<string | null>;
}

export class StaticTokenSource implements AccessTokenSource {
  constructor(private readonly token: string) {}

  current(): Promise<string> {
    return Promise.resolve(this.token);
  }

  renew(): Promise<string | null> {
    return Promise.resolve(null);
  }
}

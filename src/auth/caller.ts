// Who is calling, as the verified JWT says, and what that lets them see.

export const Scope = {
  write: "orders:write",
  read: "orders:read",
  admin: "orders:admin",
} as const;
export type ScopeName = (typeof Scope)[keyof typeof Scope];

export interface Caller {
  /** The JWT's `sub`; null when auth is off. */
  subject: string | null;
  scopes: ReadonlySet<string>;
  /** false when no token was presented (or auth is off). */
  authenticated: boolean;
}

/** Auth off (development only): every caller may do everything, and no subject is recorded. */
export const UNRESTRICTED_CALLER: Caller = Object.freeze({
  subject: null,
  scopes: new Set<string>(Object.values(Scope)),
  authenticated: false,
});

export const ANONYMOUS_CALLER: Caller = Object.freeze({
  subject: null,
  scopes: new Set<string>(),
  authenticated: false,
});

/** Orders are visible to the subject who placed them, and to admins. */
export function canSee(caller: Caller, record: { subject: string | null }): boolean {
  if (caller.scopes.has(Scope.admin)) return true;
  return caller.subject !== null && record.subject === caller.subject;
}

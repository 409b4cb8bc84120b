// Text that every store and log can hold as it is: well-formed Unicode (no lone surrogate, which PostgreSQL refuses
// with the value in its error) and no control characters (NUL included), unless a field allows some.
// With the `u` flag a surrogate pair is one code point, so \p{Cs} matches lone surrogates only.
const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL = /\p{Cc}/u;

export function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** Well-formed and free of control characters (tab, newline and NUL included). */
export function isCleanText(value: string): boolean {
  return isWellFormed(value) && !CONTROL.test(value);
}

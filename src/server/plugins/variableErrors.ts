// graphql-js quotes the submitted value in variable-coercion errors and in literal validation errors (`Variable "$input" got invalid value
// {email: "…"}`), which would put personal data in error responses and in whatever logs them downstream. The
// message is rebuilt from the parts that never hold a submitted value: the variable, the path and the reason.
const VARIABLE = /^Variable "(\$\w+)" got invalid value /;
const PATH = / at "([\w.[\]]+)"; /;
const REASONS: readonly RegExp[] = [
  /Field "\w+" of required type "[\w![\]]+" was not provided/,
  /Field "\w+" is not defined by type "\w+"/,
  /\w+ cannot represent (?:a )?[\w -]+? value/,
  /Expected type "[\w![\]]+"/,
  /does not exist in "\w+" enum/,
];

/** The message without the submitted value, or the message unchanged when it is not a variable-coercion error. */
export function withoutSubmittedValue(message: string): string {
  const variable = VARIABLE.exec(message)?.[1];
  if (variable === undefined) return message;
  const path = PATH.exec(message)?.[1];
  const reason = REASONS.map((pattern) => pattern.exec(message)?.[0]).find((match) => match !== undefined);
  return `Variable "${variable}" has an invalid value${path ? ` at "${path}"` : ""}: ${reason ?? "it does not match the input type"}.`;
}

const LITERAL_VALUE = /^(\w+ cannot represent (?:a )?[\w -]+? value): .*$/s;
const ENUM_VALUE = /^Value .* does not exist in ("\w+" enum)\.$/s;

/** A validation message about an inline literal, without the literal ("Int cannot represent non-integer value."). */
export function withoutLiteralValue(message: string): string {
  const literal = LITERAL_VALUE.exec(message);
  if (literal) return `${literal[1]}.`;
  const enumValue = ENUM_VALUE.exec(message);
  return enumValue ? `Value does not exist in ${enumValue[1]}.` : message;
}

// graphql-js ends a syntax error with the token it met, its value quoted raw (quotes inside it are not escaped),
// or with the offending characters after a colon.
const TOKEN_VALUE = /\b(String|BlockString|Name|Int|Float) ".*"\.?$/s;
const CHARACTERS = /: ".*"\.?$/s;

/**
 * A syntax error without the offending token's value: `found String "someone@example.com".` becomes `found String.`,
 * `Unexpected character: "@".` becomes `Unexpected character.`. Punctuators the parser expected (`Expected ":"`) stay.
 */
export function withoutTokenValue(message: string): string {
  return message.replace(TOKEN_VALUE, "$1.").replace(CHARACTERS, ".");
}

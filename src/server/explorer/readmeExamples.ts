// The README's runnable examples, read from its Markdown: fenced ```graphql blocks, inline `query { … }` /
// `mutation { … }` spans, and the `curl` commands of ```sh blocks. The explorer preloads the GraphQL ones
// (scripts/build-explorer.ts) and test/readme/readmeExamples.test.ts runs all of them, in README order.

export interface GraphqlExample {
  kind: "graphql";
  /** 1-based line in the README, for failure messages. */
  line: number;
  query: string;
  /** A `# expects "text"` comment line in the block: the answer must contain the text, and may carry payload errors
   * (an example that shows an expected business failure, such as a pending placement's OUTCOME_UNKNOWN). */
  expects?: string;
}

export interface CurlExample {
  kind: "curl";
  line: number;
  /** One shell command (continuation lines joined, trailing comment removed). */
  command: string;
  /** A trailing comment that is just a quoted string (`# "delivered"`): text the answer must contain. */
  expects?: string;
}

export type ReadmeExample = GraphqlExample | CurlExample;

const FENCE = /^```(\w*)\s*$/;
const GRAPHQL_EXPECTS = /^\s*# expects "([^"]+)"\s*$/;
const INLINE_OPERATION = /`((?:query|mutation)\s*(?:\w+\s*)?(?:\([^`]*\))?\s*\{[^`]*\})`/g;

/** Splits off a ` # comment` that is outside quotes (the README annotates commands that way). */
function splitComment(line: string): { text: string; comment: string } {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quote !== null) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === "#" && (i === 0 || /\s/.test(line[i - 1] ?? ""))) {
      return { text: line.slice(0, i).trimEnd(), comment: line.slice(i + 1).trim() };
    }
  }
  return { text: line.trimEnd(), comment: "" };
}

function curlCommands(block: string[], firstLine: number): CurlExample[] {
  const commands: CurlExample[] = [];
  let current: { line: number; parts: string[]; expects?: string } | null = null;
  block.forEach((raw, index) => {
    const { text, comment } = splitComment(raw);
    const continued = text.endsWith("\\");
    const part = continued ? text.slice(0, -1).trim() : text.trim();
    if (current === null) {
      if (!/^curl\s/.test(part)) return;
      current = { line: firstLine + index, parts: [] };
    }
    current.parts.push(part);
    const expected = /^"([^"]+)"$/.exec(comment)?.[1];
    if (expected !== undefined) current.expects = expected;
    if (!continued) {
      commands.push({
        kind: "curl",
        line: current.line,
        command: current.parts.join(" "),
        ...(current.expects === undefined ? {} : { expects: current.expects }),
      });
      current = null;
    }
  });
  return commands;
}

export function readmeExamples(markdown: string): ReadmeExample[] {
  const lines = markdown.split("\n");
  const examples: ReadmeExample[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const fence = FENCE.exec(lines[i] ?? "");
    if (fence === null) {
      for (const match of (lines[i] ?? "").matchAll(INLINE_OPERATION)) {
        examples.push({ kind: "graphql", line: i + 1, query: match[1] ?? "" });
      }
      continue;
    }
    const language = fence[1] ?? "";
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? "")) end += 1;
    const block = lines.slice(start, end);
    if (language === "graphql") {
      const expects = block.map((line) => GRAPHQL_EXPECTS.exec(line)?.[1]).find((text) => text !== undefined);
      examples.push({
        kind: "graphql",
        line: start + 1,
        query: block.join("\n").trim(),
        ...(expects === undefined ? {} : { expects }),
      });
    }
    if (language === "sh" || language === "bash") examples.push(...curlCommands(block, start + 1));
    i = end;
  }
  return examples;
}

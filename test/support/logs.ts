// Captures the service's JSON log lines in memory, so tests can assert on them (and on what must not be there).
import { Writable } from "node:stream";

export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") this.lines.push(line);
    callback();
  }

  get text(): string {
    return this.lines.join("\n");
  }

  records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

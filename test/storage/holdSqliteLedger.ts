// Child process for sqliteSingleWriter.test.ts: `node --import tsx test/storage/holdSqliteLedger.ts <file>
// [token]` opens the SQLite ledger at <file> the way the service does (openLedger("sqlite:<file>")), stores
// [token] as the Plum access token if given, prints one JSON line {"event":"open","pid","accessToken"} (the token
// it read back), and holds the ledger until SIGTERM (then closes it and exits 0).
// Refused because the file is in use: prints the error's message on stderr and exits 3. Anything else: exits 1.
import { openLedger } from "../../src/storage/openLedger.js";
import { SqliteLedgerInUseError } from "../../src/storage/sqlite/SqliteLedgerInUseError.js";

const REFUSED_EXIT_CODE = 3; // sqliteSingleWriter.test.ts expects this code

async function main(): Promise<void> {
  const [file, token] = process.argv.slice(2);
  if (file === undefined) throw new Error("usage: holdSqliteLedger.ts <file> [token]");
  let ledger;
  try {
    ledger = await openLedger(`sqlite:${file}`);
  } catch (error) {
    if (!(error instanceof SqliteLedgerInUseError)) throw error;
    process.stderr.write(`refused: ${error.message}\n`);
    process.exit(REFUSED_EXIT_CODE);
  }
  if (token !== undefined) {
    const now = new Date();
    const stored = {
      accessToken: token,
      refreshToken: null,
      accessTokenExpiresAt: null,
      refreshTokenExpiresAt: null,
      updatedAt: now,
    };
    await ledger.withTokenLock(async () => ({ store: stored, result: undefined }));
  }
  const accessToken = (await ledger.getTokens())?.accessToken ?? null;
  process.stdout.write(`${JSON.stringify({ event: "open", pid: process.pid, accessToken })}\n`);
  const held = ledger;
  process.once("SIGTERM", () => {
    held.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  setInterval(() => undefined, 60_000); // keep the process (and the ledger) alive until signalled
}

main().catch((error: unknown) => {
  process.stderr.write(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

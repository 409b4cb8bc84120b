// A schema change, applied once per database and recorded in schema_migrations.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Throws unless versions are positive integers in strictly increasing order (a list edited out of order). */
export function assertOrdered(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(`migration ${migration.version} (${migration.name}) is out of order`);
    }
    previous = migration.version;
  }
}

/** Versions recorded under a different name mean the code and the database disagree about history. */
export function assertSameHistory(migrations: readonly Migration[], applied: ReadonlyMap<number, string>): void {
  for (const migration of migrations) {
    const name = applied.get(migration.version);
    if (name !== undefined && name !== migration.name) {
      throw new Error(
        `migration ${migration.version} was applied as "${name}" but the code calls it "${migration.name}"`,
      );
    }
  }
}

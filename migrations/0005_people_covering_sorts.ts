// The people list's sort indexes also carry the columns lists most often filter on (city, owner, lifecycle stage)
// and deleted_at, so a filtered page walked along its sort's index checks those filters inside the index and reads
// only the rows that pass (src/records/list-query.ts, coveredFields). A new person still writes one page per index.
import { sql, type Kysely } from 'kysely';

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The sort indexes of migrations/0002_records.ts: name, columns. */
const SORTS: [string, string][] = [
  ['last_name', 'last_name, first_name'],
  ['first_name', 'first_name'],
  ['primary_email', 'primary_email'],
  ['updated_at', 'updated_at'],
  ['created_at', 'created_at'],
  ['last_activity', 'last_activity_at'],
];

export async function up(db: AnyDb): Promise<void> {
  for (const [name, columns] of SORTS) {
    await sql.raw(`DROP INDEX people_${name}`).execute(db);
    await sql
      .raw(
        `CREATE INDEX people_${name} ON people (${columns}, id, address_city, owner_id, lifecycle_stage, deleted_at)
          WHERE deleted_at IS NULL`,
      )
      .execute(db);
  }
}

// Records: people, companies, activities, notes, tasks, tags, custom field definitions, saved views,
// and the index from records to the audit entries that touched them (for timelines).
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The columns every record carries (DESIGN.md "Data"). */
function recordColumns<T extends string, C extends string>(table: CreateTableBuilder<T, C>) {
  return table
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('owner_id', 'text');
}

const nocase = sql`collate nocase`;
/** Link tables are looked up by their whole key: storing them as the key's B-tree alone saves a third of their size. */
const withoutRowid = sql`without rowid`;

export async function up(db: AnyDb): Promise<void> {
  // People. Emails and phones live as JSON on the row (one read per record) and emails also in
  // person_emails, so an address finds its person through an index (duplicates, mail matching).
  await recordColumns(
    db.schema
      .createTable('people')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('first_name', 'text', (c) => c.notNull().defaultTo('').modifyEnd(nocase))
      .addColumn('last_name', 'text', (c) => c.notNull().defaultTo('').modifyEnd(nocase))
      .addColumn('title', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('emails', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('phones', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('primary_email', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('primary_phone', 'text')
      .addColumn('address_street', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('address_city', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('address_region', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('address_postal_code', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('address_country', 'text')
      .addColumn('website', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('lifecycle_stage', 'text')
      .addColumn('source', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('consent_marketing', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('consent_at', 'bigint')
      .addColumn('consent_basis', 'text')
      .addColumn('custom', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('last_activity_at', 'bigint'),
  )
    .addColumn('deleted_at', 'bigint')
    .execute();

  // "Name contains" and "email contains" on the people list, answered from a trigram index instead of a scan of
  // every person (the list's quick search). Kept in step with people by triggers; inside the encrypted file.
  await sql`CREATE VIRTUAL TABLE people_text USING fts5(name, emails, tokenize = 'trigram remove_diacritics 1')`.execute(
    db,
  );
  const peopleText = (row: 'NEW') =>
    sql.raw(`INSERT INTO people_text (rowid, name, emails) VALUES (${row}.rowid, ${row}.first_name || ' ' || ${row}.last_name,
      (SELECT coalesce(group_concat(json_extract(e.value, '$.address'), ' '), '') FROM json_each(${row}.emails) e))`);
  await sql`CREATE TRIGGER people_text_insert AFTER INSERT ON people BEGIN ${peopleText('NEW')}; END`.execute(db);
  await sql`CREATE TRIGGER people_text_update AFTER UPDATE OF first_name, last_name, emails ON people BEGIN
    DELETE FROM people_text WHERE rowid = OLD.rowid; ${peopleText('NEW')}; END`.execute(db);
  await sql`CREATE TRIGGER people_text_delete AFTER DELETE ON people BEGIN
    DELETE FROM people_text WHERE rowid = OLD.rowid; END`.execute(db);

  await db.schema
    .createTable('person_emails')
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull().modifyEnd(nocase))
    .addPrimaryKeyConstraint('person_emails_pk', ['person_id', 'position'])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema.createIndex('person_emails_address').on('person_emails').columns(['address']).execute();

  await recordColumns(
    db.schema
      .createTable('companies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().modifyEnd(nocase))
      .addColumn('domains', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('primary_domain', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('industry', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('size', 'text')
      .addColumn('phone', 'text')
      .addColumn('address_street', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('address_city', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('address_region', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('address_postal_code', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('address_country', 'text')
      .addColumn('website', 'text', (c) => c.modifyEnd(nocase))
      .addColumn('custom', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('last_activity_at', 'bigint'),
  )
    .addColumn('deleted_at', 'bigint')
    .execute();

  await db.schema
    .createTable('company_domains')
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('domain', 'text', (c) => c.notNull().modifyEnd(nocase))
    .addPrimaryKeyConstraint('company_domains_pk', ['company_id', 'domain'])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema.createIndex('company_domains_domain').on('company_domains').columns(['domain']).execute();

  await db.schema
    .createTable('person_companies')
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('role', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_companies_pk', ['person_id', 'company_id'])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema
    .createIndex('person_companies_company')
    .on('person_companies')
    .columns(['company_id', 'person_id'])
    .execute();

  // Activities, notes and tasks, linked to any number of people, companies and (later) deals.
  await recordColumns(
    db.schema
      .createTable('activities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull().defaultTo('').modifyEnd(nocase))
      .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('occurred_at', 'bigint', (c) => c.notNull())
      .addColumn('duration_minutes', 'integer')
      .addColumn('outcome', 'text'),
  )
    .addColumn('deleted_at', 'bigint')
    .execute();

  await recordColumns(
    db.schema
      .createTable('notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('body', 'text', (c) => c.notNull()),
  )
    .addColumn('deleted_at', 'bigint')
    .execute();

  await recordColumns(
    db.schema
      .createTable('tasks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull().modifyEnd(nocase))
      .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('due_at', 'bigint')
      .addColumn('remind_at', 'bigint')
      .addColumn('reminded_at', 'bigint')
      .addColumn('assignee_id', 'text')
      .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('completed_at', 'bigint'),
  )
    .addColumn('deleted_at', 'bigint')
    .execute();

  // item (activity | note | task) -> record (person | company | deal)
  await db.schema
    .createTable('links')
    .addColumn('item_type', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('links_pk', ['item_type', 'item_id', 'record_type', 'record_id'])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema
    .createIndex('links_record')
    .on('links')
    .columns(['record_type', 'record_id', 'item_type', 'item_id'])
    .execute();

  await db.schema
    .createTable('tags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique().modifyEnd(nocase))
    .addColumn('color', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();

  await db.schema
    .createTable('record_tags')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('tag_id', 'text', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('record_tags_pk', ['entity', 'record_id', 'tag_id'])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema.createIndex('record_tags_tag').on('record_tags').columns(['tag_id', 'entity', 'record_id']).execute();

  await recordColumns(
    db.schema
      .createTable('field_definitions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('help_text', 'text')
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('archived_at', 'bigint'),
  )
    .addUniqueConstraint('field_definitions_entity_key', ['entity', 'key'])
    .execute();

  await recordColumns(
    db.schema
      .createTable('views')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('filter', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('sort', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('columns', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0)),
  ).execute();

  // Which audit entries touched which record: the timeline's "changes" without scanning the log.
  await db.schema
    .createTable('audit_records')
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('audit_seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_records_pk', ['record_id', 'audit_seq'])
    .modifyEnd(withoutRowid)
    .execute();
  await sql`INSERT INTO audit_records (record_id, audit_seq)
    SELECT DISTINCT j.value, a.seq FROM audit_log a, json_each(a.record_ids) j`.execute(db);

  // List indexes: every live-record list query says `deleted_at IS NULL`, so partial indexes serve them.
  const live = (table: string, name: string, columns: string) =>
    sql.raw(`CREATE INDEX ${table}_${name} ON ${table} (${columns}, id) WHERE deleted_at IS NULL`).execute(db);
  await live('people', 'last_name', 'last_name, first_name');
  await live('people', 'first_name', 'first_name');
  await live('people', 'primary_email', 'primary_email');
  await live('people', 'updated_at', 'updated_at');
  await live('people', 'created_at', 'created_at');
  await live('people', 'lifecycle_stage', 'lifecycle_stage, last_name');
  await live('people', 'owner', 'owner_id, last_name');
  await live('people', 'last_activity', 'last_activity_at');
  await live('people', 'city', 'address_city');
  await sql`CREATE INDEX people_trash ON people (deleted_at) WHERE deleted_at IS NOT NULL`.execute(db);
  await live('companies', 'name', 'name');
  await live('companies', 'updated_at', 'updated_at');
  await live('companies', 'created_at', 'created_at');
  await live('companies', 'industry', 'industry, name');
  await live('companies', 'owner', 'owner_id, name');
  await live('companies', 'last_activity', 'last_activity_at');
  await sql`CREATE INDEX companies_trash ON companies (deleted_at) WHERE deleted_at IS NOT NULL`.execute(db);
  await live('activities', 'occurred_at', 'occurred_at');
  await live('notes', 'created_at', 'created_at');
  // Task views: open tasks by due date with undated ones last (the order tasks.list uses), done ones by completion.
  await sql`CREATE INDEX tasks_due_order ON tasks (done, coalesce(due_at, 253402300800000), id) WHERE deleted_at IS NULL`.execute(
    db,
  );
  await live('tasks', 'done_order', 'done, completed_at');
  await live('tasks', 'assignee', 'assignee_id, done, due_at');
  await sql`CREATE INDEX tasks_reminders ON tasks (remind_at) WHERE reminded_at IS NULL AND done = 0 AND deleted_at IS NULL AND remind_at IS NOT NULL`.execute(
    db,
  );
  for (const table of ['activities', 'notes', 'tasks']) {
    await sql.raw(`CREATE INDEX ${table}_trash ON ${table} (deleted_at) WHERE deleted_at IS NOT NULL`).execute(db);
  }
}

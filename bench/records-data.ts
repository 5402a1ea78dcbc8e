// The records data set: 100k people, 20k companies, 300k activities, 100k notes and 50k tasks, made from a
// seeded PRNG (the same rows on every run) and written straight into a real, migrated, encrypted data
// folder with prepared statements (going through the API would take minutes and measure nothing new).
import type { SqliteDatabase } from '../src/db/connection.js';
import { v7 as uuidv7 } from 'uuid';
import { FIRST, LAST, pick, prng, SEED, TITLES, WORDS, withBigCache } from './data.js';

export interface RecordsSize {
  people: number;
  companies: number;
  activities: number;
  notes: number;
  tasks: number;
}

export const FULL_SIZE: RecordsSize = {
  people: 100_000,
  companies: 20_000,
  activities: 300_000,
  notes: 100_000,
  tasks: 50_000,
};

/** The full data set scaled to `people` people (the command-line runs' optional size), every kind alike. */
export function scaledSize(people: number = FULL_SIZE.people): RecordsSize {
  const scale = people / FULL_SIZE.people;
  return Object.fromEntries(
    Object.entries(FULL_SIZE).map(([kind, count]) => [kind, Math.round(count * scale)]),
  ) as unknown as RecordsSize;
}

const MORE_FIRST = [
  'Alex',
  'Bea',
  'Carmen',
  'Dmitri',
  'Esther',
  'Felix',
  'Greta',
  'Hugo',
  'Ines',
  'Jamal',
  'Kai',
  'Lena',
  'Mateo',
  'Nora',
  'Oskar',
  'Pia',
  'Rafael',
  'Sara',
  'Theo',
  'Ulla',
  'Vera',
  'Will',
  'Xavier',
  'Yara',
  'Zain',
  'Anders',
  'Björn',
  'Céline',
  'Dara',
  'Emeka',
];
const MORE_LAST = [
  'Andersson',
  'Bauer',
  'Chen',
  'Da Silva',
  'Evans',
  'Fernández',
  'Gallagher',
  'Horvath',
  'Ito',
  'Johansson',
  'Khan',
  'Lindqvist',
  'Müller',
  'Novak',
  "O'Brien",
  'Petrov',
  'Quinteros',
  'Richter',
  'Silva',
  'Thompson',
  'Ueda',
  'Vogel',
  'Walsh',
  'Xu',
  'Yilmaz',
  'Zimmermann',
  'Nguyen',
  'Kim',
  'Murphy',
  'Santos',
];
const FIRST_NAMES = [...FIRST, ...MORE_FIRST];
const LAST_NAMES = [...LAST, ...MORE_LAST];
const COMPANY_A = [
  'North',
  'Blue',
  'Silver',
  'Oak',
  'Harbour',
  'Summit',
  'Bright',
  'Cedar',
  'Granite',
  'Meadow',
  'River',
  'Iron',
  'Golden',
  'Crown',
  'Maple',
  'Falcon',
  'Pine',
  'Atlas',
  'Beacon',
  'Lumen',
];
const COMPANY_B = [
  'field',
  'stone',
  'gate',
  'bridge',
  'wood',
  'light',
  'point',
  'ridge',
  'vale',
  'works',
  'line',
  'craft',
  'mark',
  'well',
  'side',
];
const COMPANY_C = ['Ltd', 'LLP', 'GmbH', 'Partners', 'Group', 'Holdings', '& Co', 'AG', 'SA', 'Inc'];
const INDUSTRIES = [
  'Legal',
  'Accounting',
  'Healthcare',
  'Finance',
  'Insurance',
  'Real estate',
  'Consulting',
  'Manufacturing',
  'Retail',
  'Education',
];
const SIZES = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1001-5000', '5001+'];
const CITIES = [
  'London',
  'Leeds',
  'Manchester',
  'Bristol',
  'Edinburgh',
  'Dublin',
  'Berlin',
  'Munich',
  'Paris',
  'Lyon',
  'Madrid',
  'Lisbon',
  'Amsterdam',
  'Stockholm',
  'Oslo',
  'Zurich',
  'Vienna',
  'Prague',
  'Warsaw',
  'Milan',
];
const STAGES = ['lead', 'prospect', 'customer', 'former_customer', 'other'];
const SOURCES = ['Referral', 'Website', 'Event', 'Cold call', 'Partner', 'Newsletter'];
const KINDS = ['call', 'call', 'email', 'meeting', 'other'];
const OUTCOMES = ['Connected', 'Left voicemail', 'No answer', 'Interested', 'Not now', null];
export const TAG_NAMES = [
  'vip',
  'newsletter',
  'board',
  'referral partner',
  'renewal due',
  'at risk',
  'event 2026',
  'priority',
  'legal hold',
  'key account',
];
const TIERS = ['bronze', 'silver', 'gold', 'platinum'];

/** The ids the bench samples from, in creation order. */
export interface RecordsIds {
  users: string[];
  people: string[];
  companies: string[];
}

function sentence(rng: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += (out ? ' ' : '') + pick(rng, WORDS);
  return out.charAt(0).toUpperCase() + out.slice(1) + '.';
}

/** A UUIDv7 for a given time, with seeded random bits. */
function idAt(rng: () => number, at: number): string {
  const random = new Uint8Array(16);
  for (let i = 0; i < 16; i++) random[i] = Math.floor(rng() * 256);
  return uuidv7({ msecs: at, random });
}

/** Fills a freshly initialized data folder's database. `adminId` is the folder's local user. */
export function generateRecords(sqlite: SqliteDatabase, adminId: string, size: RecordsSize): RecordsIds {
  const rng = prng(SEED + 7);
  const start = Date.UTC(2023, 0, 1);
  const span = Date.UTC(2026, 10, 1) - start;
  const now = Date.UTC(2026, 10, 15);
  const ids: RecordsIds = { users: [adminId], people: [], companies: [] };

  const insertUser = sqlite.prepare(
    `INSERT INTO users (id, name, email, role, is_local, version, created_at, updated_at) VALUES (?, ?, ?, 'member', 0, 1, ?, ?)`,
  );
  const insertField = sqlite.prepare(
    `INSERT INTO field_definitions (id, entity, key, label, type, required, options, position, version, created_at, updated_at, created_by, owner_id)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?, 1, ?, ?, ?, ?)`,
  );
  const insertTag = sqlite.prepare(
    'INSERT INTO tags (id, name, version, created_at, updated_at) VALUES (?, ?, 1, ?, ?)',
  );
  const insertCompany = sqlite.prepare(
    `INSERT INTO companies (id, name, domains, primary_domain, industry, size, phone, address_city, address_country, website, custom,
       owner_id, version, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
  );
  const insertDomain = sqlite.prepare('INSERT INTO company_domains (company_id, domain) VALUES (?, ?)');
  const insertPerson = sqlite.prepare(
    `INSERT INTO people (id, first_name, last_name, title, emails, phones, primary_email, primary_phone, address_city, address_country,
       lifecycle_stage, source, consent_marketing, consent_at, consent_basis, custom, owner_id, version, created_at, updated_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
  );
  const insertEmail = sqlite.prepare('INSERT INTO person_emails (person_id, position, address) VALUES (?, ?, ?)');
  const insertWork = sqlite.prepare(
    'INSERT INTO person_companies (person_id, company_id, role, position) VALUES (?, ?, ?, 0)',
  );
  const insertRecordTag = sqlite.prepare(
    'INSERT OR IGNORE INTO record_tags (entity, record_id, tag_id) VALUES (?, ?, ?)',
  );
  const insertActivity = sqlite.prepare(
    `INSERT INTO activities (id, kind, subject, body, occurred_at, duration_minutes, outcome, owner_id, version, created_at, updated_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
  );
  const insertNote = sqlite.prepare(
    'INSERT INTO notes (id, body, owner_id, version, created_at, updated_at, created_by) VALUES (?, ?, ?, 1, ?, ?, ?)',
  );
  const insertTask = sqlite.prepare(
    `INSERT INTO tasks (id, title, body, due_at, remind_at, assignee_id, done, completed_at, owner_id, version, created_at, updated_at, created_by)
     VALUES (?, ?, '', ?, NULL, ?, ?, ?, ?, 1, ?, ?, ?)`,
  );
  const insertLink = sqlite.prepare(
    'INSERT OR IGNORE INTO links (item_type, item_id, record_type, record_id) VALUES (?, ?, ?, ?)',
  );

  withBigCache(sqlite, () => {
    for (let i = 0; i < 5; i++) {
      const id = idAt(rng, start);
      insertUser.run(id, `${pick(rng, FIRST_NAMES)} ${pick(rng, LAST_NAMES)}`, `user${i}@firm.test`, start, start);
      ids.users.push(id);
    }
    const tierOptions = JSON.stringify(TIERS.map((t) => ({ value: t, label: t[0]!.toUpperCase() + t.slice(1) })));
    insertField.run(
      idAt(rng, start),
      'person',
      'tier',
      'Tier',
      'select',
      tierOptions,
      0,
      start,
      start,
      adminId,
      adminId,
    );
    insertField.run(idAt(rng, start), 'person', 'score', 'Score', 'number', '[]', 1, start, start, adminId, adminId);
    insertField.run(
      idAt(rng, start),
      'company',
      'tier',
      'Tier',
      'select',
      tierOptions,
      0,
      start,
      start,
      adminId,
      adminId,
    );
    const tagIds = TAG_NAMES.map((name) => {
      const id = idAt(rng, start);
      insertTag.run(id, name, start, start);
      return id;
    });

    const companyTimes = Array.from({ length: size.companies }, () => start + Math.floor(rng() * span)).sort(
      (a, b) => a - b,
    );
    const companyOf: string[] = [];
    for (let i = 0; i < size.companies; i++) {
      const at = companyTimes[i]!;
      const id = idAt(rng, at);
      const name = `${pick(rng, COMPANY_A)}${pick(rng, COMPANY_B)} ${pick(rng, COMPANY_C)}`;
      const domain = `${name.split(' ')[0]!.toLowerCase()}${i}.example`;
      insertCompany.run(
        id,
        name,
        JSON.stringify([domain]),
        domain,
        pick(rng, INDUSTRIES),
        pick(rng, SIZES),
        `+44207${String(Math.floor(rng() * 10_000_000)).padStart(7, '0')}`,
        pick(rng, CITIES),
        'GB',
        `https://${domain}/`,
        JSON.stringify({ tier: pick(rng, TIERS) }),
        pick(rng, ids.users),
        at,
        at,
        adminId,
      );
      insertDomain.run(id, domain);
      if (rng() < 0.2) insertRecordTag.run('company', id, pick(rng, tagIds));
      ids.companies.push(id);
      companyOf.push(domain);
    }

    const personTimes = Array.from({ length: size.people }, () => start + Math.floor(rng() * span)).sort(
      (a, b) => a - b,
    );
    const personCompany: (string | null)[] = [];
    for (let i = 0; i < size.people; i++) {
      const at = personTimes[i]!;
      const id = idAt(rng, at);
      const first = pick(rng, FIRST_NAMES);
      const last = pick(rng, LAST_NAMES);
      const companyIndex = rng() < 0.8 ? Math.floor(rng() * size.companies) : -1;
      const company = companyIndex >= 0 ? ids.companies[companyIndex]! : null;
      const local = `${first}.${last}`
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^a-z.]/g, '');
      const emails = [
        { address: `${local}${i}@${company ? companyOf[companyIndex] : 'mail.example'}`, label: 'work', primary: true },
      ];
      if (rng() < 0.3) emails.push({ address: `${local}${i}@home.example`, label: 'home', primary: false });
      const phone = `+44740${String(Math.floor(rng() * 10_000_000)).padStart(7, '0')}`;
      const marketing = rng() < 0.4;
      insertPerson.run(
        id,
        first,
        last,
        pick(rng, TITLES) || null,
        JSON.stringify(emails),
        JSON.stringify([{ number: phone, label: 'mobile', primary: true }]),
        emails[0]!.address,
        phone,
        pick(rng, CITIES),
        'GB',
        pick(rng, STAGES),
        pick(rng, SOURCES),
        marketing ? 1 : 0,
        marketing ? at : null,
        marketing ? 'consent' : null,
        JSON.stringify({ tier: pick(rng, TIERS), score: Math.floor(rng() * 100) }),
        pick(rng, ids.users),
        at,
        at,
        adminId,
      );
      emails.forEach((e, position) => insertEmail.run(id, position, e.address));
      if (company) insertWork.run(id, company, pick(rng, TITLES) || null);
      if (rng() < 0.3) {
        insertRecordTag.run('person', id, pick(rng, tagIds));
        if (rng() < 0.4) insertRecordTag.run('person', id, pick(rng, tagIds));
      }
      ids.people.push(id);
      personCompany.push(company);
    }

    // Items are written over time, so their ids (UUIDv7) arrive in order, as they do in use.
    const times = (n: number) =>
      Array.from({ length: n }, () => start + Math.floor(rng() * (now - start))).sort((a, b) => a - b);
    const activityTimes = times(size.activities);
    const noteTimes = times(size.notes);
    const taskTimes = times(size.tasks);
    const linkToPerson = (type: string, itemId: string) => {
      const p = Math.floor(rng() * size.people);
      insertLink.run(type, itemId, 'person', ids.people[p]!);
      const company = personCompany[p];
      if (company) insertLink.run(type, itemId, 'company', company);
    };
    for (let i = 0; i < size.activities; i++) {
      const at = activityTimes[i]!;
      const id = idAt(rng, at);
      const kind = pick(rng, KINDS);
      insertActivity.run(
        id,
        kind,
        sentence(rng, 20),
        sentence(rng, 120),
        at,
        kind === 'email' ? null : 5 + Math.floor(rng() * 55),
        kind === 'call' ? pick(rng, OUTCOMES) : null,
        pick(rng, ids.users),
        at,
        at,
        adminId,
      );
      linkToPerson('activity', id);
    }
    for (let i = 0; i < size.notes; i++) {
      const at = noteTimes[i]!;
      const id = idAt(rng, at);
      insertNote.run(id, `**${sentence(rng, 15)}**\n\n${sentence(rng, 250)}`, pick(rng, ids.users), at, at, adminId);
      linkToPerson('note', id);
    }
    for (let i = 0; i < size.tasks; i++) {
      const at = taskTimes[i]!;
      const id = idAt(rng, at);
      const due = now + Math.floor((rng() - 0.5) * 120 * 86_400_000);
      const done = due < now && rng() < 0.7 ? 1 : 0;
      insertTask.run(
        id,
        sentence(rng, 25),
        due,
        pick(rng, ids.users),
        done,
        done ? due : null,
        adminId,
        at,
        at,
        adminId,
      );
      linkToPerson('task', id);
    }
    sqlite.exec(`UPDATE people SET last_activity_at = (SELECT max(a.occurred_at) FROM links l JOIN activities a ON a.id = l.item_id
      WHERE l.record_type = 'person' AND l.record_id = people.id AND l.item_type = 'activity')`);
    sqlite.exec(`UPDATE companies SET last_activity_at = (SELECT max(a.occurred_at) FROM links l JOIN activities a ON a.id = l.item_id
      WHERE l.record_type = 'company' AND l.record_id = companies.id AND l.item_type = 'activity')`);
  });
  return ids;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from '../src/activities/repository.js';
import { auditFor, makeCompany, makePerson } from './support/items.js';
import { allPages, issuePaths, openRecordsHearth, type TestHearth } from './support/records.js';

let t: TestHearth;

beforeAll(async () => {
  t = await openRecordsHearth();
});
afterAll(async () => {
  await t.close();
});

const HOUR = 3_600_000;
const MISSING = '01890000-0000-7000-8000-000000000000';

describe('activities', () => {
  it('logs a call linked to a person and a company, owned by the caller and happening now unless told otherwise', async () => {
    const ada = await makePerson(t, 'Ada');
    const acme = await makeCompany(t, 'Acme');
    const now = t.clock.now;
    const call = await t.call('activities.create', {
      kind: 'call',
      subject: '  Intro call  ',
      body: 'Talked about **pricing**.',
      durationMinutes: 30,
      outcome: 'Interested',
      personIds: [ada.id, ada.id],
      companyIds: [acme.id],
    });
    expect(call).toMatchObject({
      kind: 'call',
      subject: 'Intro call',
      body: 'Talked about **pricing**.',
      occurredAt: now,
      durationMinutes: 30,
      outcome: 'Interested',
      personIds: [ada.id],
      companyIds: [acme.id],
      dealIds: [],
      version: 1,
      ownerId: t.actor.userId,
      createdBy: t.actor.userId,
      deletedAt: null,
    });
    expect(await t.call('activities.get', { id: call.id })).toEqual(call);
  });

  it("keeps linked people's and companies' last activity time without touching their version", async () => {
    const grace = await makePerson(t, 'Grace');
    const globex = await makeCompany(t, 'Globex');
    const t0 = Date.UTC(2024, 0, 10, 9);
    const older = await t.call('activities.create', { kind: 'meeting', occurredAt: t0, personIds: [grace.id] });
    const newer = await t.call('activities.create', {
      kind: 'email',
      occurredAt: t0 + 5 * HOUR,
      personIds: [grace.id],
      companyIds: [globex.id],
    });
    const person = () => t.call('people.get', { id: grace.id });
    const company = () => t.call('companies.get', { id: globex.id });
    expect((await person()).lastActivityAt).toBe(t0 + 5 * HOUR);
    expect((await company()).lastActivityAt).toBe(t0 + 5 * HOUR);

    // Taking the newer one off the company clears the company's; moving it earlier hands Grace's to the older one.
    await t.call('activities.update', { id: newer.id, version: 1, patch: { occurredAt: t0 - HOUR, companyIds: [] } });
    expect((await company()).lastActivityAt).toBeNull();
    expect((await person()).lastActivityAt).toBe(t0);

    // The trash does not count; a restore counts again.
    await t.call('activities.delete', { id: older.id });
    expect((await person()).lastActivityAt).toBe(t0 - HOUR);
    await t.call('trash.restore', { entity: 'activity', id: older.id });
    expect((await person()).lastActivityAt).toBe(t0);

    // Derived data: nobody's open edit of Grace or Globex conflicts because of it.
    expect((await person()).version).toBe(grace.version);
    expect((await company()).version).toBe(globex.version);
  });

  it('names every bad field at once and writes nothing', async () => {
    const gone = await makePerson(t, 'Gone');
    await t.call('people.delete', { id: gone.id });
    const activities = t.count('activities');
    const audit = t.auditCount();

    const shape = await t.fail('activities.create', {
      kind: 'lunch',
      durationMinutes: 20_000,
      occurredAt: 1.5,
      subject: 'x'.repeat(201),
    });
    expect(issuePaths(shape).sort()).toEqual(['durationMinutes', 'kind', 'occurredAt', 'subject']);
    expect((await t.fail('activities.create', { kind: 'call', color: 'red' })).code).toBe('VALIDATION');

    const links = await t.fail('activities.create', {
      kind: 'call',
      personIds: [MISSING, gone.id],
      dealIds: ['01890000-0000-7000-8000-000000000001'],
      ownerId: '01890000-0000-7000-8000-000000000002',
    });
    expect(links.code).toBe('VALIDATION');
    expect(issuePaths(links).sort()).toEqual(['dealIds.0', 'ownerId', 'personIds.0', 'personIds.1']);
    expect(t.count('activities')).toBe(activities);
    expect(t.auditCount()).toBe(audit);
  });

  it('refuses a stale version with CONFLICT and the current activity, keeping the other writer’s change', async () => {
    const activity = await t.call('activities.create', { kind: 'other', subject: 'First' });
    const saved = await t.call('activities.update', {
      id: activity.id,
      version: 1,
      patch: { subject: 'Second', outcome: '  ' },
    });
    expect(saved).toMatchObject({ version: 2, subject: 'Second', outcome: null });

    const conflict = await t.fail('activities.update', { id: activity.id, version: 1, patch: { subject: 'Mine' } });
    expect(conflict.code).toBe('CONFLICT');
    expect((conflict.details as { current: Activity }).current).toEqual(saved);
    expect((await t.call('activities.get', { id: activity.id })).subject).toBe('Second');
  });

  it('reports bad fields in a patch under patch.', async () => {
    const activity = await t.call('activities.create', { kind: 'call' });
    const shape = await t.fail('activities.update', {
      id: activity.id,
      version: 1,
      patch: { companyIds: [MISSING], durationMinutes: -1 },
    });
    expect(issuePaths(shape)).toEqual(['patch.durationMinutes']);
    const link = await t.fail('activities.update', { id: activity.id, version: 1, patch: { companyIds: [MISSING] } });
    expect(issuePaths(link)).toEqual(['patch.companyIds.0']);
  });

  it('changes nothing (no new version, no audit entry) for a patch that repeats what is there', async () => {
    const ada = await makePerson(t, 'Repeat');
    const activity = await t.call('activities.create', { kind: 'call', personIds: [ada.id] });
    const audit = t.auditCount();
    const same = await t.call('activities.update', {
      id: activity.id,
      version: 1,
      patch: { kind: 'call', personIds: [ada.id] },
    });
    expect(same.version).toBe(1);
    expect(t.auditCount()).toBe(audit);
  });

  it('moves a deleted activity to the trash: gone from lists, not editable, audited and announced', async () => {
    const activity = await t.call('activities.create', { kind: 'meeting', subject: 'Board' });
    const deleted = await t.call('activities.delete', { id: activity.id });
    expect(deleted.version).toBe(2);
    expect(deleted.deletedAt).not.toBeNull();

    const listed = await t.call('activities.list', { limit: 500 });
    expect(listed.items.map((a) => a.id)).not.toContain(activity.id);
    const edit = await t.fail('activities.update', { id: activity.id, version: 2, patch: { subject: 'x' } });
    expect(edit.code).toBe('NOT_FOUND');
    expect((await t.call('activities.get', { id: activity.id })).deletedAt).toBe(deleted.deletedAt);

    expect(auditFor(t.hearth, activity.id).map((e) => [e.procedure, e.action])).toEqual([
      ['activities.create', 'create'],
      ['activities.delete', 'delete'],
    ]);
    expect(t.events.flatMap((e) => e.changes)).toContainEqual({
      entity: 'activity',
      id: activity.id,
      action: 'delete',
      version: 2,
    });
  });

  it('records which field changed from what to what', async () => {
    const activity = await t.call('activities.create', { kind: 'call', subject: 'Old' });
    await t.call('activities.update', { id: activity.id, version: 1, patch: { subject: 'New' } });
    expect(auditFor(t.hearth, activity.id)[1]?.fields).toEqual({ subject: { from: 'Old', to: 'New' } });
  });

  it('lists by linked record and kind, newest first, and pages through everything exactly once', async () => {
    const lin = await makePerson(t, 'Lin');
    const other = await makePerson(t, 'Other');
    const base = Date.UTC(2023, 5, 1);
    for (let i = 0; i < 7; i++) {
      await t.call('activities.create', {
        kind: i % 2 === 0 ? 'call' : 'email',
        // Three share a time, so the id decides between them.
        occurredAt: base + Math.min(i, 4) * HOUR,
        personIds: [lin.id],
      });
    }
    await t.call('activities.create', { kind: 'call', occurredAt: base, personIds: [other.id] });

    const linFilter = [{ field: 'personId', op: 'eq' as const, value: lin.id }];
    const all = await t.call('activities.list', { filter: linFilter });
    expect(all.items).toHaveLength(7);
    const times = all.items.map((a) => a.occurredAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const paged = await allPages((cursor) => t.call('activities.list', { filter: linFilter, limit: 2, cursor }));
    expect(paged.map((a) => a.id)).toEqual(all.items.map((a) => a.id));

    const calls = await t.call('activities.list', {
      filter: [
        { field: 'personId', op: 'in', value: [lin.id, other.id] },
        { field: 'kind', op: 'eq', value: 'call' },
      ],
      count: true,
    });
    expect(calls.total).toBe(5);
    expect(calls.items.every((a) => a.kind === 'call')).toBe(true);

    const unlinked = await t.call('activities.list', { filter: [{ field: 'personId', op: 'isEmpty' }], limit: 500 });
    expect(unlinked.items.every((a) => a.personIds.length === 0)).toBe(true);

    const badOp = await t.fail('activities.list', { filter: [{ field: 'personId', op: 'contains', value: 'x' }] });
    expect(issuePaths(badOp)).toEqual(['filter.0.op']);
    const badKind = await t.fail('activities.list', { filter: [{ field: 'kind', op: 'eq', value: 'lunch' }] });
    expect(issuePaths(badKind)).toEqual(['filter.0.value']);
  });

  it('lets a read-only user list activities but not log them', async () => {
    const reader = t.addUser('Reader', 'readonly');
    expect((await t.fail('activities.create', { kind: 'call' }, reader)).code).toBe('FORBIDDEN');
    await t.call('activities.list', {}, reader);
  });
});

// The searches behind a deal's company, people and owner pickers.
import { api } from '../../lib/api';
import type { PickerOption } from '../records/form/Picker.svelte';
import { directory } from '../records/form/directory.svelte';
import { recordTitle } from '../records/types';

export async function searchCompanies(query: string): Promise<PickerOption[]> {
  const page = await api.call('companies.list', {
    filter: query ? [{ field: 'name', op: 'contains', value: query }] : [],
    sort: [{ field: 'name', dir: 'asc' }],
    limit: 20,
  });
  return page.items.map((company) => ({
    value: company.id,
    label: company.name,
    detail: company.domains[0] ?? company.industry ?? '',
  }));
}

/** People matching `query`, leaving out those already linked. */
export async function searchPeople(query: string, linked: readonly string[]): Promise<PickerOption[]> {
  const page = await api.call('people.list', {
    filter: query ? [{ field: 'name', op: 'contains', value: query }] : [],
    sort: [
      { field: 'lastName', dir: 'asc' },
      { field: 'firstName', dir: 'asc' },
    ],
    limit: 20,
  });
  return page.items
    .filter((person) => !linked.includes(person.id))
    .map((person) => ({ value: person.id, label: recordTitle(person), detail: person.emails[0]?.address ?? '' }));
}

export function ownerOptions(): PickerOption[] {
  return (directory.users.value ?? []).map((user) => ({
    value: user.id,
    label: user.name,
    detail: user.email ?? undefined,
  }));
}

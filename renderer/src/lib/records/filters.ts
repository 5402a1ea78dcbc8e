// Between a filter condition as the API takes it and as the filter builder edits and shows it: money in major
// units, instants as days, choices as lists.
import { dayOf, operatorOf, operatorsFor, startOfDay, type FilterFieldMeta, type OperatorMeta } from './fields';
import { formatDateOnly, formatMoney, minorUnitFactor } from './format';
import type { FilterCondition, FilterValue } from './types';

/** What the builder's inputs hold while someone edits a condition. */
export interface ConditionDraft {
  field: string;
  operator: string;
  /** Text, number, date or yes/no as typed. */
  text: string;
  /** Chosen options, tags or users. */
  picks: string[];
}

export interface DescribeContext {
  /** The currency money filters are typed in (the workspace's base currency). */
  currency: string;
  userName: (id: string | null) => string | null;
}

export function draftFor(meta: FilterFieldMeta, condition?: FilterCondition, ctx?: DescribeContext): ConditionDraft {
  const operators = operatorsFor(meta);
  const operator = (condition && operatorOf(meta, condition)) ?? operators[0]!;
  const draft: ConditionDraft = { field: meta.field, operator: operator.id, text: '', picks: [] };
  if (!condition || operator.input === 'none') {
    if (meta.kind === 'boolean') draft.text = 'true';
    return draft;
  }
  const value = condition.value;
  if (Array.isArray(value)) draft.picks = value.map(String);
  else if (value === undefined || value === null) return draft;
  else if (['select', 'multiSelect', 'tag', 'user'].includes(meta.kind)) draft.picks = [String(value)];
  else if (meta.kind === 'money' && typeof value === 'number')
    draft.text = String(value / minorUnitFactor(ctx?.currency ?? 'USD'));
  else if (meta.kind === 'datetime' && typeof value === 'number') draft.text = dayOf(value);
  else draft.text = String(value);
  return draft;
}

export function operatorById(meta: FilterFieldMeta, id: string): OperatorMeta {
  const operators = operatorsFor(meta);
  return operators.find((op) => op.id === id) ?? operators[0]!;
}

/** The condition a draft stands for, or a message saying what is missing. */
export function conditionFrom(
  meta: FilterFieldMeta,
  draft: ConditionDraft,
  ctx: DescribeContext,
): { condition: FilterCondition } | { problem: string } {
  const operator = operatorById(meta, draft.operator);
  if (operator.input === 'none') return { condition: { field: meta.field, op: operator.op, value: operator.fixed } };
  if (operator.input === 'multi' || ['select', 'multiSelect', 'tag', 'user'].includes(meta.kind)) {
    if (draft.picks.length === 0) return { problem: 'Choose at least one.' };
    const value: FilterValue = operator.input === 'multi' ? draft.picks : draft.picks[0]!;
    return { condition: { field: meta.field, op: operator.op, value } };
  }
  const text = draft.text.trim();
  if (text === '')
    return { problem: meta.kind === 'date' || meta.kind === 'datetime' ? 'Pick a date.' : 'Type a value.' };
  switch (meta.kind) {
    case 'number':
    case 'money': {
      const number = Number(text.replace(/[\s,]/g, ''));
      if (!Number.isFinite(number)) return { problem: 'Type a number.' };
      const value = meta.kind === 'money' ? Math.round(number * minorUnitFactor(ctx.currency)) : number;
      return { condition: { field: meta.field, op: operator.op, value } };
    }
    case 'datetime':
      return { condition: { field: meta.field, op: operator.op, value: startOfDay(text) } };
    case 'boolean':
      return { condition: { field: meta.field, op: operator.op, value: text === 'true' } };
    default:
      return { condition: { field: meta.field, op: operator.op, value: text } };
  }
}

/** A condition as a chip reads: field, operator and value, each on its own so the chip can style them. */
export function describeCondition(
  meta: FilterFieldMeta,
  condition: FilterCondition,
  ctx: DescribeContext,
): { field: string; operator: string; value: string | null } {
  const operator = operatorOf(meta, condition);
  const opLabel = operator?.label ?? condition.op;
  if (operator?.input === 'none' || condition.op === 'isEmpty')
    return { field: meta.label, operator: opLabel, value: null };
  const values = Array.isArray(condition.value) ? condition.value : [condition.value];
  const one = (value: FilterValue | undefined): string => {
    if (value === undefined || value === null) return '';
    switch (meta.kind) {
      case 'select':
      case 'multiSelect':
        return meta.options?.find((option) => option.value === value)?.label ?? String(value);
      case 'user':
        return ctx.userName(String(value)) ?? 'someone';
      case 'money':
        return typeof value === 'number' ? formatMoney({ amount: value, currency: ctx.currency }) : String(value);
      case 'date':
        return formatDateOnly(String(value));
      case 'datetime':
        return typeof value === 'number' ? formatDateOnly(dayOf(value)) : String(value);
      case 'boolean':
        return value === true ? 'Yes' : 'No';
      case 'number':
        return typeof value === 'number' ? value.toLocaleString() : String(value);
      default:
        return `“${String(value)}”`;
    }
  };
  const parts = values.map(one);
  const value = parts.length > 2 ? `${parts.slice(0, 2).join(', ')} +${parts.length - 2}` : parts.join(' or ');
  return { field: meta.label, operator: opLabel, value };
}

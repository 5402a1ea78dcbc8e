// Automation rules in words: what a rule does as the sentence people read in Settings, and the fields it may set.
import type { AutomationRule, Pipeline, RuleAction, RuleTrigger } from '../../../../src/deals/types.js';

export const TRIGGER_OPTIONS: { value: RuleTrigger; label: string }[] = [
  { value: 'enter', label: 'enters a stage' },
  { value: 'won', label: 'is won' },
  { value: 'lost', label: 'is lost' },
];

export const ACTION_OPTIONS: { value: RuleAction['type']; label: string }[] = [
  { value: 'createTask', label: 'Create a task for the owner' },
  { value: 'setField', label: 'Set a field' },
  { value: 'addTag', label: 'Add a tag' },
];

/** The deal fields a rule may set besides custom fields. */
export const STANDARD_RULE_FIELDS: { value: string; label: string }[] = [
  { value: 'source', label: 'Source' },
  { value: 'probability', label: 'Probability' },
];

export function triggerText(trigger: RuleTrigger, stageId: string | null, pipeline: Pipeline | undefined): string {
  if (trigger === 'won') return 'is won';
  if (trigger === 'lost') return 'is lost';
  const stage = pipeline?.stages.find((s) => s.id === stageId);
  return `enters ${stage ? `“${stage.name}”` : 'a removed stage'}`;
}

export function actionText(action: RuleAction, fieldLabel: (field: string) => string = (field) => field): string {
  switch (action.type) {
    case 'createTask':
      return `create the task “${action.title}” due in ${action.dueInDays} day${action.dueInDays === 1 ? '' : 's'} for the owner`;
    case 'setField':
      return action.value === null || action.value === ''
        ? `clear ${fieldLabel(action.field)}`
        : `set ${fieldLabel(action.field)} to ${action.field === 'probability' ? `${String(action.value)}%` : `“${String(action.value)}”`}`;
    case 'addTag':
      return `add the tag “${action.tag}”`;
  }
}

/** The whole rule as one sentence, which is also the name a rule gets when none is typed. */
export function ruleSentence(
  rule: Pick<AutomationRule, 'trigger' | 'stageId' | 'action'>,
  pipeline: Pipeline | undefined,
  fieldLabel?: (field: string) => string,
): string {
  return `When a deal ${triggerText(rule.trigger, rule.stageId, pipeline)}, ${actionText(rule.action, fieldLabel)}`;
}

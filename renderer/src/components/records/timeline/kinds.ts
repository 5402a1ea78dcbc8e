// How the timeline names and draws each kind of activity, and the outcomes a call can have.
import type { LucideIcon } from '@lucide/svelte';
import CircleDot from '@lucide/svelte/icons/circle-dot';
import Mail from '@lucide/svelte/icons/mail';
import Phone from '@lucide/svelte/icons/phone';
import UsersRound from '@lucide/svelte/icons/users-round';
import type { FieldOption } from '../form/field-specs';
import type { ActivityKind } from '../types';

export const ACTIVITY_KINDS: Record<ActivityKind, { label: string; icon: LucideIcon }> = {
  call: { label: 'Call', icon: Phone },
  meeting: { label: 'Meeting', icon: UsersRound },
  email: { label: 'Email', icon: Mail },
  other: { label: 'Activity', icon: CircleDot },
};

export const CALL_OUTCOMES: FieldOption[] = [
  { value: 'Connected', label: 'Connected' },
  { value: 'Left voicemail', label: 'Left voicemail' },
  { value: 'No answer', label: 'No answer' },
  { value: 'Busy', label: 'Busy' },
  { value: 'Wrong number', label: 'Wrong number' },
];

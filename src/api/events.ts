// Change events: announced after commit so listeners (windows, WebSocket clients, search) never see uncommitted data.
import type { ChangeAction } from './procedure.js';

export interface ChangeEvent {
  type: 'change';
  procedure: string;
  actorId: string;
  at: number;
  changes: Array<{ entity: string; id: string; action: ChangeAction; version?: number }>;
}

export type HearthEvent = ChangeEvent;
export type EventListener = (event: HearthEvent) => void;

// Asks a record's page to open one of its timeline composers ("Log a call for Ada" in the command palette): the
// page takes the request when it shows that record, whether it is already open or opens next.
import type { TimelineEntity } from '../types';
import type { ComposerKind } from './Timeline.svelte';

interface ComposerRequest {
  entity: TimelineEntity;
  id: string;
  kind: ComposerKind;
  at: number;
}

/** A request no page took by then (the record never opened) is forgotten rather than surprising someone later. */
const REQUEST_LIFETIME_MS = 15_000;

class ComposerRequests {
  #pending = $state<ComposerRequest | null>(null);

  /** Asks the page of `entity` `id` to open its `kind` composer, once. */
  request(entity: TimelineEntity, id: string, kind: ComposerKind): void {
    this.#pending = { entity, id, kind, at: Date.now() };
  }

  /** The composer asked for on this record, if any; the request is used up. Reactive: call it in an effect. */
  take(entity: TimelineEntity, id: string): ComposerKind | null {
    const pending = this.#pending;
    if (!pending || pending.entity !== entity || pending.id !== id) return null;
    this.#pending = null;
    return Date.now() - pending.at <= REQUEST_LIFETIME_MS ? pending.kind : null;
  }
}

export const composerRequests = new ComposerRequests();

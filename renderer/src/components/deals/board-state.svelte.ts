// A pipeline's board: its columns and cards, moves shown at once and confirmed by the core, kept live by events.
import { api, toApiError, touches, type ApiError } from '../../lib/api';
import type { Board, Deal, Pipeline } from './deals';

/** Cards per column in the first page. */
const PAGE = 50;

export interface MoveRequest {
  deal: Deal;
  stageId: string;
  /** 0-based index in the target column once the card is in it. */
  position: number;
  lostReason?: string;
}

export class BoardState {
  pipelines = $state<Pipeline[]>([]);
  pipelineId = $state<string | null>(null);
  /** Only this owner's deals (columns, counts and totals), or everyone's. */
  ownerId = $state<string | null>(null);
  board = $state<Board | null>(null);
  error = $state<ApiError | null>(null);
  loading = $state(false);
  /** Columns whose next page is being fetched. */
  loadingMore = $state<Record<string, boolean>>({});

  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** A move in flight: change events of our own move must not undo the optimistic order mid-way. */
  #moving = 0;

  get pipeline(): Pipeline | null {
    return this.board?.pipeline ?? this.pipelines.find((p) => p.id === this.pipelineId) ?? null;
  }

  start(preferred: string | null): () => void {
    void this.#loadPipelines(preferred);
    return api.onChange((event) => {
      if (touches(event, 'pipeline')) void this.#loadPipelines(this.pipelineId);
      else if (touches(event, 'deal', 'company', 'person', 'activity', 'exchange_rate', 'rate', 'settings')) {
        this.refreshSoon();
      }
    });
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
  }

  async #loadPipelines(preferred: string | null): Promise<void> {
    try {
      const { items } = (await api.call('pipelines.list', {})) as { items: Pipeline[] };
      this.pipelines = items;
      const chosen = items.find((p) => p.id === preferred) ?? items[0];
      this.pipelineId = chosen?.id ?? null;
      await this.refresh();
    } catch (error) {
      this.error = toApiError(error);
    }
  }

  choose(pipelineId: string): void {
    if (pipelineId === this.pipelineId) return;
    this.pipelineId = pipelineId;
    this.board = null;
    void this.refresh();
  }

  /** Shows one owner's deals, or everyone's (null). */
  chooseOwner(ownerId: string | null): void {
    if (ownerId === this.ownerId) return;
    this.ownerId = ownerId;
    this.board = null;
    void this.refresh();
  }

  /** The owner filter as the core takes it. */
  get #owner(): { ownerId?: string } {
    return this.ownerId ? { ownerId: this.ownerId } : {};
  }

  refreshSoon(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (this.#moving === 0) void this.refresh();
    }, 200);
  }

  /** Fetches the board again, as many cards per column as are shown now, so a refresh keeps what was loaded. */
  async refresh(): Promise<void> {
    const pipelineId = this.pipelineId;
    if (!pipelineId) {
      this.loading = false;
      return;
    }
    const generation = ++this.#generation;
    const shown = Math.max(PAGE, ...(this.board?.columns.map((column) => column.deals.length) ?? []));
    this.loading = true;
    try {
      const board = (await api.call('deals.board', {
        pipelineId,
        limit: Math.min(shown, 500),
        ...this.#owner,
      })) as Board;
      if (generation !== this.#generation) return;
      this.board = board;
      this.error = null;
    } catch (error) {
      if (generation === this.#generation) this.error = toApiError(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async loadMore(stageId: string): Promise<void> {
    const board = this.board;
    const column = board?.columns.find((c) => c.stage.id === stageId);
    if (!board || !column?.nextCursor || this.loadingMore[stageId]) return;
    this.loadingMore[stageId] = true;
    try {
      const page = (await api.call('deals.board', {
        pipelineId: board.pipeline.id,
        stageId,
        cursor: column.nextCursor,
        limit: PAGE,
        ...this.#owner,
      })) as Board;
      const more = page.columns.find((c) => c.stage.id === stageId);
      const current = this.board?.columns.find((c) => c.stage.id === stageId);
      if (!more || !current) return;
      const known = current.deals.map((d) => d.id);
      current.deals = [...current.deals, ...more.deals.filter((d) => !known.includes(d.id))];
      current.nextCursor = more.nextCursor;
    } catch (error) {
      this.error = toApiError(error);
    } finally {
      this.loadingMore[stageId] = false;
    }
  }

  /**
   * Moves a card on screen at once, then asks the core; the board is fetched again from the answer either way.
   * Resolves with the error when the core refused (a CONFLICT means someone moved or edited it first).
   */
  async move(request: MoveRequest): Promise<ApiError | null> {
    const { deal, stageId, position, lostReason } = request;
    this.#placeLocally(deal, stageId, position);
    this.#moving += 1;
    try {
      await api.call('deals.move', {
        id: deal.id,
        version: deal.version,
        stageId,
        position,
        ...(lostReason ? { lostReason } : {}),
      });
      return null;
    } catch (error) {
      return toApiError(error);
    } finally {
      this.#moving -= 1;
      await this.refresh();
    }
  }

  /** The optimistic half of a move: the card, the counts, and the totals when no conversion is needed. */
  #placeLocally(deal: Deal, stageId: string, position: number): void {
    const board = this.board;
    if (!board) return;
    const from = board.columns.find((c) => c.deals.some((d) => d.id === deal.id));
    const to = board.columns.find((c) => c.stage.id === stageId);
    if (!from || !to) return;
    from.deals = from.deals.filter((d) => d.id !== deal.id);
    const moved: Deal = { ...deal, stageId, status: to.stage.kind, stale: false };
    const deals = [...to.deals];
    deals.splice(Math.min(position, deals.length), 0, moved);
    to.deals = deals;
    if (from === to) return;
    from.count -= 1;
    to.count += 1;
    if (deal.currency === board.baseCurrency) {
      from.total -= deal.amount;
      to.total += deal.amount;
      const probability = (p: number) => Math.round((deal.amount * p) / 100);
      from.weightedTotal -= probability(deal.effectiveProbability);
      to.weightedTotal += probability(deal.probability ?? to.stage.probability);
    }
  }
}

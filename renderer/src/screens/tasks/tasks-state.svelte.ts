// The Tasks screen's state: one segment's tasks page by page, the count of every segment, and the
// changes a person makes (optimistic where a wait would feel slow), kept live from change events.
import { toast } from 'svelte-sonner';
import { api, toApiError, touches, type ApiError, type InputOf, type OutputOf } from '../../lib/api';
import { browserTimeZone } from './due';
import { linkedNames } from './linked-records.svelte';

export type Task = OutputOf<'tasks.list'>['items'][number];
export type TaskView = 'today' | 'overdue' | 'upcoming' | 'done';
export type TaskPatch = InputOf<'tasks.update'>['patch'];

export const TASK_VIEWS: Array<{ value: TaskView; label: string }> = [
  { value: 'today', label: 'Today' },
  { value: 'overdue', label: 'Overdue' },
  { value: 'upcoming', label: 'Upcoming' },
  { value: 'done', label: 'Done' },
];

const PAGE_SIZE = 50;
const MAX_PAGE = 500;

export class TasksState {
  view = $state<TaskView>('today');
  items = $state<Task[]>([]);
  nextCursor = $state<string | null>(null);
  counts = $state<Record<TaskView, number | null>>({ today: null, overdue: null, upcoming: null, done: null });
  /** Nothing shown yet for this segment. */
  loading = $state(true);
  loadingMore = $state(false);
  error = $state<ApiError | null>(null);

  readonly timeZone = browserTimeZone();
  #generation = 0;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #stop: (() => void) | null = null;
  /** Tasks whose checkbox was just clicked: a refresh must not flip them back before the answer arrives. */
  #pending: Record<string, Task> = {};

  start(): void {
    if (this.#stop) return;
    void this.reload();
    this.#stop = api.onChange((event) => {
      for (const change of event?.changes ?? []) {
        if (change.entity === 'person' || change.entity === 'company') linkedNames.refresh(change.entity, [change.id]);
      }
      if (!touches(event, 'task')) return;
      // A burst of changes (a bulk edit, an import) refreshes once.
      if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
      this.#refreshTimer = setTimeout(() => void this.reload({ keepLength: true }), 150);
    });
  }

  stop(): void {
    this.#stop?.();
    this.#stop = null;
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
  }

  show(view: TaskView): void {
    if (view === this.view) return;
    this.view = view;
    this.items = [];
    this.nextCursor = null;
    this.loading = true;
    this.error = null;
    void this.reload();
  }

  /**
   * Fetches the segment from the start, and the counts. A live refresh asks for as many rows as are on
   * screen, so a person who paged down keeps their place.
   */
  async reload(options: { keepLength?: boolean } = {}): Promise<void> {
    const generation = ++this.#generation;
    const view = this.view;
    const limit = options.keepLength ? Math.min(MAX_PAGE, Math.max(PAGE_SIZE, this.items.length)) : PAGE_SIZE;
    // Trying again after a failure shows that it is trying.
    if (this.error) this.loading = true;
    void this.#loadCounts(generation);
    try {
      const page = await api.call('tasks.list', { view, timeZone: this.timeZone, limit });
      if (generation !== this.#generation) return;
      this.items = page.items.map((task) => this.#pending[task.id] ?? task);
      this.nextCursor = page.nextCursor;
      this.error = null;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.error = toApiError(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loadingMore) return;
    const generation = this.#generation;
    this.loadingMore = true;
    try {
      const page = await api.call('tasks.list', {
        view: this.view,
        timeZone: this.timeZone,
        limit: PAGE_SIZE,
        cursor: this.nextCursor,
      });
      if (generation !== this.#generation) return;
      const known = this.items.map((task) => task.id);
      this.items = [...this.items, ...page.items.filter((task) => !known.includes(task.id))];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      toast.error("Couldn't load more tasks", { description: toApiError(error).message });
    } finally {
      this.loadingMore = false;
    }
  }

  async #loadCounts(generation: number): Promise<void> {
    const results = await Promise.allSettled(
      TASK_VIEWS.map(({ value }) =>
        api.call('tasks.list', { view: value, timeZone: this.timeZone, limit: 1, count: true }),
      ),
    );
    if (generation !== this.#generation) return;
    const counts = { ...this.counts };
    results.forEach((result, index) => {
      const view = TASK_VIEWS[index]!.value;
      if (result.status === 'fulfilled') counts[view] = result.value.total ?? null;
    });
    this.counts = counts;
  }

  async create(input: InputOf<'tasks.create'>): Promise<Task> {
    const task = await api.call('tasks.create', input);
    void this.reload({ keepLength: true });
    return task;
  }

  /** Ticks or unticks at once; puts it back and says why if the core refuses. */
  async setDone(task: Task, done: boolean): Promise<void> {
    const optimistic: Task = { ...task, done, completedAt: done ? Date.now() : null };
    this.#pending[task.id] = optimistic;
    this.#replace(optimistic);
    try {
      const saved = done
        ? await api.call('tasks.complete', { id: task.id, version: task.version })
        : await api.call('tasks.reopen', { id: task.id, version: task.version });
      delete this.#pending[task.id];
      this.#replace(saved);
      void this.reload({ keepLength: true });
      if (done) {
        toast.success('Task completed', {
          description: saved.title,
          action: { label: 'Undo', onClick: () => void this.setDone(saved, false) },
        });
      }
    } catch (error) {
      delete this.#pending[task.id];
      this.#replace(task);
      this.#explain(error, done ? "Couldn't complete the task" : "Couldn't reopen the task");
    }
  }

  /** Saves a change to one task; true when it was saved. */
  async update(task: Task, patch: TaskPatch): Promise<boolean> {
    try {
      const saved = await api.call('tasks.update', { id: task.id, version: task.version, patch });
      this.#replace(saved);
      void this.reload({ keepLength: true });
      return true;
    } catch (error) {
      this.#explain(error, "Couldn't save the task");
      return false;
    }
  }

  /** Moves a task to the trash at once, with a way back. */
  async remove(task: Task): Promise<void> {
    const index = this.items.findIndex((item) => item.id === task.id);
    this.items = this.items.filter((item) => item.id !== task.id);
    try {
      await api.call('tasks.delete', { id: task.id });
      void this.reload({ keepLength: true });
      toast('Task moved to the trash', {
        description: task.title,
        action: { label: 'Undo', onClick: () => void this.#restore(task) },
      });
    } catch (error) {
      if (index >= 0 && !this.items.some((item) => item.id === task.id)) {
        this.items = [...this.items.slice(0, index), task, ...this.items.slice(index)];
      }
      this.#explain(error, "Couldn't delete the task");
    }
  }

  async #restore(task: Task): Promise<void> {
    try {
      await api.call('trash.restore', { entity: 'task', id: task.id });
      toast.success('Task restored', { description: task.title });
      void this.reload({ keepLength: true });
    } catch (error) {
      this.#explain(error, "Couldn't restore the task");
    }
  }

  #replace(task: Task): void {
    this.items = this.items.map((item) => (item.id === task.id ? task : item));
  }

  #explain(error: unknown, title: string): void {
    const apiError = toApiError(error);
    if (apiError.code === 'CONFLICT') {
      toast.error(title, { description: 'Someone else changed this task a moment ago. It now shows their version.' });
      void this.reload({ keepLength: true });
    } else if (apiError.code === 'NOT_FOUND') {
      toast.error(title, { description: 'This task no longer exists.' });
      void this.reload({ keepLength: true });
    } else {
      toast.error(title, { description: apiError.message });
    }
  }
}

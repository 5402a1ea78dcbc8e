// Every pipeline's stages by id, for deal lists (the stage column and the stage filter); loaded once, kept live.
import { SvelteMap } from 'svelte/reactivity';
import { api, touches } from '../api';

export interface StageInfo {
  id: string;
  name: string;
  kind: 'open' | 'won' | 'lost';
  pipelineName: string;
}

class DealStages {
  readonly byId = new SvelteMap<string, StageInfo>();
  /** Pipelines in their order, for labelling stages when there are several. */
  pipelineCount = $state(0);
  #started = false;

  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.load();
    api.onChange((event) => {
      if (touches(event, 'pipeline')) void this.load();
    });
  }

  async load(): Promise<void> {
    try {
      const { items } = await api.call('pipelines.list', { includeArchived: true });
      this.byId.clear();
      for (const pipeline of items) {
        for (const stage of pipeline.stages) {
          this.byId.set(stage.id, { id: stage.id, name: stage.name, kind: stage.kind, pipelineName: pipeline.name });
        }
      }
      this.pipelineCount = items.filter((pipeline) => pipeline.archivedAt === null).length;
    } catch {
      // Stage cells show "—" until the next change event loads them.
    }
  }

  name(id: string): string | null {
    const stage = this.byId.get(id);
    if (!stage) return null;
    return this.pipelineCount > 1 ? `${stage.pipelineName} · ${stage.name}` : stage.name;
  }

  options(): Array<{ value: string; label: string }> {
    return [...this.byId.values()].map((stage) => ({ value: stage.id, label: this.name(stage.id) ?? stage.name }));
  }
}

export const dealStages = new DealStages();

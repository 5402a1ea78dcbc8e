// What the shell and every screen share about the workspace: its settings and the system facts, kept live.
import { api, touches, type OutputOf, type SystemInfo, type WorkspaceSettings } from '../api';
import { Resource } from './resource.svelte';

export class WorkspaceState {
  readonly settings = new Resource<WorkspaceSettings>(() => api.call('settings.get', {}));
  readonly system = new Resource<SystemInfo>(() => api.call('system.info', {}));
  #systemTimer: ReturnType<typeof setTimeout> | null = null;
  #stop: (() => void) | null = null;

  start(): void {
    if (this.#stop) return;
    void this.settings.load();
    void this.system.load();
    this.#stop = api.onChange((event) => {
      if (touches(event, 'settings')) void this.settings.load();
      // Every committed change adds an audit entry, so the counts move with any event; batch bursts.
      if (this.#systemTimer) clearTimeout(this.#systemTimer);
      this.#systemTimer = setTimeout(() => void this.system.load(), 250);
    });
  }

  stop(): void {
    this.#stop?.();
    this.#stop = null;
  }

  async updateSettings(
    version: number,
    patch: Partial<Pick<WorkspaceSettings, 'firmName' | 'baseCurrency' | 'phoneRegion'>>,
  ): Promise<OutputOf<'settings.update'>> {
    const updated = await api.call('settings.update', { version, patch });
    this.settings.set(updated);
    return updated;
  }
}

export const workspace = new WorkspaceState();

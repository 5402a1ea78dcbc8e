// The renderer's only way into the app: window.hearth with call and onEvent, nothing else.
// A sandboxed preload is a CommonJS script that may require only 'electron', hence .cts and no other imports.
// verbatimModuleSyntax spells a CommonJS import this way; it compiles to a plain require('electron').
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');
import type { IpcRendererEvent } from 'electron';
import type { CallResult, HearthBridge, HearthEvent } from '../src/api/contract.js';

const { contextBridge, ipcRenderer } = electron;

const bridge: HearthBridge = {
  call(procedure: string, input: unknown): Promise<CallResult> {
    return ipcRenderer.invoke('hearth:call', procedure, input) as Promise<CallResult>;
  },
  onEvent(listener: (event: HearthEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    // The IPC event object stays here: it would hand the page the sender and its ports.
    const forward = (_event: IpcRendererEvent, payload: HearthEvent) => listener(payload);
    ipcRenderer.on('hearth:event', forward);
    return () => {
      ipcRenderer.removeListener('hearth:event', forward);
    };
  },
};

contextBridge.exposeInMainWorld('hearth', bridge);

// The desktop app's security decisions as plain functions: who may call the core, and where a window may go.
import { isAppUrl } from './app-protocol.js';

interface FrameLike {
  url: string;
  parent: unknown;
  processId?: number;
  routingId?: number;
}

/** The shape of an IPC event this check needs; Electron's IpcMainInvokeEvent has it. */
export interface SenderLike {
  senderFrame: FrameLike | null;
  sender: { mainFrame: FrameLike };
}

/**
 * Electron hands out one WebFrameMain object per frame, so identity is the check; the process and
 * routing ids name the same frame should a second wrapper ever appear.
 */
function isSameFrame(a: FrameLike, b: FrameLike): boolean {
  if (a === b) return true;
  return (
    a.processId !== undefined && a.processId === b.processId && a.routingId !== undefined && a.routingId === b.routingId
  );
}

/**
 * Only the app's own top-level document may call the core: not a subframe (mail HTML is shown in one),
 * not a page that got loaded some other way, and not a frame that is already gone (`senderFrame` null).
 * `isOurWebContents` says whether the sending WebContents belongs to one of the app's windows.
 */
export function isTrustedSender(
  event: SenderLike,
  isOurWebContents: (sender: SenderLike['sender']) => boolean,
): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null || !isSameFrame(frame, event.sender.mainFrame)) return false;
  if (!isOurWebContents(event.sender)) return false;
  return isAppUrl(frame.url);
}

/** Links the system browser (or mail client) may open for the user; anything else is dropped. */
export function isExternalLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' || protocol === 'mailto:';
  } catch {
    return false;
  }
}

export type NavigationDecision = 'allow' | 'open-externally' | 'deny';

/** A top-level document stays on the app; a link elsewhere goes to the system browser instead. */
export function decideMainFrameNavigation(url: string): NavigationDecision {
  if (isAppUrl(url)) return 'allow';
  return isExternalLink(url) ? 'open-externally' : 'deny';
}

/**
 * Subframes may hold inline documents (a sandboxed `srcdoc` frame shows sanitized mail) or app pages,
 * never a remote page. Nor does a subframe get to open the browser: a message's links reach the user
 * through `target=_blank` and the window-open handler, which only a click triggers.
 */
export function decideSubframeNavigation(url: string): NavigationDecision {
  return url === 'about:srcdoc' || url === 'about:blank' || isAppUrl(url) ? 'allow' : 'deny';
}

const NETWORK_PROTOCOLS = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

/**
 * Requests the app's web session refuses outright. The CSP already keeps the app's pages on app://; this
 * also covers what CSP does not see (a subframe's document, a redirect) and any page that slipped in.
 */
export function isBlockedRequest(url: string): boolean {
  try {
    return NETWORK_PROTOCOLS.has(new URL(url).protocol);
  } catch {
    return true;
  }
}

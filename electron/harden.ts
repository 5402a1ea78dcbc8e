// Every window and session of the app gets the same protections, set up here and nowhere else.
import { app, shell, type Session, type WebContents } from 'electron';
import {
  decideMainFrameNavigation,
  decideSubframeNavigation,
  isBlockedRequest,
  isExternalLink,
} from './security-policy.js';

function openExternally(url: string): void {
  if (!isExternalLink(url)) return;
  shell.openExternal(url).catch(() => {
    // No browser or mail client registered: nothing more the app can do.
  });
}

function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    const decision = decideMainFrameNavigation(event.url);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-externally') openExternally(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame) return; // will-navigate decides for the main frame
    if (decideSubframeNavigation(event.url) !== 'allow') event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Before `ready`: sandbox every renderer and harden every WebContents the moment it exists. */
export function hardenApp(): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

/** After `ready`, for each session the app uses (only the default one today). */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // No cloud in the loop: the renderer talks only to app:// and, through IPC, the main process. Mail sync
  // runs in the main process on Node's own network stack, which this does not touch.
  session.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) =>
    callback({ cancel: isBlockedRequest(details.url) }),
  );
}

import { describe, expect, it } from 'vitest';
import {
  decideMainFrameNavigation,
  decideSubframeNavigation,
  isBlockedRequest,
  isExternalLink,
  isTrustedSender,
  type SenderLike,
} from './security-policy.js';

function eventFrom(options: { url?: string; subframe?: boolean; gone?: boolean } = {}): SenderLike {
  const mainFrame = { url: options.url ?? 'app://hearth/index.html', parent: null };
  const subframe = { url: options.url ?? 'app://hearth/index.html', parent: mainFrame };
  return {
    sender: { mainFrame },
    senderFrame: options.gone ? null : options.subframe ? subframe : mainFrame,
  };
}

const ours = () => true;

describe('isTrustedSender', () => {
  it("accepts the app's top-level document in one of our windows", () => {
    expect(isTrustedSender(eventFrom(), ours)).toBe(true);
  });

  it('recognises the main frame by its ids as well as by identity', () => {
    const mainFrame = { url: 'app://hearth/index.html', parent: null, processId: 4, routingId: 1 };
    const sameFrame = { ...mainFrame };
    const otherFrame = { ...mainFrame, routingId: 2 };
    expect(isTrustedSender({ sender: { mainFrame }, senderFrame: sameFrame }, ours)).toBe(true);
    expect(isTrustedSender({ sender: { mainFrame }, senderFrame: otherFrame }, ours)).toBe(false);
    expect(
      isTrustedSender(
        { sender: { mainFrame: { url: '', parent: null } }, senderFrame: { url: 'app://hearth/', parent: null } },
        ours,
      ),
    ).toBe(false);
  });

  it('refuses a subframe, even one showing an app page', () => {
    expect(isTrustedSender(eventFrom({ subframe: true }), ours)).toBe(false);
  });

  it('refuses a document from another origin', () => {
    expect(isTrustedSender(eventFrom({ url: 'https://example.com/' }), ours)).toBe(false);
    expect(isTrustedSender(eventFrom({ url: 'file:///tmp/index.html' }), ours)).toBe(false);
    expect(isTrustedSender(eventFrom({ url: 'app://other/index.html' }), ours)).toBe(false);
  });

  it('refuses a frame that has gone away', () => {
    expect(isTrustedSender(eventFrom({ gone: true }), ours)).toBe(false);
  });

  it('refuses a WebContents that is not one of our windows', () => {
    expect(isTrustedSender(eventFrom(), () => false)).toBe(false);
  });
});

describe('navigation', () => {
  it('keeps the main frame on the app and sends web and mail links to the system', () => {
    expect(decideMainFrameNavigation('app://hearth/index.html#/people')).toBe('allow');
    expect(decideMainFrameNavigation('https://example.com/')).toBe('open-externally');
    expect(decideMainFrameNavigation('mailto:ann@example.com')).toBe('open-externally');
    expect(decideMainFrameNavigation('file:///etc/passwd')).toBe('deny');
    expect(decideMainFrameNavigation('javascript:alert(1)')).toBe('deny');
    expect(decideMainFrameNavigation('about:blank')).toBe('deny');
  });

  it('lets subframes hold inline documents but neither load nor open remote pages', () => {
    expect(decideSubframeNavigation('about:srcdoc')).toBe('allow');
    expect(decideSubframeNavigation('https://tracker.example/pixel')).toBe('deny');
    expect(decideSubframeNavigation('data:text/html,<script>1</script>')).toBe('deny');
  });

  it('opens only http, https and mailto links externally', () => {
    expect(isExternalLink('https://example.com')).toBe(true);
    expect(isExternalLink('smb://server/share')).toBe(false);
    expect(isExternalLink('ms-msdt:/id')).toBe(false);
    expect(isExternalLink('')).toBe(false);
  });
});

describe('isBlockedRequest', () => {
  it('blocks the network and local files but not the app or inline data', () => {
    for (const url of [
      'https://example.com/x.js',
      'http://127.0.0.1:7420/api',
      'wss://host/events',
      'file:///etc/passwd',
      '::',
    ]) {
      expect(isBlockedRequest(url)).toBe(true);
    }
    for (const url of [
      'app://hearth/assets/app.js',
      'data:image/png;base64,AAAA',
      'blob:app://hearth/1234',
      'devtools://devtools/bundled/x.js',
    ]) {
      expect(isBlockedRequest(url)).toBe(false);
    }
  });
});

import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { hardenApp, hardenWebContents, isAppUrl } = await import('../../../../main/app/harden');

class FakeContents extends EventEmitter {
  openHandler?: () => { action: string };
  setWindowOpenHandler(h: () => { action: string }) {
    this.openHandler = h;
  }
}

const fire = (contents: FakeContents, name: string, url?: string): boolean => {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
  contents.emit(name, event, url);
  return event.defaultPrevented;
};

describe('window hardening', () => {
  it('recognises only the app origin', () => {
    expect(isAppUrl('app://renderer/index.html')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('https://example.com')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('denies window.open, foreign navigation and redirects, and webviews', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never);
    expect(contents.openHandler?.()).toEqual({ action: 'deny' });
    expect(fire(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire(contents, 'will-navigate', 'app://renderer/index.html')).toBe(false);
    expect(fire(contents, 'will-redirect', 'http://127.0.0.1/')).toBe(true);
    expect(fire(contents, 'will-attach-webview')).toBe(true);
  });

  it('hardens every new WebContents, denies permissions and cancels network requests', () => {
    const app = new EventEmitter();
    let permission: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    let beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined;
    const session = {
      setPermissionRequestHandler: (h: typeof permission) => (permission = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
      webRequest: { onBeforeRequest: (h: typeof beforeRequest) => (beforeRequest = h) },
    };
    hardenApp(app as never, session as never);
    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.openHandler?.()).toEqual({ action: 'deny' });
    const granted = vi.fn();
    permission?.({}, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(check?.()).toBe(false);
    const answer = vi.fn();
    beforeRequest?.({ url: 'https://telemetry.example/' }, answer);
    beforeRequest?.({ url: 'app://renderer/assets/x.js' }, answer);
    expect(answer.mock.calls).toEqual([[{ cancel: true }], [{ cancel: false }]]);
  });
});

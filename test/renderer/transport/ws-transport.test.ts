// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { takeToken } from '../../../renderer/transport/ws-transport';

describe('takeToken', () => {
  it('takes the token from the fragment, stores it for the tab and clears the address bar', () => {
    const token = 'ab'.repeat(32);
    window.history.replaceState(null, '', `/index.html?x=1#token=${token}`);
    expect(takeToken(window.location, window.sessionStorage, window.history)).toBe(token);
    expect(window.location.hash).toBe('');
    expect(window.location.search).toBe('?x=1');
    // After a reload the fragment is gone, the tab's copy remains.
    expect(takeToken(window.location, window.sessionStorage, window.history)).toBe(token);
  });

  it('ignores a fragment that is not a token', () => {
    window.sessionStorage.clear();
    window.history.replaceState(null, '', '/#token=<script>');
    expect(takeToken(window.location, window.sessionStorage, window.history)).toBeNull();
  });
});

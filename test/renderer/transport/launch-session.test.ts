// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { exchangeLaunchCode, takeLaunchCode } from '../../../renderer/transport/launch-session';

const code = 'c0'.repeat(16);
const token = 'ab'.repeat(32);
const answer = (body: unknown) => vi.fn(async () => new Response(JSON.stringify(body)));

describe('launch code', () => {
  it('is taken from the fragment and leaves the address bar at once', () => {
    window.history.replaceState(null, '', `/index.html?x=1#launch=${code}`);
    expect(takeLaunchCode(window.location, window.history)).toBe(code);
    expect(window.location.hash).toBe('');
    expect(window.location.search).toBe('?x=1');
    expect(takeLaunchCode(window.location, window.history)).toBeNull();
  });

  it('is cleared but ignored when it is not a code', () => {
    window.history.replaceState(null, '', '/#launch=<script>');
    expect(takeLaunchCode(window.location, window.history)).toBeNull();
    expect(window.location.hash).toBe('');
  });

  it('is traded once for the token by a POST that carries it in a header', async () => {
    const fetcher = answer({ ok: true, value: { token } });
    expect(await exchangeLaunchCode('http://127.0.0.1:5', code, fetcher)).toEqual({ ok: true, token });
    expect(fetcher).toHaveBeenCalledWith('http://127.0.0.1:5/session', {
      method: 'POST',
      headers: { 'x-sonofuse-launch': code },
      cache: 'no-store',
      credentials: 'omit',
    });
  });

  it('passes on the host refusal, and turns odd answers and failures into typed errors', async () => {
    const used = answer({ ok: false, error: { code: 'UNAUTHORIZED', message: 'already used' } });
    expect(await exchangeLaunchCode('', code, used)).toEqual({
      ok: false,
      code: 'UNAUTHORIZED',
      message: 'already used',
    });
    expect(await exchangeLaunchCode('', code, answer({ ok: true, value: { token: 'short' } }))).toMatchObject(
      {
        ok: false,
        code: 'MALFORMED_MESSAGE',
      },
    );
    const down = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await exchangeLaunchCode('', code, down)).toMatchObject({ ok: false, code: 'TRANSPORT_CLOSED' });
  });
});

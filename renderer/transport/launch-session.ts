import {
  LAUNCH_HEADER,
  LaunchCode,
  ResultEnvelope,
  SESSION_PATH,
  SessionGrant,
} from '../../shared/contract/index';

/**
 * Reads a one-time launch code from the URL fragment (`#launch=<code>`) and removes it from the
 * address bar at once, so neither history nor a bookmark keeps it. Returns null when there is none.
 */
export const takeLaunchCode = (location: Location, history: History): string | null => {
  const match = /(?:^#|&)launch=([^&]*)/.exec(location.hash);
  if (!match) return null;
  history.replaceState(null, '', location.pathname + location.search);
  const code = LaunchCode.safeParse(match[1]);
  return code.success ? code.data : null;
};

/**
 * Trades a launch code for this launch's token at the host (POST with the code in a header: a
 * page from another origin cannot send that without a preflight the host never grants). Resolves
 * with the token, or with the host's typed refusal (a code used twice or expired is UNAUTHORIZED).
 */
export const exchangeLaunchCode = async (
  origin: string,
  code: string,
  fetcher: typeof fetch = fetch,
): Promise<{ ok: true; token: string } | { ok: false; code: string; message: string }> => {
  try {
    const response = await fetcher(`${origin}${SESSION_PATH}`, {
      method: 'POST',
      headers: { [LAUNCH_HEADER]: code },
      cache: 'no-store',
      credentials: 'omit',
    });
    const envelope = ResultEnvelope.safeParse(await response.json());
    if (!envelope.success) return { ok: false, code: 'MALFORMED_MESSAGE', message: 'Unexpected answer.' };
    if (!envelope.data.ok) return { ok: false, ...envelope.data.error };
    const grant = SessionGrant.safeParse(envelope.data.value);
    return grant.success
      ? { ok: true, token: grant.data.token }
      : { ok: false, code: 'MALFORMED_MESSAGE', message: 'Unexpected answer.' };
  } catch {
    return { ok: false, code: 'TRANSPORT_CLOSED', message: 'SonoFuse did not answer.' };
  }
};

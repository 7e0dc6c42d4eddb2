/**
 * The Content-Security-Policy of every page SonoFuse serves (Electron's app:// protocol and the
 * loopback host). Starts from `default-src 'none'` and opens only what the renderer needs: its own
 * scripts and styles, images from itself (thumbnails, previews, blobs), and, in the browser mode,
 * the WebSocket of the host that served it.
 */
export const buildCsp = (options: { connect?: string[] } = {}): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${options.connect?.length ? ["'self'", ...options.connect].join(' ') : "'self'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');

/** Response headers that go with every served page and asset. */
export const securityHeaders = (csp: string): Record<string, string> => ({
  'Content-Security-Policy': csp,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
});

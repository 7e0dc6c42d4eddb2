import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

/** What tried to reach the network while the guard was on. */
export interface NetworkGuard {
  readonly attempts: string[];
  restore(): void;
}

const proxyVars = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'];

/**
 * Denies networking in this process: every outbound path Node offers (net.Socket#connect, which
 * undici's fetch, http(s) and tls all end in; tls.connect; http(s).request/get; dns.lookup; fetch)
 * records the attempt and throws, and the proxy variables point at a dead port (127.0.0.1:9) for
 * any library that would honour them. Tests assert `attempts` stays empty.
 */
export const denyNetwork = (): NetworkGuard => {
  const attempts: string[] = [];
  const deny = (what: string) => {
    attempts.push(what);
    throw new Error(`network denied in this test: ${what}`);
  };
  const saved = {
    connect: net.Socket.prototype.connect,
    tlsConnect: tls.connect,
    httpRequest: http.request,
    httpGet: http.get,
    httpsRequest: https.request,
    httpsGet: https.get,
    lookup: dns.lookup,
    fetch: globalThis.fetch,
    env: Object.fromEntries(proxyVars.map((k) => [k, process.env[k]])),
  };
  const describe = (args: unknown[]) => {
    const a = args[0];
    return typeof a === 'object' && a !== null ? JSON.stringify(a).slice(0, 120) : String(a);
  };
  net.Socket.prototype.connect = function (...args: unknown[]) {
    return deny(`net.Socket.connect ${describe(args)}`);
  } as typeof net.Socket.prototype.connect;
  tls.connect = ((...args: unknown[]) => deny(`tls.connect ${describe(args)}`)) as typeof tls.connect;
  http.request = ((...args: unknown[]) => deny(`http.request ${describe(args)}`)) as typeof http.request;
  http.get = ((...args: unknown[]) => deny(`http.get ${describe(args)}`)) as typeof http.get;
  https.request = ((...args: unknown[]) => deny(`https.request ${describe(args)}`)) as typeof https.request;
  https.get = ((...args: unknown[]) => deny(`https.get ${describe(args)}`)) as typeof https.get;
  dns.lookup = ((...args: unknown[]) => deny(`dns.lookup ${describe(args)}`)) as unknown as typeof dns.lookup;
  globalThis.fetch = (async (...args: unknown[]) => deny(`fetch ${describe(args)}`)) as typeof fetch;
  for (const k of proxyVars) process.env[k] = 'http://127.0.0.1:9';
  return {
    attempts,
    restore() {
      net.Socket.prototype.connect = saved.connect;
      tls.connect = saved.tlsConnect;
      http.request = saved.httpRequest;
      http.get = saved.httpGet;
      https.request = saved.httpsRequest;
      https.get = saved.httpsGet;
      dns.lookup = saved.lookup;
      globalThis.fetch = saved.fetch;
      for (const k of proxyVars) {
        if (saved.env[k] === undefined) delete process.env[k];
        else process.env[k] = saved.env[k];
      }
    },
  };
};

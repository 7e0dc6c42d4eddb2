import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import {
  LAUNCH_HEADER,
  SESSION_PATH,
  WS_PATH,
  type ErrorCode,
  type SessionGrant,
} from '../../shared/contract/index';
import type { AppCore } from '../contract-server/create-app-core';
import { buildCsp, securityHeaders } from '../security/csp';
import { createToken, tokensEqual } from '../security/token';
import { createLaunchCodes, LAUNCH_TTL_MS } from './launch-codes';
import { createRefusalLog } from './refusal-log';
import { serveStatic } from './static-files';
import { attachContractSocket, DEFAULT_SOCKET_LIMITS, type SocketLimits } from './ws-gateway';

/** A token-protected route for later features (thumbnails, previews, report downloads). */
export interface HostRoute {
  prefix: string;
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    headers: Record<string, string>,
  ): void | Promise<void>;
}

export interface HostOptions {
  core: AppCore;
  rendererDir: string;
  /** 0 picks a free port. The host always binds 127.0.0.1, never another interface. */
  port?: number;
  token?: string;
  routes?: HostRoute[];
  /** Frame size and flow limits of every contract socket. */
  socketLimits?: SocketLimits;
}

export interface RunningHost {
  /**
   * A URL to open: `/#launch=<one-time code>`, valid once and for `ttlMs` (default one minute).
   * The page trades the code for the token at {@link SESSION_PATH}; the token itself is never put
   * in a URL or on a command line.
   */
  launchUrl(ttlMs?: number): string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Parses a request target against the host's origin, or null when it is not a URL at all. */
const parseTarget = (target: string | undefined, origin: string): URL | null => {
  try {
    return new URL(target ?? '/', origin);
  } catch {
    return null;
  }
};

/**
 * The browser transport: serves the built renderer and the contract over a WebSocket on loopback
 * only. Every WebSocket upgrade must present this launch's token and come from this host's own
 * origin (and Host header, against DNS rebinding); anything else is refused with a typed error
 * body while the host keeps serving.
 */
export const startHost = async (options: HostOptions): Promise<RunningHost> => {
  const token = options.token ?? createToken();
  const logger = options.core.services.logger;
  let origin = '';
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  let headers: Record<string, string> = {};
  let peers = 0;
  const launchCodes = createLaunchCodes();

  const refuse = (res: ServerResponse, status: number, code: ErrorCode, message: string): void => {
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ ok: false, error: { code, message } }));
  };

  const exchange = (req: IncomingMessage, res: ServerResponse): void => {
    if (!allowedOrigins.has(req.headers.origin ?? ''))
      return refuse(
        res,
        403,
        'FORBIDDEN_ORIGIN',
        'The launch code is accepted only from the page this host served.',
      );
    if (!launchCodes.redeem(req.headers[LAUNCH_HEADER]))
      return refuse(res, 401, 'UNAUTHORIZED', 'This launch address was already used or has expired.');
    const grant: SessionGrant = { token };
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    res.end(JSON.stringify({ ok: true, value: grant }));
    req.resume();
  };

  const handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = parseTarget(req.url, origin);
    if (!url) return refuse(res, 400, 'INVALID_INPUT', 'Malformed request target.');
    if (!allowedHosts.has(req.headers.host ?? ''))
      return refuse(res, 421, 'FORBIDDEN_ORIGIN', 'Unexpected Host header.');
    if (url.pathname === SESSION_PATH && req.method === 'POST') return exchange(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'INVALID_INPUT', 'Only GET is served.');
    const route = options.routes?.find((r) => url.pathname.startsWith(r.prefix));
    if (route) {
      const presented = url.searchParams.get('token') ?? req.headers['x-sonofuse-token'];
      if (!tokensEqual(token, presented)) return refuse(res, 401, 'UNAUTHORIZED', 'Missing or wrong token.');
      void Promise.resolve()
        .then(() => route.handle(req, res, url, headers))
        .catch((error) => {
          logger.error('host', `route ${route.prefix} failed: ${(error as Error)?.message ?? error}`);
          if (!res.headersSent) refuse(res, 500, 'INTERNAL', 'Route failed.');
          else res.destroy();
        });
      return;
    }
    serveStatic(options.rendererDir, url.pathname, res, headers);
  };

  const server = createServer((req, res) => {
    res.on('error', () => res.destroy());
    try {
      handleRequest(req, res);
    } catch (error) {
      // Nothing a request carries may take the host down: answer 500 and keep serving.
      logger.error('host', `request failed: ${(error as Error)?.message ?? error}`);
      if (!res.headersSent) refuse(res, 500, 'INTERNAL', 'Request failed.');
      else res.destroy();
    }
  });

  const limits = options.socketLimits ?? DEFAULT_SOCKET_LIMITS;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxInboundBytes });
  const logRefusal = createRefusalLog(logger);

  const rejectUpgrade = (socket: Socket, status: number, code: ErrorCode, message: string): void => {
    const body = JSON.stringify({ ok: false, error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    logRefusal(code);
  };

  const upgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    const url = parseTarget(req.url, origin);
    if (!url) return rejectUpgrade(socket, 400, 'INVALID_INPUT', 'Malformed request target.');
    if (url.pathname !== WS_PATH) return rejectUpgrade(socket, 404, 'NOT_FOUND', 'No such endpoint.');
    if (!allowedHosts.has(req.headers.host ?? ''))
      return rejectUpgrade(socket, 403, 'FORBIDDEN_ORIGIN', 'Unexpected Host header.');
    if (!allowedOrigins.has(req.headers.origin ?? ''))
      return rejectUpgrade(
        socket,
        403,
        'FORBIDDEN_ORIGIN',
        'Connections are accepted only from the page this host served.',
      );
    if (!tokensEqual(token, url.searchParams.get('token')))
      return rejectUpgrade(socket, 401, 'UNAUTHORIZED', 'Missing or wrong token.');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const peer = `ws${++peers}`;
      logger.info('host', `client ${peer} connected`);
      attachContractSocket(ws, options.core, peer, limits);
      ws.on('close', () => logger.info('host', `client ${peer} disconnected`));
    });
  };

  // CONNECT (a proxy tunnel) is not served: answer it like any refused method instead of a silent close.
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.on('error', () => socket.destroy());
    const body = JSON.stringify({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'Only GET is served.' },
    });
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      upgrade(req, socket, head);
    } catch (error) {
      logger.error('host', `upgrade failed: ${(error as Error)?.message ?? error}`);
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${HOST}:${port}`;
  allowedHosts = new Set([`${HOST}:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([origin, `http://localhost:${port}`]);
  headers = securityHeaders(buildCsp({ connect: [`ws://${HOST}:${port}`, `ws://localhost:${port}`] }));
  logger.info('host', `serving on ${origin} (loopback only)`);

  return {
    launchUrl: (ttlMs = LAUNCH_TTL_MS) => `${origin}/#launch=${launchCodes.mint(ttlMs)}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { WS_PATH, type ErrorCode } from '../../shared/contract/index';
import type { AppCore } from '../contract-server/create-app-core';
import { buildCsp, securityHeaders } from '../security/csp';
import { createToken, tokensEqual } from '../security/token';
import { serveStatic } from './static-files';
import { attachContractSocket } from './ws-gateway';

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
}

export interface RunningHost {
  /** The URL to open: the token rides in the fragment, which browsers never send to a server. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

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

  const refuse = (res: ServerResponse, status: number, code: ErrorCode, message: string): void => {
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ ok: false, error: { code, message } }));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (!allowedHosts.has(req.headers.host ?? ''))
      return refuse(res, 421, 'FORBIDDEN_ORIGIN', 'Unexpected Host header.');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'INVALID_INPUT', 'Only GET is served.');
    const route = options.routes?.find((r) => url.pathname.startsWith(r.prefix));
    if (route) {
      const presented = url.searchParams.get('token') ?? req.headers['x-sonofuse-token'];
      if (!tokensEqual(token, presented)) return refuse(res, 401, 'UNAUTHORIZED', 'Missing or wrong token.');
      void Promise.resolve(route.handle(req, res, url, headers)).catch((error) => {
        logger.error('host', `route ${route.prefix} failed: ${(error as Error).message}`);
        if (!res.headersSent) refuse(res, 500, 'INTERNAL', 'Route failed.');
        else res.destroy();
      });
      return;
    }
    serveStatic(options.rendererDir, url.pathname, res, headers);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });

  const rejectUpgrade = (socket: Socket, status: number, code: ErrorCode, message: string): void => {
    const body = JSON.stringify({ ok: false, error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    logger.warn('host', `refused a WebSocket upgrade: ${code}`);
  };

  server.on('upgrade', (req, socket: Socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', origin);
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
      attachContractSocket(ws, options.core, peer);
      ws.on('close', () => logger.info('host', `client ${peer} disconnected`));
    });
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
    url: `${origin}/#token=${token}`,
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

/** A static file server on loopback for the synthetic EHR pages (demo, tests, benchmark). */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

export const PAGES_DIR = resolve(import.meta.dirname, '..', 'tests', 'fixtures', 'pages');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface Served {
  server: Server;
  origin: string;
  /** Extra pages served from memory (generated benchmark pages). */
  pages: Map<string, string>;
  close(): Promise<void>;
}

export async function serve(root = PAGES_DIR, port = 0): Promise<Served> {
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const generated = pages.get(path);
    if (generated !== undefined) {
      res.writeHead(200, { 'content-type': TYPES['.html']! });
      res.end(generated);
      return;
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'),
    );
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    origin: `http://127.0.0.1:${actual}`,
    pages,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

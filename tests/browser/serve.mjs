// A static file server for the Trunk-built playground (dist/), on 127.0.0.1 only.
//
// Used by `make run` (node tests/browser/serve.mjs [--port N] [DIR]) and by the end-to-end
// harness (run.mjs), so the tests exercise the same server a user gets. It serves files under
// DIR and nothing else: no directory listings, no paths outside DIR, `index.html` for `/`.
// Every request is recorded (`server.requests`), so tests can check what the page fetched.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Content types of the files Trunk writes (module scripts and Wasm need exact types). */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serve `root` on 127.0.0.1:`port` (0: any free port; a busy port moves on to the next, up to
 * `tries` times). Resolves to `{ server, url, requests, close() }`.
 */
export async function serve(root, { port = 0, tries = 1 } = {}) {
  const base = resolve(root);
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push({ method: req.method, path: url.pathname, at: Date.now() });
    let path;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, 'bad path');
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) return send(res, 403, 'forbidden');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    try {
      if (!(await stat(file)).isFile()) return send(res, 404, 'not found');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      send(res, 404, 'not found');
    }
  });
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise((ok, fail) => {
        server.once('error', fail);
        server.listen(port === 0 ? 0 : port + attempt, '127.0.0.1', () => {
          server.off('error', fail);
          ok();
        });
      });
      break;
    } catch (e) {
      if (e.code !== 'EADDRINUSE' || port === 0 || attempt + 1 >= tries) throw e;
    }
  }
  const url = `http://127.0.0.1:${server.address().port}/`;
  return {
    server,
    url,
    requests,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

// `node serve.mjs [--port N] [DIR]`: serve DIR (default dist) until interrupted.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let port = 8080;
  let dir = 'dist';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--port') port = Number(args[++i]);
    else dir = args[i];
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('usage: node serve.mjs [--port N] [DIR]');
    process.exit(2);
  }
  try {
    await stat(join(dir, 'index.html'));
  } catch {
    console.error(`${dir}/index.html not found: build the playground first (make web)`);
    process.exit(1);
  }
  const { url } = await serve(dir, { port, tries: 20 });
  console.log(`Serving ${resolve(dir)} (127.0.0.1 only; Ctrl+C stops)`);
  console.log(`\n    Playground: ${url}\n`);
}

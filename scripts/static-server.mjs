// A tiny static file server for the release build (dist/), bound to 127.0.0.1 only.
//
//   node scripts/static-server.mjs [dir] [--port N]
//
// Port 0 (or a busy requested port) means "any free port". The URL is printed on stdout as
// `Serving <dir> at http://127.0.0.1:PORT/`. The e2e tests and the page benchmark import
// `startStaticServer` from here, so that what they test is what `scripts/serve.sh` serves.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".gsd": "application/octet-stream",
  ".txt": "text/plain; charset=utf-8",
  ".wgsl": "text/plain; charset=utf-8",
};

/** Resolves a request path inside `root`, or null when it would escape it. */
function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath.split("?")[0]);
  } catch {
    return null;
  }
  const file = normalize(join(root, decoded));
  return file === root || file.startsWith(root + sep) ? file : null;
}

async function handle(root, req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" }).end();
    return;
  }
  let file = resolveInside(root, req.url ?? "/");
  if (file === null) {
    res.writeHead(400).end("bad path");
    return;
  }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = await readFile(file);
    res.writeHead(200, {
      "Content-Type": MIME[extname(file)] ?? "application/octet-stream",
      "Content-Length": body.length,
      "Cache-Control": "no-cache",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
  }
}

function listen(server, port, host) {
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      ok();
    });
  });
}

/**
 * Serves `dir` on `host:port`; a busy port falls back to a free one.
 * Resolves to `{ url, port, close }`.
 */
export async function startStaticServer({ dir = "dist", port = 0, host = "127.0.0.1" } = {}) {
  const root = resolve(dir);
  await stat(join(root, "index.html")); // fail early when there is no build
  const server = createServer((req, res) => {
    handle(root, req, res).catch(() => res.writeHead(500).end());
  });
  try {
    await listen(server, port, host);
  } catch (err) {
    if (err.code !== "EADDRINUSE" || port === 0) throw err;
    console.error(`port ${port} is busy; using a free one`);
    await listen(server, 0, host);
  }
  const actual = server.address().port;
  return {
    url: `http://${host}:${actual}/`,
    port: actual,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let dir = "dist";
  let port = 8080;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--port") port = Number(args[++i]);
    else dir = args[i];
  }
  const { url } = await startStaticServer({ dir, port });
  console.log(`Serving ${dir} at ${url}`);
  console.log("Press Ctrl+C to stop.");
}

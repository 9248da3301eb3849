// The page an InstanceVncUrl is opened in, as the real cloud's active_vnc/index.html: /vnc/index.html?InstanceVncUrl=
// followed by DescribeInstanceVncUrl's answer shows the machine's screen with noVNC, served from the installed
// @novnc/novnc package (no CDN: the page works where the server has no way out).
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export const VNC_PAGE_PREFIX = "/vnc/";
/** The package's root: its one export is core/rfb.js. */
const NOVNC = dirname(dirname(createRequire(import.meta.url).resolve("@novnc/novnc")));
/** Modules of the package the page may load: its core and the inflater it vendors. */
const MODULE = /^\/vnc\/novnc\/((?:core|vendor)\/(?:[\w-]+\/)*[\w.-]+\.js)$/;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>OpenCVM console</title>
<style>
  html, body { margin: 0; height: 100%; background: #222; color: #ddd; font: 14px sans-serif; }
  body { display: flex; flex-direction: column; }
  #status { padding: 4px 8px; }
  #screen { flex: 1; overflow: hidden; }
</style>
</head>
<body>
<div id="status" role="status">Connecting…</div>
<main id="screen"></main>
<script type="module" src="console.js"></script>
</body>
</html>
`;

// The address is given URL-encoded, as DescribeInstanceVncUrl answers it; URLSearchParams decodes it once.
const SCRIPT = `import RFB from "./novnc/core/rfb.js";
const status = document.getElementById("status");
const address = new URLSearchParams(location.search).get("InstanceVncUrl");
if (!address) {
  status.textContent = "No InstanceVncUrl: append ?InstanceVncUrl= and DescribeInstanceVncUrl's answer to this page's address.";
} else {
  const rfb = new RFB(document.getElementById("screen"), address);
  rfb.scaleViewport = true;
  rfb.addEventListener("connect", () => (status.textContent = "Connected"));
  rfb.addEventListener("disconnect", (e) =>
    (status.textContent = e.detail.clean ? "Disconnected" : "The console closed: the address may be used or expired (15 s); ask DescribeInstanceVncUrl again."));
}
`;

// The page loads only its own scripts and talks only to this server.
const HEADERS = { "Content-Security-Policy": "default-src 'self'; connect-src 'self' ws: wss:; style-src 'unsafe-inline'", "X-Content-Type-Options": "nosniff" };

/** Answers a GET under /vnc/: the page, its script, and noVNC's modules; 404 for anything else. */
export async function serveVncPage(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://console").pathname;
  if (req.method !== "GET") return void res.writeHead(405, { Allow: "GET" }).end();
  if (path === "/vnc/" || path === "/vnc/index.html") return void res.writeHead(200, { ...HEADERS, "Content-Type": "text/html; charset=utf-8" }).end(PAGE);
  if (path === "/vnc/console.js") return void res.writeHead(200, { ...HEADERS, "Content-Type": "text/javascript; charset=utf-8" }).end(SCRIPT);
  const module = MODULE.exec(path)?.[1];
  const text = module && (await readFile(join(NOVNC, module)).catch(() => undefined));
  if (!text) return void res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found\n");
  res.writeHead(200, { ...HEADERS, "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "max-age=3600" }).end(text);
}

// Builds the dashboard into ../../../target/dashboard-web/dashboard (a resource folder of the jar).
// Run by Maven (exec-maven-plugin) with the machine's node: installs the locked packages with
// `npm ci` when node_modules is missing or older than package-lock.json, and bundles only when a
// source file is newer than the last bundle, so an unchanged dashboard costs a few milliseconds.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "..", "target", "dashboard-web", "dashboard");
const stamp = join(out, ".built");

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const newest = (p) =>
  statSync(p).isDirectory()
    ? Math.max(0, ...readdirSync(p).map((f) => newest(join(p, f))))
    : statSync(p).mtimeMs;

const installed = join(here, "node_modules", ".package-lock.json");
if (mtime(installed) < mtime(join(here, "package-lock.json"))) {
  console.log("dashboard: npm ci");
  execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"], {
    cwd: here,
    stdio: "inherit",
  });
}

const sources = Math.max(
  newest(join(here, "src")),
  mtime(join(here, "index.html")),
  mtime(join(here, "build.mjs")),
  mtime(installed),
);
if (mtime(stamp) >= sources && process.env.DASHBOARD_FORCE !== "1") {
  console.log("dashboard: up to date");
  process.exit(0);
}

const esbuild = await import("esbuild");
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: [join(here, "src", "main.js")],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020"],
  outdir: out,
  entryNames: "app",
  logLevel: "warning",
  legalComments: "linked",
});
cpSync(join(here, "index.html"), join(out, "index.html"));
writeFileSync(stamp, new Date().toISOString() + "\n");
console.log("dashboard: built into " + out);

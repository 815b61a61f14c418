/**
 * Sample generators need Debian tools (LibreOffice, Chromium, poppler, qpdf, ghostscript, CJK fonts).
 * As root they are installed on the spot (the project's machines run as root and reach Debian's
 * mirrors); otherwise the apt-get line is printed and the script stops.
 */
import { spawnSync } from "node:child_process";

export function ensureDebianPackages(packages: string[], satisfied: () => boolean): void {
  if (satisfied()) return;
  const line = `apt-get install -y ${packages.join(" ")}`;
  if (process.getuid?.() !== 0) {
    console.error(`missing tools; install them with:\n  ${line}`);
    process.exit(1);
  }
  console.error(`installing: ${line}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
  const r = spawnSync("apt-get", ["install", "-y", "-q", ...packages], { stdio: "inherit", env });
  if (r.status !== 0 || !satisfied()) {
    console.error(`installing failed; run by hand:\n  ${line}`);
    process.exit(1);
  }
}

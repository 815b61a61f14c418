/** A database made by an older nianbao opens for read-only commands (audit, show, export) without a manual step. */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { currentVersion, latestVersion, MIGRATIONS, migrate } from "../../src/store/migrations.js";
import { openStore } from "../../src/store/store.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-upgrade-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("a read-only open upgrades an older schema first", () => {
  const file = path.join(dir, "old.db");
  const db = new Database(file);
  migrate(db, () => "2026-01-01T00:00:00Z", MIGRATIONS.slice(0, 1));
  expect(currentVersion(db)).toBe(1);
  db.close();

  const store = openStore(file, { readonly: true });
  expect(store.listReports()).toEqual([]);
  store.close();
  const check = new Database(file, { readonly: true });
  expect(currentVersion(check)).toBe(latestVersion());
  check.close();
});

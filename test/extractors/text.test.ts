/** Text flattening styles beyond the committed samples. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractReport } from "../../src/pipeline/extract.js";
import { score, type Truth } from "../helpers/truth.js";

const seed = readFileSync("samples/real/seed-wuhai-edu-2022.txt", "utf8");
const truth = JSON.parse(readFileSync("samples/real/seed-wuhai-edu-2022.truth.json", "utf8")) as Truth;

/** The founding sample re-flattened: every table cell on a line of its own, no delimiter at all. */
function oneCellPerLine(text: string): string {
  return text
    .split("\n")
    .map((l) =>
      l.includes("|")
        ? l
            .split("|")
            .map((c) => c.trim())
            .filter(Boolean)
            .join("\n")
        : l,
    )
    .join("\n");
}

describe("text styles", () => {
  it("cells copied one per line with no delimiter rejoin their rows", async () => {
    const r = await extractReport({
      bytes: new TextEncoder().encode(oneCellPerLine(seed)),
      locator: "x.txt",
    });
    const s = score(r, truth);
    expect(s.wrong).toEqual([]);
    expect(r.status).toBe("ok");
  });

  it("full-width digits and ASCII brackets read like the official forms", async () => {
    const wide = seed
      .replace(/(?<=\| )11(?= \|)/g, "１１")
      .replaceAll("（", "(")
      .replaceAll("）", ")");
    const r = await extractReport({ bytes: new TextEncoder().encode(wide), locator: "x.txt" });
    expect(r.cells["t2.normative_documents.issued"]?.value).toBe(11);
    expect(score(r, truth).wrong).toEqual([]);
  });
});

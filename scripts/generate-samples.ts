/**
 * Writes the synthetic sample set into samples/generated/: for both templates every style twice
 * (consistent reports) plus one report per injection type spread over the styles, each as
 * `<id>.<ext>` + `<id>.truth.json`, and an index.json. Deterministic: re-running gives identical bytes.
 *
 *   npx tsx scripts/generate-samples.ts
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type CorpusItem,
  generateSample,
  INJECTIONS,
  type Injection,
  STYLES,
  type Template,
} from "../src/samples/generator.js";

const OUT = fileURLToPath(new URL("../samples/generated/", import.meta.url));
const TEMPLATES: Template[] = ["v2021", "v2019"];
const CONSISTENT_PER_STYLE = 2;

interface Planned {
  id: string;
  seed: number;
  style: (typeof STYLES)[number];
  template: Template;
  inject: Injection[];
}

function plan(): Planned[] {
  const out: Planned[] = [];
  TEMPLATES.forEach((template, ti) => {
    STYLES.forEach((style, si) => {
      for (let n = 1; n <= CONSISTENT_PER_STYLE; n++) {
        const seed = 10_000 + ti * 1000 + si * 10 + n;
        out.push({ id: `gen-${template}-${style}-${n}`, seed, style, template, inject: [] });
      }
    });
    const injections = INJECTIONS.filter((x) => template === "v2021" || x !== "T2.W1");
    injections.forEach((what, k) => {
      // Spread over the styles: a different style per injection and template.
      const style = STYLES[(k * 3 + ti * 5) % STYLES.length] ?? "html-clean";
      const id = `gen-${template}-inj-${what.replace(".", "").toLowerCase()}-${style}`;
      out.push({ id, seed: 20_000 + ti * 100 + k, style, template, inject: [what] });
    });
  });
  return out;
}

function write(item: CorpusItem): void {
  writeFileSync(`${OUT}${item.truth.file}`, item.bytes);
  writeFileSync(`${OUT}${item.id}.truth.json`, `${JSON.stringify(item.truth, null, 1)}\n`);
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  // Start clean so renamed or dropped samples do not linger.
  for (const f of readdirSync(OUT)) rmSync(`${OUT}${f}`);
  const index = plan().map((p) => {
    const item = generateSample(p.id, p.seed, p.style, { template: p.template, inject: p.inject });
    write(item);
    return {
      id: p.id,
      file: item.truth.file,
      truth: `${p.id}.truth.json`,
      kind: item.truth.kind,
      style: p.style,
      template: p.template,
      year: item.truth.year,
      seed: p.seed,
      content_type: item.contentType ?? null,
      injections: p.inject,
      expected_findings: item.truth.expected_findings.length,
    };
  });
  writeFileSync(
    `${OUT}index.json`,
    `${JSON.stringify({ generator: "src/samples/generator.ts", samples: index }, null, 1)}\n`,
  );
  console.log(`wrote ${index.length} samples to ${OUT}`);
}

main();

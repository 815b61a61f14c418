/**
 * A PDF made of page images, one full-page image XObject per page (JPEG as DCT, PNG as grey Flate),
 * as a scanner writes them. Used by the scan-sample generator and the OCR tests; small enough that no
 * PDF library (or ImageMagick's PDF coder, disabled by Debian's policy) is needed.
 */
import { deflateSync } from "node:zlib";
import { PNG } from "pngjs";

/** A PDF with one full-page image per page: JPEG (DCT) as is, PNG as grey Flate. */
export function imagePdf(pages: Buffer[], dpi: number): Buffer {
  const objects: Buffer[] = [];
  const add = (body: Buffer | string) => {
    objects.push(typeof body === "string" ? Buffer.from(body, "latin1") : body);
    return objects.length;
  };
  const pageIds: number[] = [];
  const pagesId = 2;
  add("<< /Type /Catalog /Pages 2 0 R >>");
  add(""); // the page tree, filled in at the end
  for (const bytes of pages) {
    let w: number;
    let h: number;
    let dict: string;
    let data: Buffer;
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const sof = sofSize(bytes);
      w = sof.width;
      h = sof.height;
      dict = `/ColorSpace /${sof.components === 3 ? "DeviceRGB" : "DeviceGray"} /BitsPerComponent 8 /Filter /DCTDecode`;
      data = bytes;
    } else {
      const png = PNG.sync.read(bytes);
      w = png.width;
      h = png.height;
      const grey = Buffer.alloc(w * h);
      for (let i = 0; i < w * h; i++) grey[i] = png.data[i * 4]!;
      dict = "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode";
      data = deflateSync(grey, { level: 9 });
    }
    const img = add(
      Buffer.concat([
        Buffer.from(
          `<< /Type /XObject /Subtype /Image /Width ${w} /Height ${h} ${dict} /Length ${data.length} >>\nstream\n`,
          "latin1",
        ),
        data,
        Buffer.from("\nendstream", "latin1"),
      ]),
    );
    const pw = (w * 72) / dpi;
    const ph = (h * 72) / dpi;
    const content = `q ${pw.toFixed(2)} 0 0 ${ph.toFixed(2)} 0 0 cm /Im0 Do Q`;
    const c = add(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    pageIds.push(
      add(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${pw.toFixed(2)} ${ph.toFixed(2)}] /Resources << /XObject << /Im0 ${img} 0 R >> >> /Contents ${c} 0 R >>`,
      ),
    );
  }
  objects[pagesId - 1] = Buffer.from(
    `<< /Type /Pages /Kids [${pageIds.map((i) => `${i} 0 R`).join(" ")}] /Count ${pageIds.length} >>`,
    "latin1",
  );
  const parts: Buffer[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  const offsets: number[] = [];
  let size = parts[0]!.length;
  objects.forEach((o, i) => {
    offsets.push(size);
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, "latin1"),
      o,
      Buffer.from("\nendobj\n", "latin1"),
    ]);
    parts.push(chunk);
    size += chunk.length;
  });
  const xref = [
    "xref",
    `0 ${objects.length + 1}`,
    "0000000000 65535 f ",
    ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n `),
    "trailer",
    `<< /Size ${objects.length + 1} /Root 1 0 R >>`,
    "startxref",
    String(size),
    "%%EOF\n",
  ].join("\n");
  parts.push(Buffer.from(xref, "latin1"));
  return Buffer.concat(parts);
}

function sofSize(b: Buffer): { width: number; height: number; components: number } {
  let i = 2;
  while (i < b.length) {
    const marker = b[i + 1]!;
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7), components: b[i + 9]! };
    }
    i += 2 + len;
  }
  throw new Error("no SOF marker");
}

/**
 * Grayscale rasters and the few pixel operations the table reader needs: decode (PNG through pngjs, JPEG
 * through jpeg-js, TIFF through utif2, every page of a multi-page TIFF), bounded downscale, crop,
 * resample, rotation, adaptive binarisation, and PGM encoding for tesseract. One byte per pixel
 * keeps a 150 dpi A4 page at ~2 MB.
 */

import { createCanvas } from "@napi-rs/canvas";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import UTIF from "utif2";
import type { Box } from "../pdf/geometry.js";
import { UnreadableInputError } from "../types.js";

export interface Gray {
  width: number;
  height: number;
  /** Row-major luminance, 0 = black. */
  data: Uint8Array;
}

/** Largest raster kept in memory; bigger images are downscaled to it (≈ A4 at 300 dpi is 8.7 MP). */
export const MAX_PIXELS = 12_000_000;
/** Images larger than this are refused before decoding (a decompression bomb, not a page). */
export const MAX_DECODE_PIXELS = 120_000_000;

export function gray(width: number, height: number, fill = 255): Gray {
  return { width, height, data: new Uint8Array(width * height).fill(fill) };
}

/**
 * Grey level for OCR: the brightest channel, so coloured ink is light; and a strongly red pixel
 * (a seal, a red signature) is paper outright, while black print under it stays dark.
 */
export function paperOrInk(r: number, g: number, b: number): number {
  if (r > 120 && r - Math.min(g, b) > 70) return 255;
  return Math.max(r, g, b);
}

function fromRgba(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Gray {
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += 4) {
    const a = rgba[j + 3]! / 255;
    // The brightest channel, not luminance: a red seal stamped over a table is paper, while black
    // print (under the seal too) stays dark in every channel. Transparent pixels are paper.
    const l = paperOrInk(rgba[j]!, rgba[j + 1]!, rgba[j + 2]!);
    out[i] = Math.round(l * a + 255 * (1 - a));
  }
  return { width, height, data: out };
}

/** Width and height from a PNG or JPEG header, without decoding (to refuse bombs cheaply). */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes.length >= 24) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { width: v.getUint32(16), height: v.getUint32(20) };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return null;
      const marker = bytes[i + 1]!;
      const len = (bytes[i + 2]! << 8) | bytes[i + 3]!;
      // Start-of-frame markers (not DHT, JPG, DAC) carry the size.
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { height: (bytes[i + 5]! << 8) | bytes[i + 6]!, width: (bytes[i + 7]! << 8) | bytes[i + 8]! };
      }
      i += 2 + len;
    }
  }
  return null;
}

function tooBig(w: number, h: number): UnreadableInputError {
  return new UnreadableInputError(
    `图像过大（${w}×${h}像素），拒绝解码 (image too large: ${w}x${h})`,
    "limit",
  );
}

/** Decodes an image file into one raster per page (TIFFs may hold several). */
export async function decodeImage(bytes: Uint8Array): Promise<Gray[]> {
  const isTiff =
    (bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a) ||
    (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[3] === 0x2a);
  if (isTiff) return decodeTiff(bytes);
  const size = imageSize(bytes);
  if (!size || size.width === 0 || size.height === 0)
    throw new UnreadableInputError("无法解码的图像：文件头损坏 (corrupt image header)", "corrupt");
  if (size.width * size.height > MAX_DECODE_PIXELS) throw tooBig(size.width, size.height);
  // Pure-JS decoders: a corrupt file is an exception, never a crash of the process.
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    decoded =
      bytes[0] === 0x89
        ? PNG.sync.read(buf)
        : jpeg.decode(buf, {
            useTArray: true,
            formatAsRGBA: true,
            maxResolutionInMP: MAX_DECODE_PIXELS / 1e6,
            maxMemoryUsageInMB: 2048,
          });
  } catch (err) {
    throw new UnreadableInputError(`无法解码的图像：${(err as Error).message} (corrupt image)`, "corrupt");
  }
  return [bounded(fromRgba(decoded.data, decoded.width, decoded.height))];
}

/** First value of a TIFF tag (utif2 keeps tags as arrays). */
function tag(v: unknown): number {
  return Array.isArray(v) ? Number(v[0] ?? 0) : 0;
}

function decodeTiff(bytes: Uint8Array): Gray[] {
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let ifds: ReturnType<typeof UTIF.decode>;
  try {
    ifds = UTIF.decode(buf);
  } catch (err) {
    throw new UnreadableInputError(`无法解码的TIFF：${(err as Error).message} (corrupt TIFF)`, "corrupt");
  }
  const pages: Gray[] = [];
  for (const ifd of ifds) {
    const w = tag(ifd.t256);
    const h = tag(ifd.t257);
    if (w === 0 || h === 0) continue; // thumbnails and EXIF directories
    if (w * h > MAX_DECODE_PIXELS) throw tooBig(w, h);
    try {
      UTIF.decodeImage(buf, ifd);
    } catch (err) {
      throw new UnreadableInputError(`无法解码的TIFF：${(err as Error).message} (corrupt TIFF)`, "corrupt");
    }
    pages.push(bounded(fromRgba(UTIF.toRGBA8(ifd), ifd.width, ifd.height)));
  }
  if (pages.length === 0) throw new UnreadableInputError("TIFF中没有图像 (empty TIFF)", "corrupt");
  return pages;
}

/** Downscales a raster above MAX_PIXELS (area average). */
export function bounded(img: Gray): Gray {
  const n = img.width * img.height;
  if (n <= MAX_PIXELS) return img;
  const k = Math.sqrt(MAX_PIXELS / n);
  return resize(img, Math.floor(img.width * k), Math.floor(img.height * k));
}

/** Resamples to w×h: area average when shrinking, bilinear when enlarging. */
export function resize(img: Gray, w: number, h: number): Gray {
  const out = gray(w, h);
  const sx = img.width / w;
  const sy = img.height / h;
  if (sx >= 1 && sy >= 1) {
    for (let y = 0; y < h; y++) {
      const y0 = Math.floor(y * sy);
      const y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
      for (let x = 0; x < w; x++) {
        const x0 = Math.floor(x * sx);
        const x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) {
          const row = yy * img.width;
          for (let xx = x0; xx < x1; xx++) sum += img.data[row + xx]!;
        }
        out.data[y * w + x] = sum / ((y1 - y0) * (x1 - x0));
      }
    }
    return out;
  }
  for (let y = 0; y < h; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const tx = fx - x0;
      const a = img.data[y0 * img.width + x0]! * (1 - tx) + img.data[y0 * img.width + x1]! * tx;
      const b = img.data[y1 * img.width + x0]! * (1 - tx) + img.data[y1 * img.width + x1]! * tx;
      out.data[y * w + x] = a * (1 - ty) + b * ty;
    }
  }
  return out;
}

export function crop(img: Gray, x0: number, y0: number, x1: number, y1: number): Gray {
  const l = Math.max(0, Math.floor(x0));
  const t = Math.max(0, Math.floor(y0));
  const r = Math.min(img.width, Math.ceil(x1));
  const b = Math.min(img.height, Math.ceil(y1));
  const w = Math.max(0, r - l);
  const h = Math.max(0, b - t);
  const out = gray(w, h);
  for (let y = 0; y < h; y++)
    out.data.set(img.data.subarray((t + y) * img.width + l, (t + y) * img.width + l + w), y * w);
  return out;
}

/** Rotates about the centre by `deg` (counter-clockwise positive in image coordinates), paper outside. */
export function rotate(img: Gray, deg: number): Gray {
  if (deg === 0) return img;
  if (Math.abs(Math.abs(deg) - 180) < 1e-9) {
    const out = gray(img.width, img.height);
    for (let i = 0, n = img.data.length; i < n; i++) out.data[i] = img.data[n - 1 - i]!;
    return out;
  }
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = img.width / 2;
  const cy = img.height / 2;
  const out = gray(img.width, img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      // Inverse mapping: where in the source this output pixel comes from.
      const dx = x - cx;
      const dy = y - cy;
      const sx = cos * dx - sin * dy + cx;
      const sy = sin * dx + cos * dy + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= img.width || y0 + 1 >= img.height) continue;
      const tx = sx - x0;
      const ty = sy - y0;
      const i = y0 * img.width + x0;
      const top = img.data[i]! * (1 - tx) + img.data[i + 1]! * tx;
      const bot = img.data[i + img.width]! * (1 - tx) + img.data[i + img.width + 1]! * tx;
      out.data[y * img.width + x] = top * (1 - ty) + bot * ty;
    }
  }
  return out;
}

/**
 * Adaptive binarisation (Bradley–Roth over an integral image): a pixel is ink when it is darker than
 * its neighbourhood's mean by `pct`, and darker than `floor` overall, so uneven lighting and grey
 * paper are not ink while faint strokes are. Returns 1 = ink.
 */
export function binarize(img: Gray, pct = 0.15, floor = 200): Uint8Array {
  const { width: w, height: h, data } = img;
  const integral = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x]!;
      integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1]! + row;
    }
  }
  const r = Math.max(8, Math.round(Math.min(w, h) / 40));
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const sum =
        integral[y1 * (w + 1) + x1]! -
        integral[y0 * (w + 1) + x1]! -
        integral[y1 * (w + 1) + x0]! +
        integral[y0 * (w + 1) + x0]!;
      const mean = sum / ((y1 - y0) * (x1 - x0));
      const v = data[y * w + x]!;
      out[y * w + x] = v < mean * (1 - pct) && v < floor ? 1 : 0;
    }
  }
  return out;
}

/** Binary PGM (P5): the simplest image file tesseract (leptonica) reads. */
export function toPgm(img: Gray): Buffer {
  const header = Buffer.from(`P5\n${img.width} ${img.height}\n255\n`, "ascii");
  return Buffer.concat([header, Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength)]);
}

/** A raster as RGBA for canvas drawing and PNG encoding (debugging, samples). */
export function toPng(img: Gray): Buffer {
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext("2d");
  const id = ctx.createImageData(img.width, img.height);
  for (let i = 0; i < img.data.length; i++) {
    const v = img.data[i]!;
    id.data[i * 4] = v;
    id.data[i * 4 + 1] = v;
    id.data[i * 4 + 2] = v;
    id.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(id, 0, 0);
  return canvas.toBuffer("image/png");
}

/** Boxes of the connected blobs of `mask` (4-connected), with their pixel counts. */
export function blobs(mask: Uint8Array, width: number, height: number): { box: Box; n: number }[] {
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  const out: { box: Box; n: number }[] = [];
  const visit = (j: number) => {
    if (!mask[j] || seen[j]) return;
    seen[j] = 1;
    stack.push(j);
  };
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let [l, t, r, b, n] = [width, height, -1, -1, 0];
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const y = (i / width) | 0;
      const x = i - y * width;
      n++;
      if (x < l) l = x;
      if (x > r) r = x;
      if (y < t) t = y;
      if (y > b) b = y;
      if (x > 0) visit(i - 1);
      if (x < width - 1) visit(i + 1);
      if (y > 0) visit(i - width);
      if (y < height - 1) visit(i + width);
    }
    out.push({ box: [l, t, r + 1, b + 1], n });
  }
  return out;
}

/** The tight box of the ink inside `box`, or null for fewer than 6 pixels (noise, a rule's halo). */
export function inkWithin(mask: Uint8Array, width: number, box: Box): Box | null {
  let [l, t, r, b, n] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, -1, -1, 0];
  for (let y = box[1]; y < box[3]; y++)
    for (let x = box[0]; x < box[2]; x++) {
      if (!mask[y * width + x]) continue;
      n++;
      if (x < l) l = x;
      if (x > r) r = x;
      if (y < t) t = y;
      if (y > b) b = y;
    }
  return n < 6 ? null : [l, t, r + 1, b + 1];
}

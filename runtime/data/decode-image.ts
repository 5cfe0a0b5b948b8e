import sharp from 'sharp';
import { DataError } from './data-error.js';
import { decodeJpegView } from './jpeg-decoder.js';
import { jpegOrientation } from './jpeg-orientation.js';
import { cropPixels, pilResizeBilinear } from './pil-resize.js';
import type { Pixels } from './pixels.js';

export type { Pixels } from './pixels.js';

/**
 * Decoding: any image sharp reads becomes 8-bit sRGB with 3 channels (grey,
 * palette, CMYK and 16-bit converted, alpha flattened on black, EXIF
 * orientation applied, first frame of animations and first page of TIFFs).
 * An embedded ICC profile is ignored, as PIL's `convert('RGB')` (torchvision's
 * loader) ignores it: the stored values are the pixels. sharp would otherwise
 * convert from the profile to sRGB, which changes the pixels of every image
 * stored in another colour space (Display P3 phone photos, Adobe RGB scans:
 * up to 41 levels on a P3 test image) and, even for an sRGB profile, builds
 * a colour transform per image (a 640 x 427 JPEG: 11.1 ms against 5.3).
 * A corrupt or truncated file fails here: nothing half-decoded goes further.
 */

/** PIL's DecompressionBombError threshold (2 x Image.MAX_IMAGE_PIXELS). */
export const MAX_INPUT_PIXELS = 178_956_970;

export interface ResizeAndCrop {
  /** Size after the resize (the whole oriented image scaled to it). */
  readonly resize: { readonly width: number; readonly height: number } | null;
  /** Region of the resized image to keep. */
  readonly crop: { readonly left: number; readonly top: number; readonly width: number; readonly height: number } | null;
}

/**
 * Decodes (an upright plain JPEG with libjpeg-turbo in WebAssembly on this
 * thread, anything else with sharp on libvips threads), then (optionally)
 * resizes the whole image and crops it with PIL's bilinear (pil-resize.ts),
 * so pixels match torchvision's exactly whenever the decoders agree.
 */
export async function decodeImage(bytes: Buffer, file: string, geometry: ResizeAndCrop = { resize: null, crop: null }): Promise<Pixels> {
  const view = decodeUprightJpegView(bytes);
  let pixels: Pixels = view ? { ...view, data: view.data.slice() } : await decodeWithSharp(bytes, file);
  if (geometry.resize) pixels = pilResizeBilinear(pixels, geometry.resize.width, geometry.resize.height);
  return geometry.crop ? cropPixels(pixels, geometry.crop) : pixels;
}

/**
 * An upright plain JPEG decoded by libjpeg-turbo in WebAssembly (jpeg-decoder.ts),
 * as a view of this thread's decoder memory that its next decode overwrites:
 * use it before anything else can run on this thread (no await in between).
 * Null for every other file: decodeWithSharp decodes those, or says why it cannot.
 */
export function decodeUprightJpegView(bytes: Uint8Array): Pixels | null {
  if (jpegOrientation(bytes) !== 1) return null;
  return decodeJpegView(bytes, MAX_INPUT_PIXELS);
}

/** Decodes any image sharp reads, on libvips threads (see the top of this file for what "decoding" includes). */
export async function decodeWithSharp(bytes: Buffer, file: string): Promise<Pixels> {
  let pixels: Pixels;
  try {
    pixels = await decodeRgb(bytes);
  } catch {
    // libvips keeps one error buffer for all threads: when several decodes fail at
    // once their messages can mix. Decode again alone for this file's own reason.
    pixels = await alone(async () => {
      try {
        return await decodeRgb(bytes);
      } catch (error) {
        throw badImage(file, error);
      }
    });
  }
  return pixels;
}

export { cropAndResize } from './pil-resize.js';

async function decodeRgb(bytes: Buffer): Promise<Pixels> {
  // Flattening costs a copy even when there is no alpha (about a tenth of a photo's decode), so
  // decode without it and redo the rare image that turns out to have alpha: the same pixels either way.
  const plain = await rgbPipeline(bytes, false).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const hasAlpha = plain.info.channels === 2 || plain.info.channels === 4;
  const { data, info } = hasAlpha ? await rgbPipeline(bytes, true).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }) : plain;
  return toRgb(data, info.width, info.height, info.channels);
}

function rgbPipeline(bytes: Buffer, flatten: boolean): sharp.Sharp {
  // A JPEG whose header says it is upright skips auto-rotation's copy; anything else lets libvips read the orientation.
  const oriented = jpegOrientation(bytes) === 1 ? open(bytes) : open(bytes).rotate();
  return (flatten ? oriented.flatten({ background: { r: 0, g: 0, b: 0 } }) : oriented).toColourspace('srgb');
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `task` after every earlier one has settled. */
function alone<T>(task: () => Promise<T>): Promise<T> {
  const result = queue.then(task, task);
  queue = result.catch(() => undefined);
  return result;
}

function open(bytes: Buffer): sharp.Sharp {
  if (bytes.length === 0) throw new Error('empty file');
  return sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS, pages: 1, page: 0, sequentialRead: true, ignoreIcc: true });
}

function toRgb(data: Buffer, width: number, height: number, channels: number): Pixels {
  if (channels === 3) return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < out.length; i += 3, j += channels) {
    out[i] = data[j];
    out[i + 1] = data[channels >= 3 ? j + 1 : j];
    out[i + 2] = data[channels >= 3 ? j + 2 : j];
  }
  return { width, height, data: out };
}

function badImage(file: string, error: unknown): DataError {
  if (error instanceof DataError) return error;
  const reason = error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : String(error);
  return new DataError('BAD_IMAGE', `${file}: cannot decode image: ${reason}`, { file, cause: error });
}

import sharp from 'sharp';

/**
 * Extensions of the files an ImageFolder scan picks up: the formats this
 * build of sharp can read (BMP and the others only when libvips was built
 * with ImageMagick). Compared case-insensitively, like torchvision.
 */
const ALWAYS = ['.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif'];
const VIA_MAGICK = ['.bmp', '.ppm', '.pgm'];

export const IMAGE_EXTENSIONS: readonly string[] = Object.freeze(
  sharp.format.magick?.input?.file ? [...ALWAYS, ...VIA_MAGICK] : ALWAYS,
);

export function hasImageExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}

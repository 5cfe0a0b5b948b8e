/**
 * Thumbnails of the misclassified test images, made with sharp from the data
 * root recorded by the run (a relative root is taken from the results
 * directory, so results moved together with their data still find it). An
 * image that cannot be read gets no thumbnail; the report says so.
 */
import path from 'node:path';
import sharp from 'sharp';
import type { ReportModel } from './report-model.js';

export const THUMBNAIL_SIZE = 112;

/** Key of a thumbnail: run id and file. */
export function thumbnailKey(runId: string, file: string): string {
  return `${runId}/${file}`;
}

export async function makeThumbnails(
  model: ReportModel,
  resultsDir: string,
  format: 'png' | 'jpeg' = 'png',
): Promise<Map<string, Buffer>> {
  const thumbnails = new Map<string, Buffer>();
  for (const detail of model.details) {
    if (!detail.data_root) continue;
    const root = path.resolve(resultsDir, detail.data_root);
    for (const item of detail.gallery) {
      const file = path.resolve(root, ...item.file.split('/'));
      if (path.relative(root, file).startsWith('..')) continue; // stays inside the data root
      try {
        const image = sharp(file, { failOn: 'none' })
          .rotate()
          .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'cover', kernel: 'lanczos3' })
          .flatten({ background: '#ffffff' });
        const buffer = format === 'png' ? await image.png().toBuffer() : await image.jpeg({ quality: 82 }).toBuffer();
        thumbnails.set(thumbnailKey(detail.id, item.file), buffer);
      } catch {
        // Missing or unreadable image: shown as "image not available".
      }
    }
  }
  return thumbnails;
}

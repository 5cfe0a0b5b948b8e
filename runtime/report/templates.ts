/**
 * The HTML templates: `layout.hbs`, `report.css` and `partials/*.hbs` from
 * the project's templates/ folder; a user's `--templates DIR` replaces any of
 * them by name (DIR/layout.hbs, DIR/report.css, DIR/<partial>.hbs or
 * DIR/partials/<partial>.hbs) and may add partials of its own.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../bin/user-error.js';

export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface ReportTemplates {
  readonly layout: string;
  readonly css: string;
  readonly partials: Readonly<Record<string, string>>;
}

export async function loadTemplates(overrideDir?: string): Promise<ReportTemplates> {
  const base = await readTemplateDir(DEFAULT_TEMPLATES_DIR);
  if (!base.layout || base.css === undefined) throw new Error(`templates missing in ${DEFAULT_TEMPLATES_DIR}`);
  if (!overrideDir) return { layout: base.layout, css: base.css, partials: base.partials };
  const user = await readTemplateDir(overrideDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new UserError(`--templates ${overrideDir}: no such directory`);
    throw error;
  });
  if (!user.layout && user.css === undefined && Object.keys(user.partials).length === 0) {
    throw new UserError(`--templates ${overrideDir}: no layout.hbs, report.css or partial .hbs file there`);
  }
  return {
    layout: user.layout ?? base.layout,
    css: user.css ?? base.css,
    partials: { ...base.partials, ...user.partials },
  };
}

async function readTemplateDir(dir: string) {
  const partials: Record<string, string> = {};
  let layout: string | undefined;
  let css: string | undefined;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isFile() && entry.name === 'layout.hbs') layout = await readFile(file, 'utf8');
    else if (entry.isFile() && entry.name === 'report.css') css = await readFile(file, 'utf8');
    else if (entry.isFile() && entry.name.endsWith('.hbs')) partials[entry.name.slice(0, -4)] = await readFile(file, 'utf8');
  }
  const partialDir = path.join(dir, 'partials');
  const inner = await readdir(partialDir, { withFileTypes: true }).catch(() => []);
  for (const entry of inner) {
    if (entry.isFile() && entry.name.endsWith('.hbs')) {
      partials[entry.name.slice(0, -4)] = await readFile(path.join(partialDir, entry.name), 'utf8');
    }
  }
  return { layout, css, partials };
}

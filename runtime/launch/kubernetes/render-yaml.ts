import { stringify } from 'yaml';
import type { Manifest } from './build-manifests.js';

/**
 * Manifests as one multi-document YAML stream, byte-stable: keys in the
 * order the builder wrote them, no line folding, no timestamps. The header
 * lines become comments at the top.
 */
export function renderManifests(manifests: readonly Manifest[], header: readonly string[] = []): string {
  const comments = header.map((line) => `# ${line}`.trimEnd() + '\n').join('');
  const documents = manifests.map((m) => stringify(m, { lineWidth: 0, indentSeq: true }));
  return comments + documents.map((d) => `---\n${d}`).join('');
}

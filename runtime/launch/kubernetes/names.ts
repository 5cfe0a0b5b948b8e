/**
 * Object names and label values. A Job's name becomes the `job-name` label of
 * its pods (63 characters at most) and, for an Indexed Job, the start of each
 * pod's hostname `<job>-<index>` (a DNS label, 63 at most), so the name is a
 * DNS label kept short enough for a 6-digit index and the "-report" suffix.
 */
const MAX_BASE = 48;

/** Lower-case letters, digits and single hyphens; never empty, never starting or ending with a hyphen. */
export function dnsLabel(text: string, maxLength: number): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.slice(0, maxLength).replace(/-+$/, '');
  return cut.length > 0 ? cut : 'x';
}

/**
 * `sweepspec-<study>-<submission>`: the last 24 characters of the submission
 * id keep names of one study's submissions apart (a Job's pod template cannot
 * be changed, so applying a second submission under the same name would
 * fail); the study part is cut to fit.
 */
export function jobBaseName(study: string, submissionId: string): string {
  // The id's end is what tells one submission from the next (a random or counter suffix).
  const id = dnsLabel(dnsLabel(submissionId, 253).slice(-24).replace(/^-+/, ''), 24);
  const room = MAX_BASE - 'sweepspec-'.length - id.length - 1;
  return `sweepspec-${dnsLabel(study, Math.max(1, room))}-${id}`;
}

/** A label value: 63 characters of [A-Za-z0-9_.-], alphanumeric at both ends. */
export function labelValue(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 63);
  return cleaned.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** A namespace given with --namespace must already be a DNS label (RFC 1123). */
export function isDnsLabel(text: string): boolean {
  return text.length <= 63 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(text);
}

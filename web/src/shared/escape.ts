/**
 * Escapes text for HTML built by hand (ECharts tooltip formatters return HTML strings): every piece of data that
 * goes into such a string passes through here, so a producer named `<img onerror=…>` stays text.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"'`]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c] as string,
  );
}

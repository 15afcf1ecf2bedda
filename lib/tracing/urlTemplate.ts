/**
 * A request path as a template for a span: the query string dropped, and every segment that
 * carries a value (percent-encoded text such as a court code, or four digits and more, such as a
 * unit number or an account) replaced by `{}`. `/zxaj/v1/courts/%E6%B5%990106/cases?page=2`
 * becomes `/zxaj/v1/courts/{}/cases`: a bounded span name, and no identifier in it.
 */
export function urlTemplate(path: string): string {
  const end = path.search(/[?#]/);
  const bare = end === -1 ? path : path.slice(0, end);
  return bare
    .split('/')
    .map((segment) => (/%|\d{4}/.test(segment) ? '{}' : segment))
    .join('/');
}

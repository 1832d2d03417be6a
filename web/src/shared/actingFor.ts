/**
 * Delegated collection (代录): a service agency's staff pick a producer that authorised the agency, and every API
 * call then carries `X-Acting-For: <subject id>`; the server checks the authorisation's scopes per write. Kept for
 * the browser tab (sessionStorage), cleared at logout.
 */
export interface ActingFor {
  subjectId: string;
  name: string;
}

const KEY = 'suyuan.actingFor';
const listeners = new Set<() => void>();

export function actingFor(): ActingFor | null {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as ActingFor | null;
    return v && typeof v.subjectId === 'string' && typeof v.name === 'string' ? v : null;
  } catch {
    return null;
  }
}

export function setActingFor(v: ActingFor | null) {
  if (v) sessionStorage.setItem(KEY, JSON.stringify(v));
  else sessionStorage.removeItem(KEY);
  for (const fn of listeners) fn();
}

export function onActingForChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

import { useApiQuery } from '../useApiQuery';
import { useT } from '../i18n';

const VALID = /^\d{2}(\d{2}){0,2}(\d{3}){0,2}$/;

/**
 * A division's full name ("广东省广州市从化区温泉镇") for a code: the one cached lookup per code the whole UI shares
 * (the divisions API is public and immutable). Undefined while loading or when the code is not a division code.
 */
export function useDivisionName(code: string | null | undefined): string | undefined {
  const valid = !!code && VALID.test(code);
  const q = useApiQuery(
    '/api/v1/divisions/{code}',
    { params: { path: { code: code ?? '' } } },
    { enabled: valid, staleTime: Number.POSITIVE_INFINITY, retry: false },
  );
  return q.data?.fullName || q.data?.name || undefined;
}

/**
 * A division's name for a code, never the raw 9-digit code alone: '' reads 全国 / national; while loading, the code
 * is shown. `withCode` adds the code as secondary text (where officials match it against documents).
 */
export function DivisionName({ code, withCode }: { code: string | null | undefined; withCode?: boolean }) {
  const t = useT();
  const name = useDivisionName(code);
  if (!code) return <>{code === '' ? t('全国', 'national') : '—'}</>;
  return (
    <span title={code}>
      <span data-userdata>{name ?? code}</span>
      {withCode && name && <code style={{ color: '#999', marginInlineStart: 4 }}>{code}</code>}
    </span>
  );
}

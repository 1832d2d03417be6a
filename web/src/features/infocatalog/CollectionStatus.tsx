import { Alert, Button, Space, Tag } from 'antd';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { pick } from './api';

const RECORD = '/api/v1/info-catalog/records/{resource}/{recordId}' as const;
/** What a change to a collected record makes stale (its collection status and the review queue). */
export const COLLECTION_STALE = [RECORD, '/api/v1/reviews'] as const;

const day = (iso: string) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });

/**
 * How a record was collected, shown beside it: late (uploaded more than the catalogue's limit after the work, seed
 * 000 art. 11) and its review (art. 12) — a returned record shows the reasons, which the collector corrects in place
 * (the record's own correction) or resubmits as it is.
 */
export function CollectionStatus({ resource, recordId }: { resource: string; recordId: string }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const showError = useShowError();
  const rec = useApiQuery(
    RECORD,
    { params: { path: { resource, recordId } } },
    { enabled: can('infocatalog.read'), retry: false },
  );
  const resubmit = useApiMutation('post', '/api/v1/reviews/{id}/resubmit', { invalidate: [...COLLECTION_STALE] });
  const c = rec.data;
  // Not collected through the catalogue (e.g. a bought batch): nothing to show.
  if (!c?.collected) return null;
  const r = c.review;
  return (
    <Space direction="vertical" style={{ width: '100%', marginBottom: 8 }} data-testid="collection-status">
      <Space wrap>
        {c.late ? (
          <Tag color="red" data-testid="collected-late">
            {t(
              `迟报：作业 ${c.workAt ? day(c.workAt) : '–'}，上传 ${c.uploadedAt ? day(c.uploadedAt) : '–'}（超过 ${c.lateDays} 天）`,
              `Late: work ${c.workAt ? day(c.workAt) : '–'}, uploaded ${c.uploadedAt ? day(c.uploadedAt) : '–'} (over ${c.lateDays} d)`,
            )}
          </Tag>
        ) : (
          <Tag color="green" data-testid="collected-on-time">
            {t('按时上传', 'Uploaded on time')}
          </Tag>
        )}
        {r && (
          <Tag
            data-testid="review-state"
            color={r.state === 'approved' ? 'green' : r.state === 'returned' ? 'red' : 'blue'}
          >
            {t('审核', 'Review')}: {pick(lang, r.statusZh, r.statusEn)}
          </Tag>
        )}
        <Tag>{t(`目录版本 ${c.catalogVersion}`, `Catalogue ${c.catalogVersion}`)}</Tag>
      </Space>
      {r?.state === 'returned' && (
        <Alert
          type="error"
          showIcon
          data-testid="review-returned"
          message={t('审核退回，请更正后重新提交', 'Returned by the reviewer: correct it and resubmit')}
          description={[r.reasons.map((x) => pick(lang, x.zh, x.en)).join('、'), r.comment].filter(Boolean).join(' — ')}
          action={
            r.allowedActions.includes('resubmit') && (
              <Button
                size="small"
                data-testid="review-resubmit"
                loading={resubmit.isPending}
                onClick={() => resubmit.mutateAsync({ params: { path: { id: r.id } } }).catch(showError)}
              >
                {t('重新提交', 'Resubmit')}
              </Button>
            )
          }
        />
      )}
    </Space>
  );
}

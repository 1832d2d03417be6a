import { Button, Card, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import type { ApiItem, ApiQuery } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { usePagedTable } from '../../shared/usePagedTable';
import { PlatformName } from '../../shared/ui/PlatformName';

type Row = ApiItem<'/api/v1/sharing/corrections'>;
type Filter = Omit<ApiQuery<'/api/v1/sharing/corrections'>, 'page' | 'pageSize'>;
const COLORS: Record<string, string> = { open: 'orange', corrected: 'green', answered: 'blue' };

/**
 * Correction requests (更正请求) with their status, on both sides: sent from here (or relayed) to a lower platform,
 * and received from the upper platform for our records — these the origin's regulators answer here, or correct the
 * record itself in its own page (the new version then shows the request corrected above).
 */
export default function CorrectionsPage() {
  const { t, lang } = useI18n();
  const showError = useShowError();
  const [filter, setFilter] = useState<Filter>({});
  const { tableProps, error } = usePagedTable('/api/v1/sharing/corrections', filter);
  const answer = useApiMutation('post', '/api/v1/sharing/corrections/{id}/answer', {
    invalidate: ['/api/v1/sharing/corrections'],
  });
  const pick = (l: { zh: string; en: string }) => (lang === 'en' ? l.en : l.zh);
  const when = (v: string | null) => (v ? new Date(v).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') : '—');
  const onAnswer = (r: Row) =>
    Modal.confirm({
      title: t('答复上级平台的更正请求', 'Answer the correction request'),
      content: <Input.TextArea id="correction-answer" rows={3} maxLength={500} />,
      okText: t('答复', 'Answer'),
      cancelText: t('取消', 'Cancel'),
      onOk: async () => {
        const text = (document.getElementById('correction-answer') as HTMLTextAreaElement)?.value ?? '';
        try {
          await answer.mutateAsync({ params: { path: { id: r.id } }, body: { answer: text } });
        } catch (e) {
          showError(e);
          throw e;
        }
      },
    });
  return (
    <Card title={t('更正请求', 'Correction requests')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('状态', 'Status')}
          style={{ width: 140 }}
          onChange={(status) => setFilter({ ...filter, status })}
          options={[
            { value: 'open', label: t('待处理', 'Open') },
            { value: 'corrected', label: t('已更正', 'Corrected') },
            { value: 'answered', label: t('已答复', 'Answered') },
          ]}
        />
      </Space>
      <ErrorText error={error} />
      <Table<Row>
        rowKey="id"
        scroll={{ x: 'max-content' }}
        {...tableProps}
        columns={[
          {
            title: t('方向', 'Direction'),
            dataIndex: 'direction',
            render: (d: string, r) =>
              d === 'received' ? (
                t(`收到（${r.requestedByName}）`, `received (${r.requestedByName})`)
              ) : (
                <>
                  {t('发往', 'sent to ')}
                  {r.deliverTo ? <PlatformName id={r.deliverTo} /> : '—'}
                </>
              ),
          },
          {
            title: t('记录', 'Record'),
            key: 'rec',
            render: (_, r) => (
              <>
                <PlatformName id={r.originPlatform} /> ·{' '}
                <span data-testid="correction-resource">{pick(r.resourceLabel)}</span> · {r.recordId.slice(0, 8)}
              </>
            ),
          },
          {
            title: t('字段', 'Fields'),
            key: 'fields',
            render: (_, r) => (
              <span data-testid="correction-fields">{r.fieldLabels.map(pick).join(lang === 'en' ? ', ' : '、')}</span>
            ),
          },
          { title: t('理由', 'Reason'), dataIndex: 'reason' },
          {
            title: t('状态', 'Status'),
            key: 'status',
            render: (_, r) => (
              <Tag color={COLORS[r.status]} data-testid="correction-status">
                {pick(r.statusLabel)}
              </Tag>
            ),
          },
          { title: t('答复', 'Answer'), dataIndex: 'answer', render: (a: string | null) => a ?? '—' },
          { title: t('请求时间', 'Requested'), dataIndex: 'createdAt', render: when },
          {
            title: t('操作', 'Actions'),
            key: 'act',
            render: (_, r) =>
              r.canAnswer ? (
                <Button size="small" onClick={() => onAnswer(r)}>
                  {t('答复', 'Answer')}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

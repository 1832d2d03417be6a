import { Button, Card, Input, Modal, Select, Space, Table, Tag, Timeline } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { ApiItem, ApiQuery } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { usePagedTable } from '../../shared/usePagedTable';
import { EvaluateNowButton } from './warningParts';

type W = ApiItem<'/api/v1/warnings'>;
type Filter = Omit<ApiQuery<'/api/v1/warnings'>, 'page' | 'pageSize'>;

/** 预警: warnings of the area from the rules, acknowledged and handled with a trail. */
export default function WarningsPage() {
  const { t, lang } = useI18n();
  const l = (x: { zh: string; en: string }) => (lang === 'en' ? x.en : x.zh);
  const showError = useShowError();
  const { can } = useAuth();
  const [filter, setFilter] = useState<Filter>({ status: 'open' });
  const { tableProps, error } = usePagedTable('/api/v1/warnings', filter);
  const ack = useApiMutation('post', '/api/v1/warnings/{id}/acknowledge', { invalidate: ['/api/v1/warnings'] });
  const handle = useApiMutation('post', '/api/v1/warnings/{id}/handle', { invalidate: ['/api/v1/warnings'] });
  const [handling, setHandling] = useState<W | null>(null);
  const [outcome, setOutcome] = useState('');
  return (
    <Card
      title={t('预警', 'Early warnings')}
      extra={
        <Space wrap>
          <Link to="/warnings/rules">{t('预警规则', 'Rules')}</Link>
          {can('warning.manageRules') && <EvaluateNowButton />}
          <Select
            style={{ width: 140 }}
            data-testid="warning-status"
            value={filter.status ?? ''}
            onChange={(v) => setFilter({ ...filter, status: (v || undefined) as Filter['status'] })}
            options={[
              { value: '', label: t('全部', 'All') },
              { value: 'open', label: t('待确认', 'Open') },
              { value: 'acknowledged', label: t('处理中', 'Acknowledged') },
              { value: 'handled', label: t('已处置', 'Handled') },
            ]}
          />
        </Space>
      }
    >
      <ErrorText error={error} />
      <Table<W>
        rowKey="id"
        scroll={{ x: 'max-content' }}
        {...tableProps}
        expandable={{
          expandedRowRender: (w) => (
            <Timeline
              items={w.trail.map((e) => ({
                children: `${e.at.slice(0, 16).replace('T', ' ')} ${l(e.actionLabel)} ${e.actorName ?? ''} ${e.orgName ?? ''} ${e.note ?? ''}`,
              }))}
            />
          ),
        }}
        columns={[
          { title: t('规则', 'Rule'), render: (_, w) => l(w.ruleName) },
          {
            title: t('预警内容', 'Warning'),
            render: (_, w) => (w.link ? <a href={w.link}>{l(w.title)}</a> : l(w.title)),
          },
          { title: t('地区', 'Area'), dataIndex: 'divisionName' },
          { title: t('发现时间', 'Detected'), render: (_, w) => w.detectedAt.slice(0, 16).replace('T', ' ') },
          { title: t('状态', 'Status'), render: (_, w) => <Tag>{l(w.statusLabel)}</Tag> },
          {
            title: t('操作', 'Actions'),
            render: (_, w) => (
              <Space>
                {w.allowedActions.includes('acknowledge') && (
                  <Button
                    size="large"
                    data-testid={`ack-${w.id}`}
                    onClick={() => ack.mutateAsync({ params: { path: { id: w.id } }, body: {} }).catch(showError)}
                  >
                    {t('确认', 'Acknowledge')}
                  </Button>
                )}
                {w.allowedActions.includes('handle') && (
                  <Button size="large" type="primary" onClick={() => setHandling(w)}>
                    {t('处置', 'Handle')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!handling}
        title={t('处置预警', 'Handle the warning')}
        onCancel={() => setHandling(null)}
        onOk={() =>
          handling &&
          handle
            .mutateAsync({ params: { path: { id: handling.id } }, body: { outcome } })
            .then(() => {
              setHandling(null);
              setOutcome('');
            })
            .catch(showError)
        }
      >
        <Input.TextArea
          rows={4}
          value={outcome}
          onChange={(e) => setOutcome(e.target.value)}
          placeholder={t('处置结果', 'Outcome')}
        />
      </Modal>
    </Card>
  );
}

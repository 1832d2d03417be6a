import { Button, Card, Descriptions, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { type ApiError, get, type Page, post } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';

interface Complaint {
  id: string; number: string; code: string; categoryName: string; text: string; contactName: string | null; contactPhone: string | null;
  photoFileId: string | null; orgName: string | null; status: string; outcome: string | null; createdAt: string; allowedActions: string[];
}
const STATUS: Record<string, [string, string, string]> = { submitted: ['待受理', 'New', 'orange'], handling: ['处理中', 'Handling', 'blue'], closed: ['已办结', 'Closed', 'green'] };

/** Complaints from the public trace page, routed to my jurisdiction: accept, then close with the outcome. */
export default function ComplaintsPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Complaint | null>(null);
  const [outcome, setOutcome] = useState('');
  const [actError, setActError] = useState<ApiError | null>(null);
  const { data, error, loading, reload } = useRequest(() => get<Page<Complaint>>('/complaints', { status, page, pageSize: 20 }), [status, page]);
  const act = async (c: Complaint, action: string) => {
    setActError(null);
    try {
      const next = await post<Complaint>(`/complaints/${c.id}/actions`, { action, ...(action === 'close' ? { outcome } : {}) });
      setOpen(next);
      reload();
    } catch (e) {
      setActError(e as ApiError);
    }
  };
  return (
    <Card title={t('投诉举报', 'Complaints')}>
      <Space style={{ marginBottom: 12 }}>
        <Select data-testid="complaint-status" allowClear placeholder={t('全部状态', 'All')} style={{ width: 160 }} size="large" value={status} onChange={(v) => { setPage(1); setStatus(v); }}
          options={Object.entries(STATUS).map(([k, v]) => ({ value: k, label: t(v[0], v[1]) }))} />
      </Space>
      <ErrorText error={error} />
      <Table<Complaint>
        rowKey="id" loading={loading} dataSource={data?.items} scroll={{ x: true }}
        pagination={{ current: page, total: data?.total, pageSize: 20, onChange: setPage }}
        onRow={(c) => ({ onClick: () => { setOpen(c); setOutcome(c.outcome ?? ''); setActError(null); }, style: { cursor: 'pointer' } })}
        columns={[
          { title: t('编号', 'Number'), dataIndex: 'number' },
          { title: t('类型', 'Type'), dataIndex: 'categoryName' },
          { title: t('内容', 'Text'), dataIndex: 'text', ellipsis: true },
          { title: t('追溯码', 'Code'), dataIndex: 'code', render: (c) => <code>{c}</code> },
          { title: t('状态', 'Status'), dataIndex: 'status', render: (s) => <Tag color={STATUS[s]?.[2]}>{t(STATUS[s]?.[0] ?? s, STATUS[s]?.[1] ?? s)}</Tag> },
          { title: t('时间', 'Time'), dataIndex: 'createdAt', render: (d) => new Date(d).toLocaleString() },
        ]}
      />
      <Modal open={!!open} onCancel={() => setOpen(null)} footer={null} title={open?.number} width={640}>
        {open && (
          <>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('追溯码', 'Code')}><a href={`/t/${open.code}`} target="_blank" rel="noreferrer">{open.code}</a></Descriptions.Item>
              <Descriptions.Item label={t('类型', 'Type')}>{open.categoryName}</Descriptions.Item>
              <Descriptions.Item label={t('内容', 'Text')}><span data-testid="complaint-text">{open.text}</span></Descriptions.Item>
              <Descriptions.Item label={t('联系人', 'Contact')}>{[open.contactName, open.contactPhone].filter(Boolean).join(' ') || '—'}</Descriptions.Item>
              {open.photoFileId && <Descriptions.Item label={t('照片', 'Photo')}><img alt="" src={`/api/v1/files/${open.photoFileId}`} style={{ maxWidth: '100%', maxHeight: 240 }} /></Descriptions.Item>}
              <Descriptions.Item label={t('状态', 'Status')}><span data-testid="complaint-state">{t(STATUS[open.status]?.[0] ?? open.status, STATUS[open.status]?.[1] ?? open.status)}</span></Descriptions.Item>
              {open.outcome && <Descriptions.Item label={t('处理结果', 'Outcome')}>{open.outcome}</Descriptions.Item>}
            </Descriptions>
            {open.allowedActions.includes('close') && (
              <Form layout="vertical" style={{ marginTop: 12 }}>
                <Form.Item label={t('处理结果（办结时必填）', 'Outcome (needed to close)')}><Input.TextArea data-testid="complaint-outcome" rows={3} value={outcome} onChange={(e) => setOutcome(e.target.value)} /></Form.Item>
              </Form>
            )}
            <ErrorText error={actError} />
            <Space style={{ marginTop: 8 }}>
              {open.allowedActions.includes('accept') && <Button size="large" data-testid="complaint-accept" onClick={() => act(open, 'accept')}>{t('受理', 'Accept')}</Button>}
              {open.allowedActions.includes('close') && <Button size="large" type="primary" data-testid="complaint-close" onClick={() => act(open, 'close')}>{t('办结', 'Close')}</Button>}
            </Space>
          </>
        )}
      </Modal>
    </Card>
  );
}

import { Button, Card, Descriptions, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import type { ApiItem, ApiQuery } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { usePagedTable } from '../../shared/usePagedTable';

type Complaint = ApiItem<'/api/v1/complaints'>;
type Status = NonNullable<ApiQuery<'/api/v1/complaints'>['status']>;
/** The status filter's options and the tags' colours (rows show the server's labels). */
const STATUS: Record<Status, [string, string, string]> = {
  submitted: ['待受理', 'New', 'orange'],
  handling: ['处理中', 'Handling', 'blue'],
  closed: ['已办结', 'Closed', 'green'],
};

/** Complaints from the public trace page, routed to my jurisdiction: accept, then close with the outcome. */
export default function ComplaintsPage() {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<Status | undefined>();
  const [open, setOpen] = useState<Complaint | null>(null);
  const [outcome, setOutcome] = useState('');
  const [actError, setActError] = useState<unknown>(null);
  const { error, tableProps } = usePagedTable('/api/v1/complaints', { status });
  const handle = useApiMutation('post', '/api/v1/complaints/{id}/actions', { invalidate: ['/api/v1/complaints'] });
  const act = async (c: Complaint, action: Complaint['allowedActions'][number]) => {
    setActError(null);
    try {
      setOpen(
        await handle.mutateAsync({
          params: { path: { id: c.id } },
          body: { action, ...(action === 'close' ? { outcome } : {}) },
        }),
      );
    } catch (e) {
      setActError(e);
    }
  };
  return (
    <Card title={t('投诉举报', 'Complaints')}>
      <Space style={{ marginBottom: 12 }}>
        <Select
          data-testid="complaint-status"
          allowClear
          placeholder={t('全部状态', 'All')}
          style={{ width: 160 }}
          size="large"
          value={status}
          onChange={(v) => setStatus(v)}
          options={(Object.keys(STATUS) as Status[]).map((k) => ({ value: k, label: t(STATUS[k][0], STATUS[k][1]) }))}
        />
      </Space>
      <ErrorText error={error} />
      <Table<Complaint>
        rowKey="id"
        {...tableProps}
        scroll={{ x: true }}
        onRow={(c) => ({
          onClick: () => {
            setOpen(c);
            setOutcome(c.outcome ?? '');
            setActError(null);
          },
          style: { cursor: 'pointer' },
        })}
        columns={[
          { title: t('编号', 'Number'), dataIndex: 'number' },
          { title: t('类型', 'Type'), render: (_, c) => (lang === 'en' ? c.categoryNameEn : c.categoryName) },
          { title: t('内容', 'Text'), dataIndex: 'text', ellipsis: true },
          {
            title: t('投诉对象', 'About'),
            render: (_, c) => (
              <>
                {lang === 'en' ? c.aboutEn : c.aboutZh}
                {c.aboutName ? ` · ${c.aboutName}` : ''}
              </>
            ),
          },
          { title: t('追溯码', 'Code'), dataIndex: 'code', render: (c) => (c ? <code>{c}</code> : '—') },
          {
            title: t('状态', 'Status'),
            render: (_, c) => <Tag color={STATUS[c.status][2]}>{lang === 'en' ? c.statusNameEn : c.statusName}</Tag>,
          },
          { title: t('时间', 'Time'), dataIndex: 'createdAt', render: (d) => new Date(d).toLocaleString() },
        ]}
      />
      <Modal open={!!open} onCancel={() => setOpen(null)} footer={null} title={open?.number} width={640}>
        {open && (
          <>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('追溯码', 'Code')}>
                {open.code ? (
                  <a href={`/t/${open.code}`} target="_blank" rel="noreferrer">
                    {open.code}
                  </a>
                ) : (
                  t('无（未提供追溯码）', 'none given')
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('投诉对象', 'About')}>
                <span data-testid="complaint-about">
                  {lang === 'en' ? open.aboutEn : open.aboutZh}
                  {open.aboutName ? ` · ${open.aboutName}` : ''}
                </span>
              </Descriptions.Item>
              {open.place && <Descriptions.Item label={t('发生地点', 'Place')}>{open.place}</Descriptions.Item>}
              <Descriptions.Item label={t('类型', 'Type')}>
                {lang === 'en' ? open.categoryNameEn : open.categoryName}
              </Descriptions.Item>
              <Descriptions.Item label={t('内容', 'Text')}>
                <span data-testid="complaint-text">{open.text}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('联系人', 'Contact')}>
                {[open.contactName, open.contactPhone].filter(Boolean).join(' ') || '—'}
              </Descriptions.Item>
              {open.photoFileId && (
                <Descriptions.Item label={t('照片', 'Photo')}>
                  <img alt="" src={`/api/v1/files/${open.photoFileId}`} style={{ maxWidth: '100%', maxHeight: 240 }} />
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('状态', 'Status')}>
                <span data-testid="complaint-state">{lang === 'en' ? open.statusNameEn : open.statusName}</span>
              </Descriptions.Item>
              {open.outcome && <Descriptions.Item label={t('处理结果', 'Outcome')}>{open.outcome}</Descriptions.Item>}
            </Descriptions>
            {open.allowedActions.includes('close') && (
              <Form layout="vertical" style={{ marginTop: 12 }}>
                <Form.Item label={t('处理结果（办结时必填）', 'Outcome (needed to close)')}>
                  <Input.TextArea
                    data-testid="complaint-outcome"
                    rows={3}
                    value={outcome}
                    onChange={(e) => setOutcome(e.target.value)}
                  />
                </Form.Item>
              </Form>
            )}
            <ErrorText error={actError} />
            <Space style={{ marginTop: 8 }}>
              {open.allowedActions.includes('accept') && (
                <Button size="large" data-testid="complaint-accept" onClick={() => act(open, 'accept')}>
                  {t('受理', 'Accept')}
                </Button>
              )}
              {open.allowedActions.includes('close') && (
                <Button size="large" type="primary" data-testid="complaint-close" onClick={() => act(open, 'close')}>
                  {t('办结', 'Close')}
                </Button>
              )}
            </Space>
          </>
        )}
      </Modal>
    </Card>
  );
}

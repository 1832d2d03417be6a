import { Button, Card, Input, Modal, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionName } from '../../shared/ui/DivisionName';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { usePagedTable } from '../../shared/usePagedTable';
import { type Notice, pick } from './api';

const STATE_COLORS: Record<Notice['state'], string> = { open: 'orange', replied: 'blue', closed: 'green' };

/**
 * 整改通知：责任单位回复，下发层级办结。`/evaluation/notices/:id` (the link of the notification) highlights that
 * notice and opens its reply when the caller may reply.
 */
export default function NoticesPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const showError = useShowError();
  const list = usePagedTable('/api/v1/rectification-notices', {});
  const act = useApiMutation('post', '/api/v1/rectification-notices/{id}/actions', {
    invalidate: ['/api/v1/rectification-notices'],
  });
  const [replying, setReplying] = useState<Notice>();
  const [text, setText] = useState('');
  const close = (n: Notice) =>
    Modal.confirm({
      title: t('办结该整改通知？', 'Close this notice?'),
      onOk: () => act.mutateAsync({ params: { path: { id: n.id } }, body: { action: 'close' } }).catch(showError),
    });
  return (
    <Card title={t('整改通知', 'Rectification notices')}>
      <ErrorText error={list.error} />
      <Table<Notice>
        rowKey="id"
        size="small"
        scroll={{ x: 'max-content' }}
        rowClassName={(n) => (n.id === id ? 'ant-table-row-selected' : '')}
        {...list.tableProps}
        columns={[
          {
            title: t('状态', 'State'),
            render: (_, n) => <Tag color={STATE_COLORS[n.state]}>{pick(lang, n.statusZh, n.statusEn)}</Tag>,
          },
          { title: t('整改要求', 'Requirement'), dataIndex: 'text', width: 260 },
          {
            title: t('期限', 'Deadline'),
            render: (_, n) => (
              <>
                {n.deadline} {n.overdue && <Tag color="red">{t('逾期', 'Overdue')}</Tag>}
              </>
            ),
          },
          {
            title: t('操作', 'Actions'),
            render: (_, n) => (
              <Space wrap>
                {n.allowedActions.includes('reply') && (
                  <Button size="small" type="primary" onClick={() => setReplying(n)}>
                    {t('回复整改情况', 'Reply')}
                  </Button>
                )}
                {n.allowedActions.includes('close') && (
                  <Button size="small" onClick={() => close(n)}>
                    {t('办结', 'Close')}
                  </Button>
                )}
              </Space>
            ),
          },
          { title: t('回复', 'Reply'), dataIndex: 'reply', width: 220 },
          { title: t('区划', 'Division'), dataIndex: 'targetDivision', render: (c) => <DivisionName code={c} /> },
          {
            title: t('巡检', 'Patrol'),
            render: (_, n) =>
              can('evaluation.patrol') && <Link to={`/evaluation/patrols/${n.patrolId}`}>{t('查看', 'View')}</Link>,
          },
        ]}
      />
      <Modal
        open={!!replying}
        title={t('回复整改情况', 'Reply: what was rectified')}
        okText={t('提交', 'Submit')}
        okButtonProps={{ disabled: !text.trim(), loading: act.isPending }}
        onCancel={() => setReplying(undefined)}
        onOk={() =>
          replying &&
          act
            .mutateAsync({ params: { path: { id: replying.id } }, body: { action: 'reply', text: text.trim() } })
            .then(() => {
              setReplying(undefined);
              setText('');
            })
            .catch(showError)
        }
        destroyOnHidden
      >
        <p>{replying?.text}</p>
        <Input.TextArea rows={4} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
      </Modal>
    </Card>
  );
}

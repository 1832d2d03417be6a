import { Button, Card, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { download, get } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import type { Certificate } from './api';

/** Certificates issued (a producer's own; a regulator's jurisdiction), with their PDFs, and a public check by number. */
export default function CertificatesPage() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const list = useRequest(() => get<Certificate[]>('/certificates', { page, pageSize: 20 }), [page]);
  const [checked, setChecked] = useState<{ valid: boolean; message: string; messageEn: string } | null>(null);
  return (
    <Card title={t('承诺达标合格证', 'Compliance certificates')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search size="large" placeholder={t('输入或扫描合格证编号核验', 'Type or scan a certificate number to verify')} style={{ width: 320 }} enterButton={t('核验', 'Verify')}
          onSearch={async (n) => setChecked(n.trim() ? await get(`/public/certificates/${encodeURIComponent(n.trim())}`) : null)} />
        {checked && <Tag color={checked.valid ? 'green' : 'red'} style={{ fontSize: 16, padding: 6 }}>{lang === 'en' ? checked.messageEn : checked.message}</Tag>}
      </Space>
      <ErrorText error={list.error} />
      <Table<Certificate> rowKey="id" loading={list.loading} dataSource={list.data} scroll={{ x: true }}
        pagination={{ current: page, pageSize: 20, total: (page - 1) * 20 + (list.data?.length ?? 0) + (list.data?.length === 20 ? 1 : 0), onChange: setPage }}
        columns={[
          { title: t('编号', 'Number'), dataIndex: 'number', render: (n) => <code>{n}</code> },
          { title: t('类型', 'Style'), dataIndex: 'styleName' },
          { title: t('产品', 'Product'), dataIndex: 'productName' },
          { title: t('数量', 'Quantity'), render: (_, c) => `${c.quantity} ${c.unit}` },
          { title: t('产地', 'Origin'), dataIndex: 'origin' },
          { title: t('开具时间', 'Issued'), dataIndex: 'issuedAt', render: (d: string) => new Date(d).toLocaleString('zh-CN') },
          { title: '', render: (_, c) => <Button onClick={() => download(`/certificates/${c.id}/pdf`, undefined, `${c.number}.pdf`)}>PDF</Button> },
        ]} />
    </Card>
  );
}

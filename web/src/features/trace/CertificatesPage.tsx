import { keepPreviousData } from '@tanstack/react-query';
import { Button, Card, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { type ApiData, download, http } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { EnteredByTag } from '../../shared/ui/EnteredBy';
import { useApiQuery } from '../../shared/useApiQuery';
import { ScanInput } from '../../shared/ui/ScanInput';

type Certificate = ApiData<'get', '/api/v1/certificates'>[number];
type Check = ApiData<'get', '/api/v1/public/certificates/{number}'>;

/** Certificates issued (a producer's own; a regulator's jurisdiction), with their PDFs, and a public check by number. */
export default function CertificatesPage() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const list = useApiQuery(
    '/api/v1/certificates',
    { params: { query: { page, pageSize: 20 } } },
    { placeholderData: keepPreviousData },
  );
  const [checked, setChecked] = useState<Check | null>(null);
  const [number, setNumber] = useState('');
  const [verifyError, setVerifyError] = useState<unknown>();
  const verify = async (n: string) => {
    setVerifyError(undefined);
    try {
      setChecked(
        n.trim()
          ? await http.get('/api/v1/public/certificates/{number}', { params: { path: { number: n.trim() } } })
          : null,
      );
    } catch (e) {
      setChecked(null);
      setVerifyError(e);
    }
  };
  return (
    <Card title={t('承诺达标合格证', 'Compliance certificates')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <div style={{ width: 'min(360px, calc(100vw - 56px))' }}>
          <ScanInput
            testId="cert-verify"
            value={number}
            onChange={setNumber}
            onScan={(n) => void verify(n)}
            onPressEnter={() => void verify(number)}
            placeholder={t('输入或扫描合格证编号核验', 'Type or scan a certificate number to verify')}
            after={
              <Button size="large" type="primary" onClick={() => void verify(number)}>
                {t('核验', 'Verify')}
              </Button>
            }
          />
        </div>
        {checked && (
          <Tag color={checked.valid ? 'green' : 'red'} style={{ fontSize: 16, padding: 6 }}>
            {lang === 'en' ? checked.messageEn : checked.message}
          </Tag>
        )}
      </Space>
      <ErrorText error={verifyError ?? list.error} />
      <Table<Certificate>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data}
        scroll={{ x: true }}
        pagination={{
          current: page,
          pageSize: 20,
          total: (page - 1) * 20 + (list.data?.length ?? 0) + (list.data?.length === 20 ? 1 : 0),
          onChange: setPage,
        }}
        columns={[
          {
            title: t('编号', 'Number'),
            dataIndex: 'number',
            render: (n, c) => (
              <>
                <code>{n}</code> <EnteredByTag by={c.enteredBy} />
              </>
            ),
          },
          {
            title: t('类型', 'Style'),
            dataIndex: 'styleName',
            render: (s: string, c) => (lang === 'en' ? c.styleNameEn : s),
          },
          { title: t('产品', 'Product'), dataIndex: 'productName' },
          { title: t('数量', 'Quantity'), render: (_, c) => `${c.quantity} ${c.unit}` },
          { title: t('产地', 'Origin'), dataIndex: 'origin' },
          {
            title: t('开具时间', 'Issued'),
            dataIndex: 'issuedAt',
            render: (d: string) => new Date(d).toLocaleString('zh-CN'),
          },
          {
            title: '',
            render: (_, c) => (
              <Button
                onClick={() =>
                  download('/api/v1/certificates/{id}/pdf', { params: { path: { id: c.id } } }, `${c.number}.pdf`)
                }
              >
                PDF
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}

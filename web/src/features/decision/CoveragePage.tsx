import { Card, Col, Row, Statistic, Table, Tag } from 'antd';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { SpreadsheetImport } from '../../shared/ui/SpreadsheetImport';
import { useApiQuery } from '../../shared/useApiQuery';

/** 认证追溯覆盖率: 三品一标, leading enterprises and model cooperatives registered and tracing; 带证上网 checks. */
export default function CoveragePage() {
  const { t, lang } = useI18n();
  const l = (x: { zh: string; en: string }) => (lang === 'en' ? x.en : x.zh);
  const q = useApiQuery('/api/v1/certification/coverage');
  const d = q.data;
  return (
    <Card title={t('认证追溯覆盖率', 'Certification coverage')}>
      <ErrorText error={q.error} />
      {d && (
        <>
          <Row gutter={12}>
            <Col xs={12} md={6}>
              <Statistic title={t('名录主体', 'Listed holders')} value={d.flagged.holders} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('已注册', 'Registered')} value={d.flagged.registeredRate ?? '-'} suffix="%" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('正在追溯', 'Actively tracing')} value={d.flagged.tracingRate ?? '-'} suffix="%" />
            </Col>
          </Row>
          <Table
            style={{ marginTop: 16 }}
            rowKey="kind"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={d.byKind}
            columns={[
              { title: t('类别', 'Kind'), render: (_, r) => l(r.label) },
              { title: t('主体数', 'Holders'), dataIndex: 'holders' },
              { title: t('已注册', 'Registered'), render: (_, r) => `${r.registered} (${r.registeredRate ?? '-'}%)` },
              { title: t('正在追溯', 'Tracing'), render: (_, r) => `${r.tracing} (${r.tracingRate ?? '-'}%)` },
              { title: t('产品已上线', 'Products listed'), render: (_, r) => `${r.productsListed}/${r.products}` },
            ]}
          />
          <h3>{t('未追溯主体', 'Not yet tracing')}</h3>
          <Table
            rowKey={(r) => `${r.kind}|${r.certNo ?? r.holderName}`}
            size="small"
            scroll={{ x: 'max-content' }}
            dataSource={d.gaps}
            columns={[
              { title: t('类别', 'Kind'), render: (_, r) => l(r.label) },
              { title: t('主体', 'Holder'), dataIndex: 'holderName' },
              { title: t('证书编号', 'Certificate'), dataIndex: 'certNo' },
              { title: t('已注册', 'Registered'), render: (_, r) => (r.registered ? t('是', 'Yes') : t('否', 'No')) },
            ]}
          />
          <h3>{t('带证上网核验', 'Certificate numbers on products')}</h3>
          <Table
            rowKey={(r) => `${r.productId}|${r.number}`}
            size="small"
            scroll={{ x: 'max-content' }}
            dataSource={d.claims}
            columns={[
              { title: t('产品', 'Product'), dataIndex: 'productName' },
              { title: t('主体', 'Producer'), dataIndex: 'subjectName' },
              { title: t('证书编号', 'Number'), dataIndex: 'number' },
              {
                title: t('核验', 'Check'),
                render: (_, r) => <Tag color={r.status === 'valid' ? 'green' : 'red'}>{l(r.statusLabel)}</Tag>,
              },
            ]}
          />
        </>
      )}
      <Card size="small" style={{ marginTop: 16 }} title={t('导入认证名录', 'Import the registry')}>
        <SpreadsheetImport
          kind="certRegistry"
          testId="registry"
          templateName="认证名录.xlsx"
          onDone={() => q.refetch()}
        />
      </Card>
    </Card>
  );
}

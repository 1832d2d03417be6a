import { Breadcrumb, Card, Input, List, Table, Tag } from 'antd';
import { useState } from 'react';
import type { ApiItem } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';

type Division = ApiItem<'/api/v1/divisions'>;

const LEVELS = [
  ['全国', 'Country'],
  ['省', 'Province'],
  ['市', 'City'],
  ['县', 'County'],
  ['乡镇', 'Township'],
  ['村', 'Village'],
];

/** Browse the administrative division tree (行政区划) level by level, or search it by name. */
export default function DivisionsPage() {
  const { t, lang } = useI18n();
  const [code, setCode] = useState('');
  const [q, setQ] = useState('');
  const detail = useApiQuery('/api/v1/divisions/{code}', { params: { path: { code } } }, { enabled: !!code });
  const children = useApiQuery('/api/v1/divisions', { params: { query: { parent: code } } });
  const found = useApiQuery('/api/v1/divisions/search', { params: { query: { q, pageSize: 30 } } }, { enabled: !!q });
  const lvl = (n: number) => (lang === 'en' ? LEVELS[n][1] : LEVELS[n][0]);
  const path = (code && detail.data?.path) || [{ code: '', name: t('全国', 'National'), level: 0 }];
  return (
    <Card title={t('行政区划', 'Administrative divisions')}>
      <Input.Search
        placeholder={t('按名称搜索，如“从化”', 'Search by name, e.g. 从化')}
        allowClear
        onSearch={setQ}
        style={{ maxWidth: 360, marginBottom: 12 }}
        data-testid="division-search"
      />
      {q && (
        <List
          size="small"
          bordered
          style={{ marginBottom: 16 }}
          dataSource={found.data?.items ?? []}
          renderItem={(d) => (
            <List.Item
              onClick={() => {
                setCode(d.code);
                setQ('');
              }}
              style={{ cursor: 'pointer' }}
            >
              <Tag>{lvl(d.level)}</Tag> {d.name} <code style={{ color: '#999' }}>{d.code}</code>
            </List.Item>
          )}
        />
      )}
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={path.map((p) => ({ title: <a onClick={() => setCode(p.code)}>{p.name}</a> }))}
      />
      <ErrorText error={children.error} />
      <Table<Division>
        rowKey="code"
        size="middle"
        loading={children.isFetching}
        dataSource={children.data?.items}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(d) => ({
          onClick: () => d.hasChildren && setCode(d.code),
          style: { cursor: d.hasChildren ? 'pointer' : 'default' },
        })}
        columns={[
          { title: t('名称', 'Name'), dataIndex: 'name', render: (n, d) => (d.hasChildren ? <a>{n}</a> : n) },
          { title: t('代码', 'Code'), dataIndex: 'code', render: (c) => <code>{c}</code> },
          { title: t('级别', 'Level'), dataIndex: 'level', render: (l) => <Tag>{lvl(l)}</Tag> },
        ]}
      />
    </Card>
  );
}

import { Card, DatePicker, Form, Input, Table, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { ApiItem, ApiQuery } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText } from '../../shared/ui/ErrorText';
import { usePagedTable } from '../../shared/usePagedTable';

type Entry = ApiItem<'/api/v1/audit'>;
type Filter = Omit<ApiQuery<'/api/v1/audit'>, 'page' | 'pageSize'>;

/** The audit log of my jurisdiction: who did what to which record, when and from where. */
export default function AuditPage() {
  const { me } = useAuth();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  /** A before/after value as text (lists joined, nothing as a dash). */
  const shown = (v: unknown): string =>
    v === null || v === undefined || v === ''
      ? '—'
      : Array.isArray(v)
        ? v.map(shown).join('、')
        : typeof v === 'object'
          ? JSON.stringify(v)
          : typeof v === 'boolean'
            ? v
              ? t('是', 'yes')
              : t('否', 'no')
            : String(v);
  const [filter, setFilter] = useState<Filter>({});
  const { tableProps, error } = usePagedTable('/api/v1/audit', filter, {
    pagination: { showTotal: (n) => t(`共 ${n} 条`, `${n} entries`) },
  });
  return (
    <Card title={t('审计日志', 'Audit log')}>
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) =>
          setFilter({
            verb: all.verb || undefined,
            actor: all.actor || undefined,
            within: all.within,
            from: all.range?.[0]?.startOf('day').toISOString(),
            to: all.range?.[1]?.endOf('day').toISOString(),
          })
        }
      >
        <Form.Item name="verb" label={t('操作', 'Action')}>
          <Input placeholder="user. / org.create" allowClear style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="actor" label={t('操作人', 'Actor')}>
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="within" label={t('区划', 'Division')}>
          <DivisionPicker root={me?.scope} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="range" label={t('时间', 'Time')}>
          <DatePicker.RangePicker />
        </Form.Item>
      </Form>
      <ErrorText error={error} />
      <Table<Entry>
        rowKey="id"
        size="middle"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        expandable={{
          rowExpandable: (e) => e.changes.length > 0,
          expandedRowRender: (e) => (
            <Table
              size="small"
              rowKey="field"
              pagination={false}
              dataSource={e.changes}
              data-testid="audit-changes"
              columns={[
                { title: t('字段', 'Field'), render: (_, c) => (lang === 'en' ? c.fieldEn : c.fieldZh) },
                { title: t('修改前', 'Before'), render: (_, c) => shown(c.before) },
                { title: t('修改后', 'After'), render: (_, c) => shown(c.after) },
              ]}
            />
          ),
        }}
        columns={[
          { title: t('时间', 'Time'), dataIndex: 'at', render: (d) => new Date(d).toLocaleString() },
          {
            title: t('操作人', 'Who'),
            render: (_, e) => (
              <>
                {e.actorDisplay ?? e.actorName ?? t('系统', 'system')}
                {e.orgName && <div style={{ color: '#888', fontSize: 12 }}>{e.orgName}</div>}
                {e.onBehalfOf && (
                  <Tag style={{ marginLeft: 4 }}>
                    {t('代', 'for')} {e.onBehalfOfName ?? t('某主体', 'a producer')}
                  </Tag>
                )}
              </>
            ),
          },
          {
            title: t('操作', 'What'),
            render: (_, e) => <span data-testid="audit-action">{lang === 'en' ? e.actionEn : e.actionZh}</span>,
          },
          {
            title: t('对象', 'Object'),
            render: (_, e) => {
              const name = e.targetName ?? (e.targetId ? e.targetId.slice(0, 8) : '');
              return (
                <>
                  <Tag>{lang === 'en' ? e.targetTypeEn : e.targetTypeZh}</Tag>
                  {e.targetLink ? (
                    <a onClick={() => navigate(e.targetLink as string)} data-testid="audit-target">
                      {name}
                    </a>
                  ) : (
                    <span data-testid="audit-target">{name}</span>
                  )}
                </>
              );
            },
          },
          { title: t('区划', 'Division'), dataIndex: 'divisionName' },
          { title: t('地址', 'Address'), dataIndex: 'ip' },
        ]}
      />
    </Card>
  );
}

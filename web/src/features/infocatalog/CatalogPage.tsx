import { Button, Card, Collapse, Form, Input, Modal, Select, Space, Switch, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { download } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { type CatalogField, type CatalogVersion, pick } from './api';

const PERSONAL: Record<string, [string, string]> = {
  none: ['非个人信息', 'not personal'],
  personal: ['个人信息', 'personal'],
  sensitive: ['敏感个人信息', 'sensitive'],
};
const VISIBILITY: Record<string, [string, string]> = {
  consumer: ['公众', 'consumers'],
  producer: ['上下游主体', 'producers one step'],
  regulator: ['仅监管', 'regulators'],
};

/** 信息资源目录: browse versions and resources; the national tier edits drafts (required flags) and publishes. */
export default function CatalogPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const showError = useShowError();
  const list = useApiQuery('/api/v1/info-catalog/versions');
  const [chosen, setChosen] = useState<string>();
  const version = chosen ?? list.data?.current ?? undefined;
  const detail = useApiQuery(
    '/api/v1/info-catalog/versions/{version}',
    { params: { path: { version: version ?? '' } } },
    { enabled: !!version },
  );
  const inv = [
    '/api/v1/info-catalog/versions',
    '/api/v1/info-catalog/versions/{version}',
    '/api/v1/info-catalog/current',
  ] as const;
  const create = useApiMutation('post', '/api/v1/info-catalog/versions', { invalidate: [...inv] });
  const update = useApiMutation('patch', '/api/v1/info-catalog/versions/{version}', { invalidate: [...inv] });
  const publish = useApiMutation('post', '/api/v1/info-catalog/versions/{version}/publish', { invalidate: [...inv] });
  const importer = useApiMutation('post', '/api/v1/info-catalog/imports', { invalidate: [...inv] });
  const [draftOpen, setDraftOpen] = useState(false);
  const [form] = Form.useForm<{ version: string; title: string }>();
  const v = detail.data;
  const actions = v?.allowedActions ?? [];

  const setRequired = (v: CatalogVersion, resource: string, key: string, required: boolean) => {
    const content = structuredClone(v.content);
    const f = content.resources.find((r) => r.key === resource)?.fields.find((x) => x.key === key);
    if (f) f.required = required;
    update.mutateAsync({ params: { path: { version: v.version } }, body: { content } }).catch(showError);
  };

  const importFile = async (file: File) => {
    try {
      const parsed = JSON.parse(await file.text());
      const r = await importer.mutateAsync({ body: { file: parsed } });
      setChosen(r.version);
    } catch (e) {
      showError(e);
    }
    return false;
  };

  return (
    <Card
      title={t('信息资源目录', 'Information resource catalogue')}
      extra={
        <Space wrap>
          <Select
            data-testid="catalog-version"
            style={{ minWidth: 160 }}
            value={version}
            onChange={setChosen}
            options={(list.data?.items ?? []).map((x) => ({
              value: x.version,
              label: `${x.version} · ${pick(lang, x.statusZh, x.statusEn)}`,
            }))}
          />
          {can('infocatalog.edit') && (
            <Button data-testid="catalog-new-draft" onClick={() => setDraftOpen(true)}>
              {t('新建草稿', 'New draft')}
            </Button>
          )}
          {v && actions.includes('publish') && (
            <Button
              type="primary"
              data-testid="catalog-publish"
              loading={publish.isPending}
              onClick={() => publish.mutateAsync({ params: { path: { version: v.version } } }).catch(showError)}
            >
              {t('发布', 'Publish')}
            </Button>
          )}
          {v && (
            <>
              <Button
                onClick={() =>
                  download('/api/v1/info-catalog/versions/{version}/export', {
                    params: { path: { version: v.version }, query: { format: 'json' } },
                  }).catch(showError)
                }
              >
                {t('导出 JSON', 'Export JSON')}
              </Button>
              <Button
                onClick={() =>
                  download('/api/v1/info-catalog/versions/{version}/export', {
                    params: { path: { version: v.version }, query: { format: 'xlsx' } },
                  }).catch(showError)
                }
              >
                {t('导出 Excel', 'Export Excel')}
              </Button>
            </>
          )}
          {can('infocatalog.import') && (
            <Upload accept=".json,application/json" showUploadList={false} beforeUpload={importFile}>
              <Button>{t('导入版本文件', 'Import a version file')}</Button>
            </Upload>
          )}
        </Space>
      }
    >
      <ErrorText error={list.error ?? detail.error} />
      {v && (
        <p>
          {v.title} · <Tag>{pick(lang, v.statusZh, v.statusEn)}</Tag>
          {v.tier === 'local'
            ? t(`地方目录（基于 ${v.baseVersion}）`, `local (extends ${v.baseVersion})`)
            : t('国家目录', 'national')}
        </p>
      )}
      {v && (
        <Collapse
          items={v.content.resources.map((r) => ({
            key: r.key,
            label: (
              <span data-testid={`catalog-resource-${r.key}`}>
                {pick(lang, r.nameZh, r.nameEn)} · {r.fields.length} {t('个字段', 'fields')}
                {r.reviewed && <Tag style={{ marginLeft: 8 }}>{t('需审核', 'reviewed')}</Tag>}
                <Tag>{t(`${r.lateDays} 天内上传`, `upload within ${r.lateDays} d`)}</Tag>
              </span>
            ),
            children: (
              <Table<CatalogField>
                rowKey="key"
                size="small"
                pagination={false}
                scroll={{ x: 'max-content' }}
                dataSource={r.fields}
                columns={[
                  { title: t('字段', 'Field'), render: (_, f) => `${pick(lang, f.nameZh, f.nameEn)} (${f.key})` },
                  { title: t('类型', 'Type'), render: (_, f) => `${f.type}${f.unit ? ` · ${f.unit}` : ''}` },
                  {
                    title: t('必填', 'Required'),
                    render: (_, f) =>
                      actions.includes('update') ? (
                        <Switch
                          data-testid={`required-${r.key}-${f.key}`}
                          checked={f.required}
                          // Each change sends the whole content: wait for the last one to come back (no lost update).
                          disabled={update.isPending || detail.isFetching}
                          onChange={(c) => setRequired(v, r.key, f.key, c)}
                        />
                      ) : f.required ? (
                        t('是', 'yes')
                      ) : (
                        t('否', 'no')
                      ),
                  },
                  { title: t('代码表', 'Code list'), render: (_, f) => (f.codeList ?? []).join(', ').slice(0, 60) },
                  {
                    title: t('长度/范围', 'Length/range'),
                    render: (_, f) =>
                      [
                        f.maxLength !== undefined ? `≤${f.maxLength}` : '',
                        f.min !== undefined ? `≥${f.min}` : '',
                        f.max !== undefined ? `≤${f.max}` : '',
                      ]
                        .filter(Boolean)
                        .join(' '),
                  },
                  {
                    title: t('个人信息', 'Personal info'),
                    render: (_, f) => pick(lang, ...(PERSONAL[f.personal] ?? [f.personal, f.personal])),
                  },
                  {
                    title: t('公开范围', 'Visibility'),
                    render: (_, f) => pick(lang, ...(VISIBILITY[f.visibility] ?? [f.visibility, f.visibility])),
                  },
                  {
                    title: t('向上共享', 'Shared up'),
                    render: (_, f) => (f.sharedUpward ? t('是', 'yes') : t('否', 'no')),
                  },
                ]}
              />
            ),
          }))}
        />
      )}
      <Modal
        open={draftOpen}
        title={t('新建目录草稿（复制现行版本）', 'New draft (a copy of the version in force)')}
        onCancel={() => setDraftOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
        okButtonProps={{ 'data-testid': 'draft-ok' } as Record<`data-${string}`, string>}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(x) =>
            create
              .mutateAsync({ body: x })
              .then((r) => {
                setChosen(r.version);
                setDraftOpen(false);
              })
              .catch(showError)
          }
        >
          <Form.Item
            name="version"
            label={t('版本号', 'Version')}
            rules={[{ required: true, pattern: /^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$/ }]}
          >
            <Input data-testid="draft-version" />
          </Form.Item>
          <Form.Item name="title" label={t('名称', 'Title')} rules={[{ required: true, max: 200 }]}>
            <Input data-testid="draft-title" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

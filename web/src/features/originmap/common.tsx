import { Input, Modal, Select } from 'antd';
import type { ApiData } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { useApiQuery } from '../../shared/useApiQuery';

/** An origin record as the server sends it (labels in zh and en, the caller's allowed actions). */
export type OriginRecord = ApiData<'get', '/api/v1/origin/records/{id}'>;
/** The key products with the standards in force, and the enumerations with their labels. */
export type Products = ApiData<'get', '/api/v1/origin/products'>;
export type Enum = Products['enumerations']['statuses'][number];

export function useProducts() {
  return useApiQuery('/api/v1/origin/products');
}

export const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'blue',
  approved: 'green',
  returned: 'orange',
};

export function ProductSelect(props: {
  value?: string[];
  onChange?: (v: string[]) => void;
  products?: Products;
  style?: React.CSSProperties;
  testId?: string;
}) {
  const { t, lang } = useI18n();
  return (
    <Select
      mode="multiple"
      allowClear
      placeholder={t('品种（可多选）', 'Products')}
      value={props.value}
      onChange={props.onChange}
      style={props.style ?? { minWidth: 200 }}
      data-testid={props.testId}
      options={props.products?.products.map((p) => ({ value: p.code, label: lang === 'en' ? p.nameEn : p.name }))}
    />
  );
}

export const enumOptions = (e: Enum[] | undefined, lang: 'zh' | 'en') =>
  (e ?? []).map((x) => ({ value: x.code, label: lang === 'en' ? x.en : x.zh }));

/** Asks why a record is returned (what must be fixed); '' when cancelled or left empty. */
export function askReturnComment(t: (zh: string, en: string) => string): Promise<string> {
  return new Promise<string>((resolve) => {
    let text = '';
    Modal.confirm({
      title: t('退回原因（写明需要修改的内容）', 'Why return? (what must be fixed)'),
      content: (
        <Input.TextArea
          rows={3}
          maxLength={500}
          onChange={(e) => {
            text = e.target.value;
          }}
          data-testid="origin-return-comment"
        />
      ),
      onOk: () => resolve(text.trim()),
      onCancel: () => resolve(''),
    });
  });
}

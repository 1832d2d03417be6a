import { Select } from 'antd';
import { get } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { useRequest } from '../../shared/useRequest';

export interface OriginRecord {
  id: string; recordKey: string; divisionCode: string; divisionName: string; subjectName: string; subjectType: string; subjectTypeName: string; creditCode: string | null;
  productCode: string; productName: string; unit: string; unitName: string; baseAddress: string; longitude: number | null; latitude: number | null; geoCheck: string | null;
  geoSource: string; gpsAccuracyM: number | null; contactName: string; contactPhone: string; scale: number; marketStart: string | null; marketEnd: string | null;
  productionMethod: string; traceMethods: string[]; creditRating: string; gridWorkerName: string | null; gridWorkerPhone: string | null; collectorName: string | null;
  collectorPhone: string | null; status: string; statusName: string; reviewComment: string | null; collectedAt: string; allowedActions: string[];
}
export interface Enum { code: string; zh: string; en: string }
export interface Products {
  divisionCode: string;
  products: { code: string; name: string; nameEn: string; industry: string; unit: string; unitName: string; threshold: number; facilityThreshold: number | null; cycleDays: number }[];
  enumerations: Record<'subjectTypes' | 'certifications' | 'productionMethods' | 'traceMethods' | 'creditRatings' | 'statuses' | 'flagKinds', Enum[]>;
}

export function useProducts() {
  return useRequest(() => get<Products>('/origin/products'), []);
}

export const STATUS_COLORS: Record<string, string> = { draft: 'default', submitted: 'blue', approved: 'green', returned: 'orange' };

export function ProductSelect(props: { value?: string[]; onChange?: (v: string[]) => void; products?: Products; style?: React.CSSProperties; testId?: string }) {
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

export const enumOptions = (e: Enum[] | undefined, lang: 'zh' | 'en') => (e ?? []).map((x) => ({ value: x.code, label: lang === 'en' ? x.en : x.zh }));

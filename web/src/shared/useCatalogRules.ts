import type { Rule } from 'antd/es/form';
import type { ApiData } from './api';
import { useI18n } from './i18n';
import { useApiQuery } from './useApiQuery';

type Field = ApiData<'get', '/api/v1/info-catalog/current'>['content']['resources'][number]['fields'][number];

/**
 * A form's rules from the information resource catalogue (信息资源目录) in force: whether a field is required, its
 * length, range and pattern, and its code list — so a new rule published as data shows in the form without a code
 * change, and the form refuses what the API will refuse (the API checks the same catalogue: kernel/collection.ts).
 *
 *   const cat = useCatalogRules('batch');
 *   <Form.Item name="baseId" rules={cat.rules('baseId')} required={cat.required('baseId')}>
 *   <Select options={cat.options('selfCheck', SELF_CHECKS)} />
 *
 * Used by every collection form whose resource the catalogue lists: batch, product and base (trace), certificate and
 * input use (the batch page), patrol and sampling sheet (supervision), origin record (originmap).
 */
export function useCatalogRules(resource: string) {
  const { t, lang } = useI18n();
  const current = useApiQuery('/api/v1/info-catalog/current', undefined, { staleTime: 5 * 60_000 });
  const fields = current.data?.content.resources.find((r) => r.key === resource)?.fields ?? [];
  const field = (key: string): Field | undefined => fields.find((f) => f.key === key);
  const name = (f: Field) => (lang === 'en' ? f.nameEn : f.nameZh);

  return {
    version: current.data?.version,
    /** Required by the catalogue (unconditionally). */
    required: (key: string) => field(key)?.required === true,
    /** The catalogue's rules for a field, after the form's own (`extra`). */
    rules(key: string, extra: Rule[] = []): Rule[] {
      const f = field(key);
      if (!f) return extra;
      const out: Rule[] = [...extra];
      const formRequires = extra.some((r) => typeof r === 'object' && 'required' in r && r.required);
      if (f.required && !formRequires)
        out.push({
          required: true,
          message: t(`${f.nameZh}是信息资源目录规定的必填项`, `${f.nameEn} is required by the information catalogue`),
        });
      if (f.type === 'string' && (f.maxLength !== undefined || f.minLength !== undefined))
        out.push({
          min: f.minLength,
          max: f.maxLength,
          message: t(
            `${f.nameZh}长度应为 ${f.minLength ?? 0}–${f.maxLength ?? '∞'} 个字`,
            `${f.nameEn}: ${f.minLength ?? 0}–${f.maxLength ?? '∞'} characters`,
          ),
        });
      if (f.type === 'string' && f.pattern) {
        const re = safeRegExp(f.pattern);
        if (re) out.push({ pattern: re, message: t(`${f.nameZh}格式不正确`, `${f.nameEn} has the wrong format`) });
      }
      if ((f.type === 'number' || f.type === 'integer') && (f.min !== undefined || f.max !== undefined))
        out.push({
          type: 'number',
          min: f.min,
          max: f.max,
          message: t(`${name(f)}超出范围`, `${name(f)} is out of range`),
        });
      return out;
    },
    /** The catalogue's code list of a field (undefined: no list). */
    codeList: (key: string) => field(key)?.codeList,
    /** A form's options narrowed to the catalogue's code list of the field (all of them when it has none). */
    options<O extends { value?: unknown }>(key: string, opts: O[]): O[] {
      const list = field(key)?.codeList;
      return list ? opts.filter((o) => list.includes(String(o.value))) : opts;
    },
  };
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

import { useQueryClient } from '@tanstack/react-query';
import { Cascader } from 'antd';
import { useEffect, useState } from 'react';
import { type ApiItem, http } from '../api';
import { useT } from '../i18n';
import { apiKey } from '../useApiQuery';

type Division = ApiItem<'/api/v1/divisions'>;
interface Option {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: Option[];
}

const toOption = (d: Division, maxLevel: number): Option => ({
  value: d.code,
  label: d.name,
  isLeaf: !d.hasChildren || d.level >= maxLevel,
});

/** Prefixes of a division code from (but excluding) the root down to the code itself. */
function chain(root: string, code: string): string[] {
  return [2, 4, 6, 9, 12].filter((n) => n > root.length && n <= code.length).map((n) => code.slice(0, n));
}

/**
 * Picks a division inside `root` (the user's jurisdiction) down to `maxLevel` (4 = township, 5 = village),
 * loading each level on demand. Any level can be chosen; the value is the division code.
 */
export function DivisionPicker(props: {
  value?: string;
  onChange?: (code: string | undefined) => void;
  root?: string;
  rootName?: string;
  maxLevel?: number;
  placeholder?: string;
  allowRoot?: boolean;
  style?: React.CSSProperties;
}) {
  const t = useT();
  const root = props.root ?? '';
  const maxLevel = props.maxLevel ?? 4;
  const [options, setOptions] = useState<Option[]>([]);
  const queryClient = useQueryClient();
  // The tree changes only when the divisions are reloaded: every picker of the session shares one cache.
  const childrenOf = async (parent: string) => {
    const init = { params: { query: { parent } } };
    const list = await queryClient.fetchQuery({
      queryKey: apiKey('/api/v1/divisions', init),
      queryFn: ({ signal }) => http.get('/api/v1/divisions', { ...init, signal }),
      staleTime: 10 * 60_000,
    });
    return list.items.map((d: Division) => toOption(d, maxLevel));
  };

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const top = await childrenOf(root);
      let opts: Option[] = top;
      if (root !== '' && props.allowRoot)
        opts = [{ value: root, label: props.rootName ?? root, isLeaf: false, children: top }];
      // Preload the path of the current value so that it displays.
      if (props.value && props.value !== root) {
        let level = props.allowRoot && root !== '' ? (opts[0].children ?? []) : opts;
        for (const code of chain(root, props.value).slice(0, -1)) {
          const node = level.find((o) => o.value === code);
          if (!node) break;
          node.children = await childrenOf(code);
          level = node.children;
        }
      }
      if (!cancelled) setOptions(opts);
    })().catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [root, maxLevel]);

  const loadData = async (selected: Option[]) => {
    const target = selected[selected.length - 1];
    if (target.children) return;
    target.children = await childrenOf(target.value);
    setOptions([...options]);
  };

  const path = props.value
    ? [...(props.allowRoot && root !== '' ? [root] : []), ...chain(root, props.value)]
    : undefined;
  return (
    <Cascader
      style={props.style ?? { width: '100%' }}
      options={options}
      loadData={loadData as never}
      changeOnSelect
      showSearch={false}
      value={path}
      placeholder={props.placeholder ?? t('选择行政区划', 'Choose a division')}
      onChange={(v) => props.onChange?.(v?.length ? String(v[v.length - 1]) : undefined)}
    />
  );
}

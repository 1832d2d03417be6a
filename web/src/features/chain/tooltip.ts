import { escapeHtml as e } from '../../shared/escape';

/** What a lineage node's tooltip shows (a structural subset of the API's node). */
export interface TooltipNode {
  subjectName?: string | null;
  productName?: string | null;
  batchNo?: string | null;
  code?: string | null;
  quantity?: number | string | null;
  unit?: string | null;
  stock?: number | string | null;
  producedAt?: string | null;
  recall?: string | null;
  /** A lot outside the viewer's jurisdiction: no owner, product, batch number or code (seed 003 本辖区). */
  masked?: boolean;
  divisionName?: string | null;
}

type T = (zh: string, en: string) => string;
const zhOnly: T = (zh) => zh;

/** Who holds a lot, as people read it: the subject's name, or 辖区外主体 with the division for a masked lot. */
export function ownerLabel(n: TooltipNode, t: T = zhOnly): string {
  if (n.masked) return `${t('辖区外主体', 'Outside your jurisdiction')} · ${n.divisionName ?? ''}`;
  return n.subjectName ?? '—';
}

/** The graph tooltip's HTML for one lot; every value from data is escaped (names are typed by producers). */
export function chainNodeTooltip(n: TooltipNode, t: T = zhOnly): string {
  const lines = n.masked
    ? [e(ownerLabel(n, t)), `${e(n.quantity ?? '')}${e(n.unit ?? '')}（${t('库存', 'stock')} ${e(n.stock ?? '')}）`]
    : [
        e(ownerLabel(n, t)),
        `${e(n.productName ?? '')} ${e(n.batchNo ?? '')}`,
        e(n.code ?? ''),
        `${e(n.quantity ?? '')}${e(n.unit ?? '')}（${t('库存', 'stock')} ${e(n.stock ?? '')}）`,
      ];
  if (n.divisionName && !n.masked) lines.push(e(n.divisionName));
  if (n.producedAt) lines.push(e(new Date(n.producedAt).toLocaleDateString('zh-CN')));
  const recall = n.recall ? `<br/><b style="color:#c62828">${t('召回', 'Recall')} ${e(n.recall)}</b>` : '';
  return `${lines.join('<br/>')}${recall}`;
}

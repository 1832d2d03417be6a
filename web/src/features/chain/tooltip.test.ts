import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../shared/escape';
import { chainNodeTooltip, ownerLabel } from './tooltip';

describe('tooltip HTML built from data is escaped', () => {
  it('a product or subject name cannot inject markup', () => {
    const html = chainNodeTooltip({
      subjectName: '<img src=x onerror=alert(1)>',
      productName: '"><script>alert(2)</script>',
      batchNo: 'B1',
      quantity: 5,
      unit: 'kg',
      stock: 1,
      producedAt: '2026-01-02T00:00:00Z',
      recall: '<b>x</b>',
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
  it('escapeHtml covers the five characters and non-strings', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(3)).toBe('3');
  });
});

describe('a lot outside the jurisdiction reads as such, escaped, in both languages', () => {
  const masked = {
    masked: true,
    subjectName: null,
    productName: null,
    code: null,
    divisionName: '四川省<b>成都市</b>锦江区',
    quantity: 120,
    unit: 'kg',
    stock: 20,
  };
  it('says 辖区外主体 with the division name and nothing of the owner', () => {
    const html = chainNodeTooltip(masked);
    expect(html).toContain('辖区外主体 · 四川省&lt;b&gt;成都市&lt;/b&gt;锦江区');
    expect(html).not.toContain('<b>成都市');
    expect(html).toContain('120kg');
    expect(ownerLabel(masked, (_zh, en) => en)).toBe('Outside your jurisdiction · 四川省<b>成都市</b>锦江区');
    expect(chainNodeTooltip(masked, (_zh, en) => en)).toContain('Outside your jurisdiction');
  });
  it('a visible lot shows its owner', () => {
    expect(ownerLabel({ subjectName: '绿源合作社', divisionName: '从化区' })).toBe('绿源合作社');
  });
});

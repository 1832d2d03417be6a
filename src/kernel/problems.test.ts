import { describe, expect, it } from 'vitest';
import { CATALOGUE, Problem } from './problems.js';
import { validationProblem } from './validation.js';

describe('problem catalogue', () => {
  it('has a Chinese and an English message and a 4xx/5xx status for every code', () => {
    for (const [code, e] of Object.entries(CATALOGUE)) {
      expect(e.zh, code).toMatch(/[\u4e00-\u9fa5]/);
      expect(e.en, code).toMatch(/[A-Za-z]/);
      expect(e.status >= 400 && e.status < 600, code).toBe(true);
    }
  });
  it('fills parameters and names the field', () => {
    const p = new Problem('DUPLICATE', { targetZh: '用户名', targetEn: 'Username', value: 'li', field: 'username' });
    expect(p.toJSON()).toEqual({
      statusCode: 409,
      code: 'DUPLICATE',
      message: '用户名已存在：li',
      messageEn: 'Username already exists: li',
      field: 'username',
    });
  });
  it('turns schema errors into a field-naming 400', () => {
    const p = validationProblem(
      [{ keyword: 'required', instancePath: '', schemaPath: '', params: { missingProperty: 'name' }, message: '' }],
      'body',
    );
    expect(p.statusCode).toBe(400);
    expect(p.field).toBe('name');
    expect(p.message).toBe('字段“name”为必填项');
    const q = validationProblem(
      [{ keyword: 'pattern', instancePath: '/contact/phone', schemaPath: '', params: {}, message: '' }],
      'body',
    );
    expect(q.field).toBe('contact.phone');
    expect(q.messageEn).toBe('Field "contact.phone" has the wrong format');
  });
});

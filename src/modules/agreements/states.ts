import { defineWorkflow } from '../../kernel/workflow.js';
import type { SignatureAction, SignatureState } from './schemas.js';

/**
 * A producer and its county's current agreement (seed 001 art. 10: the county agriculture department signs the
 * agreement with the producer, so both are parties). `signer` is an account of the producer that may accept it (verb
 * agreement.sign: the main account); `county` is a county-level officer of that county (verb agreement.manage). A
 * new version starts again at `unsigned`.
 */
export const signatureFlow = defineWorkflow<SignatureState, SignatureAction, 'signer' | 'county'>({
  name: { zh: '追溯协议', en: 'Traceability agreement' },
  states: {
    unsigned: { zh: '未签订', en: 'not accepted' },
    awaiting_county: { zh: '主体已签，待县级签署', en: 'accepted, awaiting the county' },
    signed: { zh: '双方已签订', en: 'signed by both parties' },
  },
  transitions: [
    { from: 'unsigned', action: 'sign', to: 'awaiting_county', who: 'signer', zh: '签订协议', en: 'accept' },
    {
      from: 'awaiting_county',
      action: 'countersign',
      to: 'signed',
      who: 'county',
      zh: '县级签署',
      en: 'countersign for the county',
    },
  ],
});

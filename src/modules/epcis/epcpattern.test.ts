import { describe, expect, it } from 'vitest';
import { EpcPatternError, epcMatches, epcPatternRegexes, isEpcPattern } from './epcpattern.js';

describe('EPC patterns (EPCIS 2.0 §8.2.7.1 MATCH_epc)', () => {
  const serial = 'urn:epc:id:sgtin:0614141.107346.2018';
  it('matches every serial of one product, and nothing of another product or scheme', () => {
    const p = 'urn:epc:idpat:sgtin:0614141.107346.*';
    expect(epcMatches(p, serial)).toBe(true);
    expect(epcMatches(p, 'urn:epc:id:sgtin:0614141.107346.A.b-c')).toBe(true);
    expect(epcMatches(p, 'urn:epc:id:sgtin:0614141.107347.2018')).toBe(false);
    expect(epcMatches(p, 'urn:epc:id:sgtin:0614141.1073461.2018')).toBe(false);
    expect(epcMatches(p, 'urn:epc:id:sgln:0614141.107346.2018')).toBe(false);
    expect(epcMatches(p, 'urn:epc:id:sgtin:0614141.107346.')).toBe(false);
    expect(epcMatches(p, 'xurn:epc:id:sgtin:0614141.107346.1')).toBe(false);
  });

  it('matches by company prefix, whole scheme, and exact pattern without wildcard', () => {
    expect(epcMatches('urn:epc:idpat:sgtin:0614141.*.*', serial)).toBe(true);
    expect(epcMatches('urn:epc:idpat:sgtin:0614141.*.*', 'urn:epc:id:sgtin:0614142.107346.1')).toBe(false);
    expect(epcMatches('urn:epc:idpat:sgtin:*.*.*', serial)).toBe(true);
    expect(epcMatches('urn:epc:idpat:sgtin:0614141.107346.2018', serial)).toBe(true);
    expect(epcMatches('urn:epc:idpat:sgtin:0614141.107346.2019', serial)).toBe(false);
    expect(epcMatches('urn:epc:idpat:sscc:0614141.*', 'urn:epc:id:sscc:0614141.1234567890')).toBe(true);
    expect(epcMatches('urn:epc:idpat:sscc:0614141.*', 'urn:epc:id:sscc:0614142.1234567890')).toBe(false);
  });

  it('an SGTIN pattern also matches the Digital Link form of the same GTIN, on any resolver', () => {
    // GTIN-14 of 0614141.107346: indicator 1, prefix 0614141, 07346, check digit 7 → 10614141073467.
    const p = 'urn:epc:idpat:sgtin:0614141.107346.*';
    expect(epcMatches(p, 'https://id.gs1.org/01/10614141073467/21/2018')).toBe(true);
    expect(epcMatches(p, 'https://example.com/x/01/10614141073467/21/A1')).toBe(true);
    expect(epcMatches(p, 'https://id.gs1.org/01/10614141073474/21/2018')).toBe(false);
    expect(epcMatches(p, 'https://id.gs1.org/01/10614141073467')).toBe(false);
    expect(epcMatches('urn:epc:idpat:sgtin:0614141.*.*', 'https://id.gs1.org/01/00614141999996/21/9')).toBe(true);
    expect(epcMatches('urn:epc:idpat:sgtin:0614141.*.*', 'https://id.gs1.org/01/00614142999996/21/9')).toBe(false);
  });

  it('a URI ending in * is a prefix (the Digital Link style pattern); other values are exact', () => {
    const dl = 'https://id.gs1.org/01/00614141073467/21/*';
    expect(epcMatches(dl, 'https://id.gs1.org/01/00614141073467/21/2018')).toBe(true);
    expect(epcMatches(dl, 'https://id.gs1.org/01/00614141073468/21/2018')).toBe(false);
    expect(epcMatches(serial, serial)).toBe(true);
    expect(epcMatches(serial, `${serial}1`)).toBe(false);
    expect(epcMatches('urn:epc:id:sgtin:0614141.107346.20.8', 'urn:epc:id:sgtin:0614141.107346.2018')).toBe(false);
    expect(isEpcPattern(serial)).toBe(false);
    expect(isEpcPattern(dl)).toBe(true);
  });

  it('refuses malformed patterns with a reason', () => {
    for (const bad of [
      'urn:epc:idpat:sgtin:*.107346.*',
      'urn:epc:idpat:sgtin:0614141.*',
      'urn:epc:idpat:nosuch:1.2',
      'urn:epc:idpat:sgtin:0614141..*',
      'urn:epc:idpat:',
    ])
      expect(() => epcPatternRegexes(bad), bad).toThrow(EpcPatternError);
  });
});
